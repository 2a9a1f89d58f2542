#!/usr/bin/env python3
"""textcheck.py BOOK.epub BOOK.pdf - the text of the book's chapters in the
EPUB comes back from the PDF through pdftotext.

Both texts are cut into tokens: words of letters and digits (NFKC, lower
case), and each character of the scripts written without spaces (CJK,
Kana, Hangul syllables count as words here too, one per character). A
word broken by a hyphen at a line's end in the PDF is joined again. Every
token of the EPUB's chapters (not its cover, title page, contents or
colophon) must be found in the PDF as often as it occurs in the EPUB; a
tiny share may be missing only where the PDF sets text the EPUB does not
(none expected). A hyphen at a line's end may be the word's own (a
compound) or the PDF's; both readings count. Prints the counts; exits 1 when more than 0.2 % of the
tokens are missing, listing some."""
import collections
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"


def spaceless(ch):
    o = ord(ch)
    return (0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or
            0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF or
            0x20000 <= o <= 0x2FFFF)


def tokens(text):
    text = unicodedata.normalize("NFKC", text).lower()
    out, word = [], []
    for ch in text:
        if spaceless(ch):
            if word:
                out.append("".join(word))
                word = []
            out.append(ch)
        elif ch.isalnum():
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def chapters(epub):
    z = zipfile.ZipFile(epub)
    opf_path = [n for n in z.namelist() if n.endswith(".opf")][0]
    base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
    opf = ET.fromstring(z.read(opf_path))
    items = {i.get("id"): i.get("href") for i in opf.iter(OPF + "item")}
    skip = ("nav.xhtml", "cover.xhtml", "title-page.xhtml", "colophon.xhtml")
    for ref in opf.iter(OPF + "itemref"):
        href = items[ref.get("idref")]
        if href.endswith(skip):
            continue
        yield ET.fromstring(z.read(base + href))


def text_of(el, out):
    # Alt text is set in the PDF only for images it cannot show.
    if el.tag == XHTML + "head":
        return
    if el.text:
        out.append(el.text)
    for child in el:
        text_of(child, out)
        out.append(" ")
        if child.tail:
            out.append(child.tail)


def main():
    epub, pdf = sys.argv[1], sys.argv[2]
    parts = []
    for doc in chapters(epub):
        text_of(doc, parts)
        parts.append("\n")
    want = collections.Counter(tokens(" ".join(parts)))
    pdftext = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"],
                             check=True, capture_output=True,
                             text=True).stdout
    # A hyphen at a line's end: the word whole, and its parts (a compound
    # word keeps its hyphen there).
    joined = re.sub(r"(\w)[-\u00AD\u2010]\n(\w)", r"\1\2", pdftext)
    have = collections.Counter(tokens(joined))
    have.update(tokens(pdftext))
    missing = {t: n - have[t] for t, n in want.items() if have[t] < n}
    total = sum(want.values())
    lost = sum(missing.values())
    print(f"{total} tokens in the EPUB's chapters, {lost} not found in "
          f"the PDF")
    if total == 0 or lost > total * 0.002 or "-v" in sys.argv:
        worst = sorted(missing.items(), key=lambda kv: -kv[1])[:20]
        print("missing: " + ", ".join(f"{t}×{n}" for t, n in worst))
        return 1
    return 0


sys.exit(main())
