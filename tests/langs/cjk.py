#!/usr/bin/env python3
"""cjk.py PDF CHAPTER.md NEXT.md - check a CJK chapter of the PDF
of tests/langs/book: its pages run from the one with CHAPTER.md's heading
to the one before NEXT.md's. Prints one line per check, "ok: ..." or
"FAIL: ...", and the figures (the spread of the right ends of the lines
that should be full, kinsoku breaches); exits 1 if a check failed.

Checks, on the lines of the text block (pdftotext -bbox; the block is
print.css's: A5, 54pt inside, 45pt outside, so 320.53pt wide):
  - every paragraph opens with an indent of two characters (2em of
    11pt), and no other line is indented;
  - every line but a paragraph's last ends at the measure (0.5pt);
  - lines stand 1.6em (17.6pt) apart, the same on every page;
  - no line starts with a closing mark (、。，！？ closing brackets and
    quotes, small kana, middle dots...) or ends with an opening one;
  - the punctuation, shared marks too (“ ” — … ·), is drawn in the
    CJK font (mutool trace);
  - two marks of punctuation side by side keep half an em of blank
    between them, not a whole one (a closing mark before any bracket or
    mark, two opening ones: CLREQ §3.1.6.2, JIS X 4051): the second
    stands half an em (5.5pt) after the first, give or take the
    spacing that justifies its line (up to 6.6pt), where the other
    characters stand an em or more apart (mutool trace).
"""
import re
import statistics
import subprocess
import sys

MEASURE = 419.53 - 54 - 45
INSIDE, OUTSIDE = 54.0, 45.0
TOP, BOTTOM = 50.0, 595.28 - 60
INDENT = 2 * 11.0
PITCH = 1.6 * 11.0
CLOSING = set("、。，．：；！？）］｝〕〉》」』】〙〗〟”’…‥·・"
              "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶー々ゝゞヽヾ")
OPENING = set("（［｛〔〈《「『【〘〖〝“‘·・")
PUNCT = set("“”‘’—…·。，、．：；！？（）「」『』《》【】")


def cjk(ch):
    o = ord(ch)
    return 0x3000 <= o <= 0x9FFF or 0xFF00 <= o <= 0xFF60


def heading(md):
    for line in open(md, encoding="utf-8"):
        if line.startswith("# "):
            return line[2:].strip()
    sys.exit("no heading in " + md)


def paragraphs(md):
    """The paragraphs after the heading: blocks of non-empty lines."""
    text = open(md, encoding="utf-8").read().split("\n\n")
    return [b for b in text if b.strip() and not b.startswith("#")]


