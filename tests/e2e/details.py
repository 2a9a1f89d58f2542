#!/usr/bin/env python3
"""details.py CHECK PDF EPUB - the details of tests/e2e/details, judged in
the PDF as printed: the text pdftotext gives, the glyphs mutool trace
places (font, size, position) and, where the shape of a glyph is the
point, the ink of the page rendered by pdftoppm. Each CHECK prints what it
found and exits 1 on failure:

  heads     every continuing page has a running head that is whole or cut
            after a word with an ellipsis: the book's title over versos;
            over rectos the first chapter's long title cut, the short-title
            of the second (book.yaml), the data-running-head of the third,
            the fourth's title, and the appendix's own title (an h2)
  notes     a footnote opens with its number raised and smaller, not
            "1."; no back-link arrow anywhere in the PDF, while the EPUB
            keeps the one of the chapter written as GitHub writes notes
  figures   the figures 0, 1 and 2 rise to the capitals' height in the
            table (lining) and to the x-height in the text (old-style);
            the raised 1 of a note's call and of its number is lining
  code      inline code has the x-height of the text around it (within
            5%), and a wrapped code line's mark stands inside the block,
            the wrapped text after it
  captions  the caption written in a <p> (as pandoc writes figures) is
            centred on the measure, smaller than the text, and its image
            (an <img> with display: block) is printed
"""
import html
import os
import re
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfcheck import Book, Failure, norm  # noqa: E402

WANT_RECTOS = [
    None,  # the first chapter's title, cut after a word
    "A Short Title",
    "Its Own Head",
    "Notes From Elsewhere",
    "Appendix A: Keywords",
]
DPI = 288


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True).stdout


def cut_at_a_word(got, whole):
    """'got' is 'whole', or 'whole' cut after a word with an ellipsis."""
    if norm(got) == norm(whole):
        return True
    if not got.endswith("\u2026"):
        return False
    g, w = norm(got[:-1]), norm(whole)
    return w.startswith(g) and g[-1:].isalnum() and \
        not w[len(g)].isalnum()


def check_heads(b):
    opens = [page for page, _ in b.openings()]
    if len(opens) != len(WANT_RECTOS):
        raise Failure(f"{len(opens)} chapters, not {len(WANT_RECTOS)}")
    seen = [0] * len(opens)
    for i in range(b.front, b.n):
        if i in opens or not b.rows[i] or not b.has_head(i):
            continue
        chapter = max(k for k, page in enumerate(opens) if page <= i)
        words = [w["t"] for w in b.rows[i][0].words]
        verso = i % 2 == 1
        head = " ".join(words[1:] if verso else words[:-1])
        if verso:
            ok = cut_at_a_word(head, b.title)
        elif WANT_RECTOS[chapter] is None:
            ok = head.endswith("\u2026") and \
                cut_at_a_word(head, b.chapters[chapter][0])
            seen[chapter] += ok
        else:
            ok = norm(head) == norm(WANT_RECTOS[chapter])
            seen[chapter] += ok
        if not ok:
            raise Failure(f"page {b.labels[i]}: running head {head!r}")
    if 0 in seen:
        raise Failure(f"no recto with a running head in chapter "
                      f"{seen.index(0) + 1}")
    print(f"heads: whole or cut at a word; {sum(seen)} rectos headed by "
          "their chapter's title, short-title, data-running-head")


def page_words(pdf):
    """[(page, [words])] of pdftotext -bbox, each word a dict of its box
    and text."""
    out = []
    xml = run("pdftotext", "-bbox", pdf, "-").decode()
    for n, page in enumerate(xml.split("<page ")[1:]):
        words = [dict({k: float(v) for k, v in
                       re.findall(r'(\w+)="([^"]*)"', m.group(1))},
                      t=html.unescape(m.group(2)))
                 for m in re.finditer(r"<word ([^>]*)>(.*?)</word>", page)]
        out.append((n, words))
    return out


