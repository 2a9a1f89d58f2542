#!/usr/bin/env python3
"""pictures.py OCTAVO OUTDIR - PNG pictures as the PDF carries them (read
back with pikepdf, Debian's python3-pikepdf: run it with /usr/bin/python3).
A book of six PNGs made here (zlib alone): a grainy photograph of more
pixels than print needs, a drawing of flat colours, a grey ramp, a
picture half transparent, an indexed one and a 1-bit one; the
photograph shown twice at one width, once at another. In the PDF each is an image XObject whose pixels, decoded,
are the file's (the photograph's scaled down to 300 ppi, each pixel the
average of those it covers), in grey when it is grey, the transparency a
soft mask; the photograph's rows predicted (/Predictor 15) and packed in
fewer bytes than bare pixels at zlib's default level would take; the
drawing, whose pixels print needs all of, carried as its PNG's data
are, and so an indexed picture of 4 bits a pixel (its palette the PDF's
/Indexed colour space) and a grey one of 1 bit; the same picture at the
same width is one XObject."""
import hashlib
import os
import struct
import subprocess
import sys
import zlib

import pikepdf

octavo, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)


def chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data)))


def write_png(name, w, h, colour_type, pixels, depth=8, palette=b""):
    """pixels: the rows' bytes, without filter bytes."""
    n = (w * {0: 1, 2: 3, 3: 1, 6: 4}[colour_type] * depth + 7) // 8
    rows = b"".join(b"\0" + pixels[y * n:(y + 1) * n] for y in range(h))
    with open(os.path.join(out, name), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n"
                + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth,
                                             colour_type, 0, 0, 0))
                + (chunk(b"PLTE", palette) if palette else b"")
                + chunk(b"IDAT", zlib.compress(rows, 6))
                + chunk(b"IEND", b""))


