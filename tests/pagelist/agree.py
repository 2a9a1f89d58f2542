#!/usr/bin/env python3
"""agree.py EPUB PDF [N] - the EPUB's page-list and the PDF agree.

Checks that the EPUB has a page-list nav with one entry per PDF page,
labelled as the PDF's page labels are (pdfinfo), each linking to an
epub:type="pagebreak" marker with that label; and, for N pages taken at
random (all when N is 0; seeded, so that a run is repeatable), that the
words right after the marker, in document order, are the first words of
that page's body text in pdftotext (after its running head and folio,
and figures floated to its top).
Pages with no body text of their own (blank, or only footnotes carried
over) are not compared. Prints one line per failure and "N passed, N
failed"; exits 1 on any failure."""
import random
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB = "{http://www.idpf.org/2007/ops}"
CHARS = 16      # compared after each marker
LOOK = 90       # characters of the PDF page searched for them
MARK = "\ue000"
# Not text: joiners and bidi controls, soft hyphens; list markers the
# PDF prints and the EPUB leaves to its stylesheet; the EPUB's note
# back-links, which the PDF leaves out, and the PDF's mark of a code line
# wrapped.
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e"
                       "\u2060-\u2064\u2066-\u2069\ufeff\u21a9\u21aa]")
MARKERS = re.compile(r"(?m)^\s*(\d+\.|[a-z]\.|[ivxlc]+\.|[\u2022\u25e6"
                     r"\u25aa\u2013])\s")


def squeeze(text):
    """Text without white space or invisible characters, for comparing
    what two layouts break into different lines."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", INVISIBLE.sub("", text))


def text_after(root, marker):
    """The EPUB's text after 'marker', in document order."""
    marker.text = MARK
    text = "".join(root.itertext())
    marker.text = None
    return squeeze(text.split(MARK, 1)[1])[:CHARS]


def captions(root):
    """The texts of the document's figure captions: a figure floated to
    the top of a page is printed before the page's text, but it belongs
    to the text before the page's marker."""
    return [c for c in (squeeze("".join(f.itertext()))
                        for f in root.iter(XHTML + "figcaption")) if c]


def without(texts, caps):
    """'texts' with each caption taken out once."""
    out = []
    for t in texts:
        for c in caps:
            t = t.replace(c, "", 1)
        out.append(t)
    return out


def page_texts(pdf, page):
    """The page's text in the order it was drawn (code whose comments
    line up stays in order) and as pdftotext orders it (right-to-left
    lines), each with and without what looks like a list marker at a
    line's start (a numbered heading looks like one too)."""
    out = []
    for args in (["-raw"], []):
        text = subprocess.run(["pdftotext"] + args +
                              ["-f", str(page), "-l", str(page), pdf, "-"],
                              capture_output=True, text=True).stdout
        out += [squeeze(MARKERS.sub(" ", text)), squeeze(text)]
    return out


def main():
    epub, pdf = sys.argv[1], sys.argv[2]
    want = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    passed = failed = 0

    def bad(msg):
        nonlocal failed
        failed += 1
        print("FAIL " + msg)

    z = zipfile.ZipFile(epub)
    names = {n.split("/")[-1]: n for n in z.namelist()}
    nav = ET.fromstring(z.read(names["nav.xhtml"]))
    lists = [n for n in nav.iter(XHTML + "nav")
             if n.get(EPUB + "type") == "page-list"]
    if len(lists) != 1:
        bad("nav.xhtml has %d page-list navs" % len(lists))
        print("%d passed, %d failed" % (passed, failed))
        return 1
    entries = [(a.get("href"), "".join(a.itertext()))
               for a in lists[0].iter(XHTML + "a")]
    info = subprocess.run(["pdfinfo", pdf], capture_output=True,
                          text=True).stdout
    npages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    if len(entries) != npages:
        bad("page-list has %d entries, the PDF %d pages"
            % (len(entries), npages))
    else:
        passed += 1
    docs = {}
    for page, (href, label) in enumerate(entries, 1):
        doc, frag = href.split("#")
        if doc not in docs:
            docs[doc] = ET.fromstring(z.read(names[doc]))
        marker = next((e for e in docs[doc].iter() if e.get("id") == frag),
                      None)
        if marker is None or marker.get(EPUB + "type") != "pagebreak" or \
                marker.get("aria-label") != label:
            bad("page %d (%s): no pagebreak marker %s" % (page, label, href))
    pages = list(range(1, len(entries) + 1))
    random.Random(1).shuffle(pages)
    compared = 0
    for page in pages:
        if want and compared >= want:
            break
        href, label = entries[page - 1]
        doc, frag = href.split("#")
        if doc in ("title-page.xhtml", "colophon.xhtml", "nav.xhtml"):
            continue
        texts = page_texts(pdf, page)
        text = texts[0]
        marker = next(e for e in docs[doc].iter() if e.get("id") == frag)
        after = text_after(docs[doc], marker)
        if len(text) <= 40 or not after:
            continue            # blank, or only a head and a folio
        compared += 1
        if any(after in t[:LOOK + len(after)]
               for t in texts + without(texts, captions(docs[doc]))):
            passed += 1
        else:
            bad("page %d (%s): the EPUB has %r after its marker, the PDF "
                "page begins %r" % (page, label, after, text[:LOOK]))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