def check_notes(b, epub):
    found = 0
    for page, words in page_words(b.pdf):
        for k in range(1, len(words) - 1):
            num, first, second = words[k - 1], words[k], words[k + 1]
            if (first["t"], second["t"]) != ("The", "number") or \
                    not num["t"].isdigit():
                continue
            h, hn = first["yMax"] - first["yMin"], \
                num["yMax"] - num["yMin"]
            if not (hn < 0.9 * h and num["yMax"] < first["yMax"] - 0.2 * h):
                raise Failure(f"page {page + 1}: the note's number "
                              f"{num['t']!r} is not raised and smaller")
            found += 1
    if found != 1:
        raise Failure(f"{found} notes 'The number of this note' found")
    text = run("pdftotext", b.pdf, "-").decode()
    if "\u21a9" in text or re.search(r"^\d+\. The number", text, re.M):
        raise Failure("the PDF has a back-link arrow or a note number "
                      "'1.'")
    if re.search(r"^Footnotes$", text, re.M):
        raise Failure("the PDF has the GitHub notes' heading")
    with zipfile.ZipFile(epub) as z:
        doc = "".join(z.read(n).decode() for n in z.namelist()
                      if n.endswith("imported.xhtml"))
    if "\u21a9" in doc or "<ol" in doc or \
            not re.search(r'<aside id="fn-back" epub:type="footnote"', doc) or \
            '<a href="#fnref-back" role="doc-backlink" class="note-number">' \
            '1.</a>' not in doc:
        raise Failure("the EPUB's GitHub note is not a footnote of octavo's, "
                      "its number the link back")
    print("notes: the number raised and smaller; no back-link arrow in the "
          "PDF; the GitHub note a footnote in the EPUB too")


def glyphs(pdf, page):
    """The glyphs mutool trace places on 'page' (1-based): dicts of font,
    size, x, y (baseline, from the top), advance and text, in order."""
    out = []
    trace = run("mutool", "trace", pdf, str(page)).decode()
    for span in re.finditer(r'<span font="([^"]*)"[^>]*trm="([^"]*)"'
                            r'[^>]*>(.*?)</span>', trace, re.S):
        trm = [float(v) for v in span.group(2).split()]
        for g in re.finditer(r'<g unicode="([^"]*)"[^>]*x="([^"]*)" '
                             r'y="([^"]*)" adv="([^"]*)"', span.group(3)):
            out.append({"font": span.group(1), "size": abs(trm[3]),
                        "w": abs(trm[0]) * float(g.group(4)),
                        "x": float(g.group(2)), "y": float(g.group(3)),
                        "t": html.unescape(g.group(1))})
    return out


def words_of(gl):
    """Runs of glyphs of one font and size on one baseline, between
    spaces: [(text, [glyphs])]."""
    out, cur = [], []
    for g in gl + [None]:
        if cur and (g is None or g["t"].isspace() or
                    g["font"] != cur[-1]["font"] or
                    abs(g["y"] - cur[-1]["y"]) > 0.1 or
                    g["x"] < cur[-1]["x"]):
            out.append(("".join(c["t"] for c in cur), cur))
            cur = []
        if g is not None and not g["t"].isspace():
            cur.append(g)
    return out


class Ink:
    """A page rendered in grey (pdftoppm -gray), to see how high a glyph's
    ink rises above its baseline."""

    def __init__(self, pdf, page, tmp):
        base = f"{tmp}-{page}"
        run("pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page),
            "-gray", "-singlefile", pdf, base)
        with open(base + ".pgm", "rb") as f:
            data = f.read()
        head = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", data)
        self.w, self.h = int(head.group(1)), int(head.group(2))
        self.px = data[head.end():]
        os.unlink(base + ".pgm")

    def height(self, g):
        """Points from the baseline of glyph g to the top of its ink, up
        to 0.9 em (a rule above the line is not the glyph's)."""
        k = DPI / 72
        x0 = int((g["x"] + 0.2 * g["w"]) * k)
        x1 = max(x0 + 1, int((g["x"] + 0.8 * g["w"]) * k))
        base = int(g["y"] * k)
        for row in range(max(0, int(base - 0.9 * g["size"] * k)), base):
            line = self.px[row * self.w + x0:row * self.w + x1]
            if min(line, default=255) < 128:
                return (base - row) / k
        return 0


