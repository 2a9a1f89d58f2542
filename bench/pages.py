#!/usr/bin/env python3
"""pages.py FILE.pdf - how well a PDF's pages are filled and paired.

Renders every page at 36 dpi (pdftoppm) and finds its bands of ink. The
running head and the folio are the short bands that stand where most
pages have them; what is between is the page's body. The text block's
top and foot are where most pages' bodies start and end. The chapters
open at the outline's top entries (mutool) and on every page whose
body starts well below the text block's top (a chapter's sinkage): the
page before each and the last page are chapter ends, and the pages before the first are front
matter. Over the body pages that are not chapter ends it reports:

  pages        body pages measured
  under85      pages whose body ends above 85 % of the text block
  uneven       spreads (verso and recto, neither a chapter end) whose
               bodies end more than 6 pt apart (a line is more; a
               descender less)
  spreads      spreads measured
  turn_hyphens pages whose last body line ends in a hyphen and whose
               next page is the overleaf (a recto's)
  hyphen_ends  pages of either side whose last body line ends in one

With --list, the page numbers of each. Prints key=value pairs, or a JSON
object with --json. Needs poppler-utils and mupdf-tools."""
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

DPI = 36
GAP = 5             # white rows (at DPI) that part two bands


def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    w, h = int(fields[1]), int(fields[2])
    pix = data[pos + 1:]
    return w, h, pix


def bands(path):
    """The page's bands of ink: (top, bottom) rows, and its height."""
    w, h, pix = read_pgm(path)
    ink = [min(pix[y * w:(y + 1) * w]) < 160 for y in range(h)]
    out, start, white = [], None, 0
    for y, dark in enumerate(ink):
        if dark:
            if start is None:
                start = y
            elif white >= GAP:
                out.append((start, last))
                start = y
            last, white = y, 0
        else:
            white += 1
    if start is not None:
        out.append((start, last))
    return out, h


def outline_pages(pdf):
    """The pages of the outline's top entries."""
    out = subprocess.run(["mutool", "show", pdf, "outline"],
                         capture_output=True, text=True).stdout
    pages = []
    for line in out.splitlines():
        m = re.match(r"^[|+-]\t(\")", line)
        p = re.search(r"#page=(\d+)", line)
        if m and p:
            pages.append(int(p.group(1)))
    return sorted(set(pages))


def last_lines(pdf):
    """Each page's text lines, as strings (pdftotext -layout)."""
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"],
                         capture_output=True, text=True).stdout
    return [[l for l in pg.splitlines() if l.strip()]
            for pg in out.split("\f")]


def short(b):
    return b[1] - b[0] <= 8


def apart(b):
    """The last band stands apart from the one before it by more than a
    line's white: a folio, not the body's last line (a CJK line, or one
    of Latin letters in CJK text, can be a short band of its own at this
    resolution)."""
    return len(b) > 1 and b[-1][0] - b[-2][1] > GAP + 1


def measure(pdf):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", pdf,
                        os.path.join(tmp, "p")], check=True)
        names = sorted(os.listdir(tmp), key=lambda n: int(re.sub(r"\D", "", n)))
        pages = [bands(os.path.join(tmp, n)) for n in names]
    n = len(pages)
    heads = Counter(b[0][0] for b, _ in pages if len(b) > 1 and short(b[0]))
    foots = Counter(b[-1][0] for b, _ in pages
                    if len(b) > 1 and short(b[-1]) and apart(b))
    # A folio stands at one place (give or take two rows) on a third of
    # the pages or more: a book without folios has short last bands
    # only where a page's notes end in a short line, and those are its
    # body.
    head = heads.most_common(1)[0][0] if heads else None
    foot = foots.most_common(1)[0][0] if foots else None
    if foot is not None and \
            sum(k for y, k in foots.items() if abs(y - foot) <= 2) < n / 3:
        foot = None
    body = []
    for b, _ in pages:
        b = list(b)
        if b and foot is not None and short(b[-1]) and \
                abs(b[-1][0] - foot) <= 1 and apart(b):
            b.pop()
        if b and head is not None and short(b[0]) and abs(b[0][0] - head) <= 1:
            b.pop(0)
        body.append((b[0][0], b[-1][1]) if b else None)
    chapters = outline_pages(pdf)
    tops = Counter(x[0] for x in body if x)
    # The foot of the text block: the lowest foot that many pages share,
    # but for the chapters' openings (whose folio can stand at the foot
    # when the others' stands at the head).
    feet = Counter(x[1] for p, x in enumerate(body, 1)
                   if x and p not in chapters)
    top = tops.most_common(1)[0][0]
    common = [f for f, c in feet.items() if c >= max(2, n // 20)]
    block = max(common) if common else feet.most_common(1)[0][0]
    first = chapters[0] if chapters else 1
    ends = {c - 1 for c in chapters} | {n}
    # A page that opens lower than the text block's top (a chapter's
    # sinkage) ends the chapter before it too.
    sink = 24 / (72.0 / DPI)             # two lines or more
    ends |= {p - 1 for p in range(2, n + 1)
             if body[p - 1] is not None and body[p - 1][0] - top > sink}
    # A blank page before a chapter: the page before it ends the chapter.
    for e in sorted(ends):
        k = e
        while k >= 1 and body[k - 1] is None:
            k -= 1
            ends.add(k)
    lines = last_lines(pdf)
    measured = [p for p in range(first, n + 1)
                if p not in ends and body[p - 1] is not None]
    px = 72.0 / DPI
    under = [p for p in measured
             if (body[p - 1][1] - top) < 0.85 * (block - top)]
    spreads = [(v, v + 1) for v in range(2, n, 2)
               if v in measured and v + 1 in measured]
    uneven = [s for s in spreads
              if abs(body[s[0] - 1][1] - body[s[1] - 1][1]) * px > 6]

    def hyphen_end(p):
        pg = lines[p - 1] if p - 1 < len(lines) else []
        # The last line above the folio: the folio line is short and
        # holds only a number or a page label.
        for l in reversed(pg):
            t = l.strip()
            if re.fullmatch(r"[\divxlcIVXLC]+", t):
                continue
            # Typst's hyphens read as soft hyphens (U+00AD).
            return (t.endswith(("-", "\u00ad", "\u2010")) and
                    not t.endswith("--"))
        return False
    hy = [p for p in measured if hyphen_end(p)]
    turn = [p for p in hy if p % 2 == 1]
    return {"pages": len(measured), "under85": under,
            "spreads": len(spreads), "uneven": uneven,
            "turn_hyphens": turn, "hyphen_ends": hy}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    r = measure(args[0])
    if "--json" in sys.argv:
        print(json.dumps(r))
        return
    out = []
    for k, v in r.items():
        if isinstance(v, list):
            out.append(f"{k}={len(v)}")
            if "--list" in sys.argv and v:
                out.append(f"{k}_at={','.join(map(str, v))}")
        else:
            out.append(f"{k}={v}")
    print(" ".join(out))


if __name__ == "__main__":
    main()
