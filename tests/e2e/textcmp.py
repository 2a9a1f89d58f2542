#!/usr/bin/env python3
"""textcmp.py PDF_TEXT MANUSCRIPT.md [RUNNING_HEAD...]

Checks that every word of the manuscript comes back from pdftotext, in
order. Both sides are reduced to their letters and digits (NFKC, so
ligatures count as their letters; hyphens and punctuation dropped). The
PDF's lines are then matched against the manuscript one after another:
a line that does not continue it may only be a folio or a running head
(or come before the text starts, such as the title page). Prints the
number of words found; exits 1 at the first line out of place."""
import re
import sys
import unicodedata


def stream(text):
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())


def markdown_text(md):
    out = []
    for line in md.splitlines():
        line = re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?)+", "", line)
        line = re.sub(r"\[\^[^\]]+\]:?", "", line)       # footnote marks
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links
        out.append(line)
    return "\n".join(out)


def main():
    pdf_lines = open(sys.argv[1], encoding="utf-8").read().replace(
        "\f", "\n").splitlines()
    text = markdown_text(open(sys.argv[2], encoding="utf-8").read())
    want = stream(text)
    heads = {stream(h) for h in sys.argv[3:]}
    pos = 0
    for number, line in enumerate(pdf_lines, 1):
        s = stream(line)
        if not s or pos == len(want):
            continue
        if want.startswith(s, pos):
            pos += len(s)
        elif pos == 0 or s in heads or re.fullmatch(r"[0-9]+|[ivxlc]+", s):
            continue
        else:
            print(f"line {number} of the PDF text is out of place: {line!r}")
            print(f"  expected: ...{want[pos:pos + 60]}")
            return 1
    if pos < len(want):
        print(f"the PDF text ends after {pos} of {len(want)} characters;")
        print(f"  missing: {want[pos:pos + 60]}...")
        return 1
    print(f"text: {len(text.split())} words of the manuscript, in order")
    return 0


if __name__ == "__main__":
    sys.exit(main())