def pages(pdf):
    """Per page (1-based), its body lines: (text, xmin, xmax, bottom) in
    order."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True,
                         capture_output=True, text=True).stdout
    result = []
    for page in out.split("<page ")[1:]:
        words = []
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                             r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
                             page):
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            if y0 >= TOP and y1 <= BOTTOM:
                words.append((y1, x0, x1, m.group(5)))
        words.sort()
        lines = []
        for y1, x0, x1, w in words:
            if lines and abs(lines[-1][0] - y1) < 3:
                lines[-1][1].append((x0, x1, w))
            else:
                lines.append([y1, [(x0, x1, w)]])
        # A line's bottom: its CJK characters' (one font's boxes), where
        # it has some; Latin words beside them reach lower or not.
        bottoms = {}
        for y1, x0, x1, w in words:
            if any(cjk(c) for c in w):
                for y, ws in lines:
                    if abs(y - y1) < 3:
                        bottoms.setdefault(y, y1)
        result.append([("".join(w for _, _, w in sorted(ws)),
                        min(x for x, _, _ in ws), max(x for _, x, _ in ws),
                        bottoms.get(y, y))
                       for y, ws in lines])
    return result


def chapter_lines(pdf, head, next_head):
    """The chapter's body lines: (page, text, xmin, xmax, bottom), heading
    out."""
    found = []
    inside = False
    for no, lines in enumerate(pages(pdf), 1):
        texts = [t for t, _, _, _ in lines]
        if head in texts:
            inside = True
        elif next_head in texts:
            break
        if inside:
            found += [(no, t, a, b, y) for t, a, b, y in lines
                      if t != head and any(cjk(c) for c in t)]
    return found


def main():
    pdf, md, next_md = sys.argv[1:4]
    lines = chapter_lines(pdf, heading(md), heading(next_md))
    failed = []

    def check(ok, what):
        print(("ok: " if ok else "FAIL: ") + what)
        if not ok:
            failed.append(what)

    if not lines:
        check(False, "the chapter's lines are found")
        return 1
    left = [INSIDE if no % 2 else OUTSIDE for no, _, _, _, _ in lines]
    starts = [i == 0 or lines[i][2] > left[i] + 1 for i in range(len(lines))]
    indents = [round(lines[i][2] - left[i], 2)
               for i in range(len(lines)) if starts[i]]
    check(len(indents) == len(paragraphs(md)) and
          all(abs(d - INDENT) < 0.5 for d in indents),
          "each of the %d paragraphs is indented 2em (%s)" %
          (len(paragraphs(md)), indents))
    ends = [lines[i][3] - (left[i] + MEASURE)
            for i in range(len(lines) - 1) if not starts[i + 1]]
    spread = statistics.pstdev(ends) if ends else 0
    check(ends and all(abs(e) < 0.5 for e in ends),
          "the %d lines that are not a paragraph's last end at the "
          "measure (right ends: std dev %.2fpt, worst %.2fpt)" %
          (len(ends), spread, max(abs(e) for e in ends) if ends else 0))
    # The lines of a page 1.6em apart (print.css), one pitch throughout.
    gaps = [round(lines[i + 1][4] - lines[i][4], 1)
            for i in range(len(lines) - 1)
            if lines[i + 1][0] == lines[i][0]]
    check(gaps and all(abs(g - PITCH) < 0.1 for g in gaps),
          "the %d lines stand %.1fpt apart, page after page (gaps: %s)" %
          (len(lines), PITCH, sorted(set(gaps))))
    bad = [t for _, t, _, _, _ in lines
           if t[0] in CLOSING or t[-1] in OPENING]
    check(not bad, "kinsoku: no line starts with a closing mark or ends "
          "with an opening one (%d do: %s)" % (len(bad), bad))
    first = min(no for no, _, _, _, _ in lines)
    last = max(no for no, _, _, _, _ in lines)
    trace = subprocess.run(["mutool", "trace", pdf, "%d-%d" % (first, last)],
                           check=True, capture_output=True,
                           text=True).stdout
    font, wrong, seen = None, set(), 0
    for row in trace.split("\n"):
        m = re.search(r'<span font="([^"]+)"', row)
        if m:
            font = m.group(1)
        m = re.search(r'<g unicode="([^"]+)"', row)
        if m and m.group(1) in PUNCT:
            seen += 1
            if "CJK" not in font:
                wrong.add((m.group(1), font.split("+")[-1]))
    check(seen > 0 and not wrong,
          "the %d punctuation marks are the CJK font's (not: %s)" %
          (seen, sorted(wrong)))
    pairs, loose = squeezed_pairs(trace, md)
    check(pairs > 0 and not loose,
          "the %d pairs of punctuation side by side stand half an em "
          "apart (not: %s)" % (pairs, loose))
    return 1 if failed else 0


def squeezed_pairs(trace, md):
    """The pairs of punctuation marks that the trace draws side by side on
    a line, and those of them more than half an em apart (with their
    distance)."""
    hans = md.endswith("zh.md")
    right = set("、。，．）］｝〕〉》」』】〙〗”’" + ("：；！？" if hans else ""))
    left = set("（［｛〔〈《「『【〘〖“‘")
    glyphs = re.findall(r'<g unicode="([^"]+)" glyph="\d+" x="([\d.]+)" '
                        r'y="([\d.]+)"', trace)
    pairs, loose = 0, []
    for (a, xa, ya), (b, xb, yb) in zip(glyphs, glyphs[1:]):
        if ya != yb or not ((a in right and b in right | left) or
                            (a in left and b in left)):
            continue
        pairs += 1
        d = float(xb) - float(xa)
        if not 5.2 <= d <= 6.6:     # half an em, and what justifies
            loose.append("%s%s %.2fpt" % (a, b, d))
    return pairs, loose


if __name__ == "__main__":
    sys.exit(main())