# The photograph: 1600 x 1200, smooth colours and grain of 0..15.
PW, PH = 1600, 1200
grain = hashlib.shake_256(b"photo").digest(PW * PH * 3)
photo = bytes((((i // 3) % PW) * 200 // PW + (g & 15)
               if i % 3 == 0 else
               ((i // 3) // PW) * 200 // PH + (g >> 4)
               if i % 3 == 1 else 90 + (g & 7))
              for i, g in enumerate(grain))
write_png("photo.png", PW, PH, 2, photo)
# The drawing: 300 x 200, four blocks of flat colour.
DW, DH = 300, 200
drawing = b"".join(bytes((200, 40, 40) if x < 150 and y < 100 else
                         (40, 40, 200) if x < 150 else
                         (250, 250, 250) if y < 100 else (30, 160, 60))
                   for y in range(DH) for x in range(DW))
write_png("drawing.png", DW, DH, 2, drawing)
# The grey ramp: 256 x 64.
grey = bytes(x for y in range(64) for x in range(256))
write_png("grey.png", 256, 64, 0, grey)
# Half transparent: 200 x 100 orange, alpha 0 on the left, 255 on the
# right.
clear = b"".join(bytes((240, 140, 20, 0 if x < 100 else 255))
                 for y in range(100) for x in range(200))
write_png("clear.png", 200, 100, 6, clear)

# Indexed: 100 x 50, 4 bits a pixel, 16 colours; one bit a pixel grey,
# 64 x 16.
PALETTE = bytes(c for i in range(16) for c in (i * 16, 255 - i * 16, 90))
indexed = bytes(((x // 10 + y // 10) % 16) << 4 | ((x + 1) // 10 + y // 10)
                % 16 for y in range(50) for x in range(0, 100, 2))
write_png("indexed.png", 100, 50, 3, indexed, 4, PALETTE)
bits = bytes(0xAA if (x // 8 + y) % 2 else 0x0F for y in range(16)
             for x in range(0, 64, 8))
write_png("bits.png", 64, 16, 0, bits, 1)
with open(os.path.join(out, "a.md"), "w") as f:
    f.write("# Pictures\n\n"
            "![A photograph](photo.png){width=80%}\n\n"
            "![A drawing](drawing.png){width=25%}\n\n"
            "![A grey ramp](grey.png){width=20%}\n\n"
            "![Half clear](clear.png){width=20%}\n\n"
            "![Indexed](indexed.png){width=10%}\n\n"
            "![Bits](bits.png){width=5%}\n\n"
            "# Again\n\n![The photograph again](photo.png){width=80%}\n\n"
            "![Smaller](photo.png){width=40%}\n")
with open(os.path.join(out, "book.yaml"), "w") as f:
    f.write("title: Pictures\nchapters: [a.md]\n")
pdf_path = os.path.join(out, "pictures.pdf")
r = subprocess.run([octavo, "build", "--data-dir", ".", "--pdf", pdf_path,
                    os.path.join(out, "book.yaml")],
                   capture_output=True, text=True)
if r.returncode != 0 or r.stderr:
    sys.exit("build failed or warned:\n%s" % r.stderr)

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


pdf = pikepdf.open(pdf_path)
images = {}
for page in pdf.pages:
    for name, x in page.images.items():
        images[x.objgen] = x
# Each picture by its size: the photograph twice (two widths).
by_size = {}
for x in images.values():
    by_size.setdefault((int(x.Width), int(x.Height)), []).append(x)
print("image XObjects:", sorted(by_size))
if len(images) != 7:
    fail("%d image XObjects, not 7 (the photograph at one width is one)"
         % len(images))


def one(w, h, what):
    xs = by_size.get((w, h), [])
    if len(xs) != 1:
        fail("%s: %d XObjects of %d x %d pixels" % (what, len(xs), w, h))
        return None
    return xs[0]


def pixels(x):
    return bytes(x.read_bytes())    # qpdf undoes /FlateDecode, predictors


def idat(name):
    """The data of a PNG's IDAT chunks."""
    with open(os.path.join(out, name), "rb") as f:
        b = f.read()
    pos, data = 8, b""
    while pos < len(b):
        n = struct.unpack(">I", b[pos:pos + 4])[0]
        if b[pos + 4:pos + 8] == b"IDAT":
            data += b[pos + 8:pos + 8 + n]
        pos += 12 + n
    return data


# The drawing needs all its pixels: its data go into the PDF as they are.
d = one(DW, DH, "the drawing")
if d is not None:
    dp = d.get("/DecodeParms")
    if d.ColorSpace != pikepdf.Name.DeviceRGB or dp is None or \
            int(dp.Predictor) != 15 or int(dp.Colors) != 3 or \
            int(dp.Columns) != DW:
        fail("the drawing: not DeviceRGB with PNG predictors")
    if bytes(d.read_raw_bytes()) != idat("drawing.png"):
        fail("the drawing's stream is not its PNG's data as they are")
    if pixels(d) != drawing:
        fail("the drawing's pixels are not the file's")
g = one(256, 64, "the grey ramp")
if g is not None:
    if g.ColorSpace != pikepdf.Name.DeviceGray:
        fail("the grey ramp is not DeviceGray")
    if pixels(g) != grey:
        fail("the grey ramp's pixels are not the file's")
# Indexed and 1-bit pictures go in as they are: their PNG's data, its
# palette the PDF's /Indexed colour space, their bits kept.
x = one(100, 50, "the indexed picture")
if x is not None:
    cs = x.ColorSpace
    if not (isinstance(cs, pikepdf.Array) and cs[0] == pikepdf.Name.Indexed
            and cs[1] == pikepdf.Name.DeviceRGB and int(cs[2]) == 15
            and bytes(cs[3]) == PALETTE):
        fail("the indexed picture's colour space is %r" % cs)
    if int(x.BitsPerComponent) != 4 or int(x.DecodeParms.Colors) != 1 or \
            int(x.DecodeParms.BitsPerComponent) != 4:
        fail("the indexed picture is not of 4 bits a pixel")
    if bytes(x.read_raw_bytes()) != idat("indexed.png"):
        fail("the indexed picture's stream is not its PNG's data")
    if pixels(x) != indexed:
        fail("the indexed picture's pixels are not the file's")
b1 = one(64, 16, "the 1-bit picture")
if b1 is not None:
    if b1.ColorSpace != pikepdf.Name.DeviceGray or \
            int(b1.BitsPerComponent) != 1 or pixels(b1) != bits:
        fail("the 1-bit picture is not its file's bits in grey")
c = one(200, 100, "the half clear picture")
if c is not None:
    mask = c.get("/SMask")
    if mask is None:
        fail("the half clear picture has no /SMask")
    else:
        alpha = pixels(mask)
        want = bytes(0 if x < 100 else 255 for y in range(100)
                     for x in range(200))
        if alpha != want:
            fail("its soft mask is not the file's alpha")
    right = pixels(c)[3 * 150:3 * 151]
    if right != bytes((240, 140, 20)):
        fail("its opaque half is %r, not orange" % right)
photos = [x for (w, h), xs in by_size.items() for x in xs
          if abs(w / h - PW / PH) < 0.01 and w < PW]
for p in photos:
    w = int(p.Width)
    dp = p.get("/DecodeParms")
    if dp is None or int(dp.Predictor) != 15:
        fail("the photograph at %d pixels: rows not predicted" % w)
    raw = pixels(p)
    if len(raw) != w * int(p.Height) * 3:
        fail("the photograph at %d pixels: %d bytes" % (w, len(raw)))
        continue
    # Its first pixel is the average of the source's block it covers.
    k = PW / w
    n = int(k)
    block = [photo[(y * PW + x) * 3] for y in range(n) for x in range(n)]
    if abs(raw[0] - sum(block) / len(block)) > 4:
        fail("the photograph at %d pixels: first red %d, the source's "
             "average %.1f" % (w, raw[0], sum(block) / len(block)))
    packed = len(p.read_raw_bytes())
    bare = len(zlib.compress(raw, 6))
    print("photograph at %d x %d: %d bytes packed, %d bare at level 6"
          % (w, int(p.Height), packed, bare))
    if packed >= bare:
        fail("the photograph at %d pixels: %d bytes, not fewer than bare "
             "pixels' %d" % (w, packed, bare))
if len(photos) != 2:
    fail("%d scaled photographs, not 2" % len(photos))
sys.exit(1 if failures else 0)
