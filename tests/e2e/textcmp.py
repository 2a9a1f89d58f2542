#!/usr/bin/env python3
"""textcmp.py PDF_TEXT MANUSCRIPT.md [RUNNING_HEAD...]

Checks that every word of the manuscript comes back from pdftotext, in
order: both sides are reduced to their letters and digits (NFKC, so
ligatures count as their letters; hyphens and punctuation dropped), after
folios and running heads are removed from the PDF text. Prints the number
of words compared; exits 1 with the first difference otherwise."""
import re
import sys
import unicodedata


def stream(text):
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())


def markdown_words(md):
    out = []
    for line in md.splitlines():
        line = re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?)+", "", line)
        line = re.sub(r"\[\^[^\]]+\]:?", "", line)       # footnote marks
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links
        out.append(line)
    return "\n".join(out)


def main():
    pdf_text = open(sys.argv[1], encoding="utf-8").read()
    md = open(sys.argv[2], encoding="utf-8").read()
    heads = {stream(h) for h in sys.argv[3:]}
    kept = []
    for line in pdf_text.replace("\f", "\n").splitlines():
        s = stream(line)
        if re.fullmatch(r"[0-9]+|[ivxlc]+", s) or s in heads:
            continue
        kept.append(line)
    got = stream("\n".join(kept))
    want = stream(markdown_words(md))
    nwords = len(markdown_words(md).split())
    if want in got:
        print(f"text: {nwords} words of the manuscript found in order")
        return 0
    # Report where the two first part.
    best = 0
    for start in range(len(got)):
        n = 0
        while (start + n < len(got) and n < len(want)
               and got[start + n] == want[n]):
            n += 1
        if n > best:
            best, at = n, start
    print(f"text differs after {best} of {len(want)} characters:")
    print(f"  expected: ...{want[max(0, best - 40):best + 40]}")
    if best:
        print(f"  got:      ...{got[max(0, at + best - 40):at + best + 40]}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
