#!/usr/bin/env python3
"""backgrounds.py OCTAVO OUTDIR - an inline element's background colour
is painted in the PDF under its words, on every line they run over: a
<mark> (Markdown's ==mark==) in the user agent's highlighter yellow, a
span in its stylesheet's colour (the background shorthand, its position
passed over without a word); not a block's background, nor one inside
preformatted text. Judged on the page as pdftoppm renders it, word by
word (pdftotext -bbox), at 72 dpi: a pixel per point."""
import os
import re
import subprocess
import sys

octavo, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
YELLOW = (0xff, 0xf5, 0x9d)
BLUE = (0xcc, 0xdd, 0xee)
PINK = (0xff, 0xcc, 0xcc)

with open(os.path.join(out, "a.md"), "w") as f:
    f.write("""# Backgrounds

Before the mark ==highlighted words that run long enough to go on over
the end of the line into the next one of this paragraph== after the mark,
and a <span class="hi">tinted phrase</span> besides.

<p class="boxed">Boxed block words.</p>

<pre>plain <mark>premarked</mark> code</pre>
""")
with open(os.path.join(out, "a.css"), "w") as f:
    f.write(".hi { background: no-repeat #cde top left; }\n"
            "p.boxed { background-color: #fcc; }\n")
with open(os.path.join(out, "book.yaml"), "w") as f:
    f.write("title: Backgrounds\nchapters: [a.md]\nstylesheet: [a.css]\n")
pdf = os.path.join(out, "bg.pdf")
r = subprocess.run([octavo, "build", "--data-dir", ".", "--pdf", pdf,
                    os.path.join(out, "book.yaml")],
                   capture_output=True, text=True)
if r.returncode != 0 or r.stderr:
    sys.exit("build failed or warned:\n" + r.stderr)

html = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True,
                      text=True, check=True).stdout
pages = html.split("<page ")[1:]
page = next(i for i, p in enumerate(pages) if ">highlighted<" in p)
words = [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in
         re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                    r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                    pages[page])]
base = os.path.join(out, "page")
subprocess.run(["pdftoppm", "-r", "72", "-f", str(page + 1), "-l",
                str(page + 1), "-singlefile", pdf, base], check=True)
with open(base + ".ppm", "rb") as f:
    data = f.read()
m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
W, H = int(m.group(1)), int(m.group(2))
px = data[m.end():]


def shares(box, colour):
    """The share of the box's pixels in 'colour', and of dark ones."""
    _, x0, y0, x1, y1 = box
    n = hit = dark = 0
    for y in range(int(y0) + 1, int(y1)):
        for x in range(int(x0) + 1, int(x1)):
            i = 3 * (y * W + x)
            p = px[i:i + 3]
            n += 1
            hit += all(abs(p[k] - colour[k]) <= 10 for k in range(3))
            dark += sum(p) < 200
    return hit / max(n, 1), dark / max(n, 1)


def judge(word, colour, painted):
    boxes = [w for w in words if w[0] == word]
    if not boxes:
        sys.exit("no word '%s' on the page" % word)
    for b in boxes:
        bg, ink = shares(b, colour)
        print("%-12s %s: %.0f%% background, %.0f%% ink" % (
            word, "#%02x%02x%02x" % colour, 100 * bg, 100 * ink))
        if painted and (bg < 0.3 or ink < 0.03):
            sys.exit("'%s': its background is missing, or covers its "
                     "letters" % word)
        if not painted and bg > 0:
            sys.exit("'%s': a background where none belongs" % word)


# The mark's words on both of its lines; the text either side bare.
lines = {round(w[2]) for w in words if w[0] in ("highlighted", "paragraph")}
if len(lines) < 2:
    sys.exit("the mark does not run over two lines: %s" % sorted(lines))
for w in ("highlighted", "words", "paragraph"):
    judge(w, YELLOW, True)
for w in ("Before", "after", "besides."):
    judge(w, YELLOW, False)
judge("tinted", BLUE, True)
judge("phrase", BLUE, True)
judge("Boxed", PINK, False)
judge("premarked", YELLOW, False)
