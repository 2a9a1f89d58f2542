#!/usr/bin/env python3
"""tests/threads/gen-images.py DIR [N] - write a book of N PNG figures (and
a few SVG ones) into DIR: book.yaml, ch1.md..ch6.md, img/*.png, img/*.svg.
Pure Python (zlib), so that the threads suites need nothing else."""
import os
import struct
import sys
import zlib


def png(path, w, h, seed):
    rows = bytearray()
    for y in range(h):
        rows.append(0)
        for x in range(w):
            v = (x * 7 + y * 13 + seed * 31) & 0xFF
            rows += bytes((v, (v * 3 + seed) & 0xFF, (255 - v) & 0xFF))

    def chunk(kind, data):
        c = kind + data
        return (struct.pack(">I", len(data)) + c +
                struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
                chunk(b"IDAT", zlib.compress(bytes(rows), 6)) +
                chunk(b"IEND", b""))


def svg(path, seed):
    with open(path, "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg" width="200" '
                'height="120" viewBox="0 0 200 120">'
                '<rect width="200" height="120" fill="#%02x8844"/>'
                '<g opacity="0.5"><circle cx="60" cy="60" r="40" '
                'fill="#224488"/></g>'
                '<text x="100" y="70" font-family="DejaVu Sans" '
                'font-size="20">Fig. %d</text></svg>' % (seed * 40 % 256, seed))


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 36
    os.makedirs(os.path.join(out, "img"), exist_ok=True)
    chapters = []
    per = (n + 5) // 6
    k = 0
    for c in range(1, 7):
        lines = ["# Chapter %d" % c, ""]
        for _ in range(per):
            if k >= n:
                break
            k += 1
            if k % 6 == 0:
                name = "img/f%02d.svg" % k
                svg(os.path.join(out, name), k)
                size = ""
            else:
                # Twice the pixels of the size it is given: printed at
                # 192 ppi, above the 150 a warning asks for.
                name = "img/f%02d.png" % k
                png(os.path.join(out, name), 2 * (120 + k), 2 * (90 + k), k)
                size = "{width=%d}" % (120 + k)
            lines += ["Text before figure %d, long enough to be set as "
                      "a paragraph of its own on the page." % k, "",
                      "![Figure %d](%s)%s" % (k, name, size), ""]
        path = "ch%d.md" % c
        with open(os.path.join(out, path), "w") as f:
            f.write("\n".join(lines))
        chapters.append(path)
    with open(os.path.join(out, "book.yaml"), "w") as f:
        f.write("title: Many Figures\nauthor: [Octavo Tests]\n"
                "chapters: [%s]\n" % ", ".join(chapters))


main()
