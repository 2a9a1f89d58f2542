#!/usr/bin/env python3
"""imageres.py OCTAVO OUTDIR - a PNG of more pixels than its printed size
needs is kept in the PDF at the book's image-resolution (300 pixels per
inch unless the manifest says otherwise), and all of them with
image-resolution: original. The picture is made here (zlib alone), 2400 x
1600 pixels, shown at half the measure: about 2.2 inches on the default
A5 page, so some 1,100 pixels per inch as drawn."""
import hashlib
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib

octavo, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)


def chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data)))


W, H = 2400, 1600
rows = b"".join(b"\0" + b"".join(bytes((x * 250 // W, y * 250 // H, 128)) * 8
                                 for x in range(0, W, 8))
                for y in range(H))
# Grain of 0..3 in every channel (added without carries as one big
# number), so that the file is a few megabytes, as a photograph's: large
# enough that octavo reads it again when it needs it instead of keeping it.
grain = hashlib.shake_256(b"imageres").digest(W * 3 * H)
grain = b"".join(b"\0" + grain[y * W * 3:(y + 1) * W * 3].translate(
    bytes(i & 3 for i in range(256))) for y in range(H))
rows = (int.from_bytes(rows, "big") + int.from_bytes(grain, "big")).to_bytes(
    len(rows), "big")
with open(os.path.join(out, "big.png"), "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))
with open(os.path.join(out, "a.md"), "w") as f:
    f.write("# Pictures\n\nA wide picture follows.\n\n"
            "![A gradient](big.png){width=50%}\n\nAnd text after it.\n")


def pdf_image(manifest_extra, name):
    with open(os.path.join(out, "book.yaml"), "w") as f:
        f.write("title: Pictures\nchapters: [a.md]\n" + manifest_extra)
    pdf = os.path.join(out, name + ".pdf")
    epub = os.path.join(out, name + ".epub")
    r = subprocess.run([octavo, "build", "--data-dir", ".", "--pdf", pdf,
                        "--epub", epub, os.path.join(out, "book.yaml")],
                       capture_output=True, text=True)
    if r.returncode != 0 or r.stderr:
        sys.exit("%s: build failed or warned:\n%s" % (name, r.stderr))
    lst = subprocess.run(["pdfimages", "-list", pdf], capture_output=True,
                         text=True, check=True).stdout.splitlines()[2:]
    if len(lst) != 1:
        sys.exit("%s: %d images in the PDF, not 1" % (name, len(lst)))
    # The EPUB carries the file itself, byte for byte.
    with zipfile.ZipFile(epub) as z, \
            open(os.path.join(out, "big.png"), "rb") as f:
        if z.read("EPUB/images/big.png") != f.read():
            sys.exit("%s: the EPUB's big.png is not the file" % name)
    f = lst[0].split()
    return int(f[3]), int(f[4]), int(f[12])     # width, height, x-ppi


w, h, ppi = pdf_image("", "default")
print("default: %d x %d pixels, %d ppi" % (w, h, ppi))
if not (290 <= ppi <= 310) or abs(w / h - 1.5) > 0.01:
    sys.exit("default: not 300 ppi in proportion")
w, h, ppi = pdf_image("image-resolution: 150\n", "r150")
print("image-resolution 150: %d x %d pixels, %d ppi" % (w, h, ppi))
if not (145 <= ppi <= 155):
    sys.exit("image-resolution: 150 not kept")
w, h, ppi = pdf_image("image-resolution: original\n", "original")
print("original: %d x %d pixels, %d ppi" % (w, h, ppi))
# cairo pads a picture it clips by a few pixels on each side.
if not (W <= w <= W + 32 and H <= h <= H + 32):
    sys.exit("image-resolution: original did not keep every pixel")