def raised_ones(b, tmp):
    """How high the ink of the note's call (the text's size over 1.2) and
    of its number (the note's, 0.8 of the text's, over 1.2) rises, as a
    share of their size, on the first chapter's first page."""
    page = b.front + 1
    sizes = (b.body_size / 1.2, 0.8 * b.body_size / 1.2)
    ones = [g for g in glyphs(b.pdf, page) if "Garamond" in g["font"] and
            any(abs(g["size"] - s) < 0.05 for s in sizes)]
    if len(ones) != 2:
        raise Failure(f"{len(ones)} raised figures on page {page}, not 2")
    ink = Ink(b.pdf, page, tmp)
    return [ink.height(g) / g["size"] for g in ones]


def check_figures(b, tmp):
    """Each digit of the words looked for is found by its place: pdftotext
    gives the word's box, mutool trace the glyphs in it (their text is in
    the PDF's ActualText, which trace does not show)."""
    table = {"1997", "2010", "2024", "11", "1480", "207", "0.50", "12.25",
             "87.25"}
    text = {"1997", "1,480", "10.50"}
    got = {"table": [], "text": []}
    for page, words in page_words(b.pdf):
        want = [w for w in words if w["t"].strip(",.;:()") in table | text]
        if not want:
            continue
        gl = [g for g in glyphs(b.pdf, page + 1) if "Garamond" in g["font"]]
        ink = Ink(b.pdf, page + 1, tmp)
        for w in want:
            word = w["t"].strip(",.;:()")
            inside = sorted((g for g in gl if
                             w["xMin"] - 0.5 <= g["x"] < w["xMax"] and
                             w["yMin"] <= g["y"] <= w["yMax"] + 1),
                            key=lambda g: g["x"])[:len(word)]
            if len(inside) != len(word):
                continue
            size = inside[0]["size"]
            kind = "table" if word in table and \
                abs(size - 0.9 * b.body_size) < 0.1 else \
                "text" if word in text and \
                abs(size - b.body_size) < 0.1 else None
            if kind is not None:
                got[kind] += [ink.height(g) / g["size"]
                              for c, g in zip(word, inside) if c in "012"]
        if len(got["table"]) >= 12 and len(got["text"]) >= 12:
            break
    got["raised"] = raised_ones(b, tmp)
    if not got["table"] or not got["text"]:
        raise Failure(f"figures not found: {got}")
    if min(got["table"] + got["raised"]) < 0.58 or max(got["text"]) > 0.5:
        raise Failure("figures 0, 1, 2 rise to " +
                      ", ".join(f"{k}: {min(v):.2f}-{max(v):.2f} em"
                                for k, v in got.items()))
    print(f"figures: 0, 1, 2 rise to {min(got['table']):.2f} em or more in "
          f"the table (lining), {max(got['text']):.2f} em or less in the "
          f"text (old-style); a note's raised 1 to {min(got['raised']):.2f} "
          "em (lining)")


def median(v):
    v = sorted(v)
    return v[len(v) // 2]


def check_code(b, tmp):
    page = b.front + 1                  # the first chapter's first page
    gl = glyphs(b.pdf, page)
    ink = Ink(b.pdf, page, tmp)
    body = b.body_size
    flat = set("acemnorsuvwxz")         # no ascender: their x-height
    inline = [g for g in gl if "Mono" in g["font"] and g["t"] in flat and
              g["size"] < 0.9 * body and
              any("Garamond" in t["font"] and abs(t["y"] - g["y"]) < 0.1
                  for t in gl)]
    lines = {g["y"] for g in inline}
    text = [g for g in gl if "Garamond" in g["font"] and g["y"] in lines and
            g["t"] in flat and abs(g["size"] - body) < 0.1]
    if not inline or not text:
        raise Failure("no inline code in a line of text on page 1")
    code_x = median([ink.height(g) for g in inline])
    text_x = median([ink.height(g) for g in text])
    if abs(code_x / text_x - 1) > 0.05:
        raise Failure(f"inline code's x-height {code_x:.2f} pt, the "
                      f"text's {text_x:.2f} pt")
    marks = [g for g in gl if g["t"] == "\u21aa"]
    block = [g for g in gl if "Mono" in g["font"] and g not in marks and
             g["y"] not in lines]
    if len(marks) != 2 or not block:
        raise Failure(f"{len(marks)} wrap marks, {len(block)} code glyphs")
    left = min(g["x"] for g in block)
    for m in marks:
        after = [g["x"] for g in block if abs(g["y"] - m["y"]) < 0.1]
        if abs(m["x"] - left) > 0.5 or not after or \
                min(after) < m["x"] + m["w"]:
            raise Failure(f"wrap mark at x={m['x']:.1f}, the block's "
                          f"left edge at {left:.1f}, its line's text at "
                          f"{min(after, default=0):.1f}")
    print(f"code: x-height {code_x:.2f} pt inline, {text_x:.2f} pt in the "
          f"text; 2 wrap marks at the block's left edge ({left:.1f} pt)")


def check_captions(b):
    xml = run("pdftotext", "-bbox-layout", b.pdf, "-").decode()
    for n, page in enumerate(xml.split("<page ")[1:]):
        lines = []
        for m in re.finditer(r"<line ([^>]*)>(.*?)</line>", page, re.S):
            box = {k: float(v) for k, v in
                   re.findall(r'(\w+)="([^"]*)"', m.group(1))}
            words = re.findall(r"<word [^>]*>(.*?)</word>", m.group(2))
            box["t"] = html.unescape(" ".join(words))
            lines.append(box)
        start = next((k for k, ln in enumerate(lines)
                      if ln["t"].startswith("A figure as pandoc")), None)
        if start is None:
            continue
        caption = lines[start:start + 2]
        body = [ln for ln in lines if abs(ln["yMax"] - ln["yMin"] -
                                          b.body_size) < 0.6]
        centre = (min(ln["xMin"] for ln in body) +
                  max(ln["xMax"] for ln in body)) / 2
        for ln in caption:
            mid = (ln["xMin"] + ln["xMax"]) / 2
            if abs(mid - centre) > 1 or \
                    ln["yMax"] - ln["yMin"] > 0.95 * b.body_size:
                raise Failure(f"caption line {ln['t']!r}: centre {mid:.1f} "
                              f"(the measure's {centre:.1f}), "
                              f"{ln['yMax'] - ln['yMin']:.1f} pt tall")
        trace = run("mutool", "trace", b.pdf, str(n + 1)).decode()
        if "<fill_image" not in trace:
            raise Failure(f"page {n + 1}: the figure's image is not printed")
        print(f"captions: 2 lines centred on the measure ({centre:.1f} pt), "
              "smaller than the text; the display: block image printed")
        return
    raise Failure("no caption 'A figure as pandoc writes it...'")


def main(argv):
    if len(argv) != 4:
        print(__doc__)
        return 2
    what, pdf, epub = argv[1:4]
    tmp = os.path.join(os.path.dirname(os.path.abspath(pdf)),
                       "details-ink")
    try:
        b = Book(pdf, epub)
        if what == "heads":
            check_heads(b)
        elif what == "notes":
            check_notes(b, epub)
        elif what == "figures":
            check_figures(b, tmp)
        elif what == "code":
            check_code(b, tmp)
        elif what == "captions":
            check_captions(b)
        else:
            print(f"details: unknown check {what!r}")
            return 2
    except Failure as e:
        print(f"{what}: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
