#!/usr/bin/python3
"""check.py PDF EPUB - the tagged PDF read back (pikepdf, Debian's
python3-pikepdf: run it with /usr/bin/python3).

Walks the structure tree from /StructTreeRoot and reads the text of each
marked-content sequence from the pages' content streams (fonts'
/ToUnicode maps, /ActualText spans), then checks:

 - text: the tree's text, its marked content in tree order, is the text
   pdftotext -layout reads, page after page (line after line of the
   page, the columns of a line left to right), less each page's running
   head and folio: the first and last lines of a page, in its top or
   bottom eighth and drawn outside any marked content, that are its
   label, a title of the outline or the book's, or a title and the label
   together, or any text beside the label (a running head cut short or
   given short: "2 The Small Things…") (pdftotext -tsv gives the lines'
   places), and the section
   breaks' "* * *" and wrapped code lines' marks drawn outside it. Both
   sides are compared with white space and hyphens taken out (pdftotext
   joins a word hyphenated at a line's end and drops its hyphen), after
   NFKC, and the bidi marks pdftotext adds; a stretch of right-to-left
   script is compared as its characters, in any order (a line's runs
   are in visual order in the content stream); anything else, a
   missing, extra or misplaced character, fails, and the first
   difference is shown;
   A table row's text may come in another order, cell by cell in the
   tree where pdftotext reads a row whose cells wrap line by line, as
   long as the row holds the same characters;
 - headings: the H1-H6 of the chapters (the Sects) are the EPUB chapters'
   h1-h6, level and text, in order; the contents' title is an H1;
 - every Figure has a non-empty /Alt; every Table has TH cells; every
   footnote of the EPUB, less its links back to its reference (which
   paper leaves out), is the text of a Note; the chapters in another
   language than the book's are the Sects with that /Lang;
 - the catalog has /MarkInfo << /Marked true >>, /Lang and XMP metadata
   with pdfuaid:part 1.

Prints the count of each structure type; exits 1 on the first failing
check, naming it."""
import re
import subprocess
import sys
import unicodedata
import zipfile
import xml.etree.ElementTree as ET

import pikepdf

XHTML = "{http://www.w3.org/1999/xhtml}"
OPS = "{http://www.idpf.org/2007/ops}"


def fail(what):
    print("FAIL " + what)
    sys.exit(1)


def norm(s):
    """White space, hyphens and format characters (the bidi marks that
    pdftotext puts around right-to-left text) taken out, after NFKC."""
    s = unicodedata.normalize("NFKC", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Cf")
    return re.sub(r"[\s\-\u2010]+", "", s)


RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff.,:;!?\u060c\u061b"
                 "\u061f()]+")


def unordered_rtl(s):
    """Each stretch of right-to-left script as its sorted characters: the
    content stream holds a right-to-left line's runs in visual order,
    pdftotext gives them in logical order."""
    return RTL.sub(lambda m: "".join(sorted(m.group())), s)


def utf16(b):
    return b.decode("utf-16-be", "replace")


class Font:
    """A font's codes and their text, from its /ToUnicode CMap."""

    def __init__(self, font):
        self.width = 2 if font.get("/Subtype") == "/Type0" else 1
        self.map = {}
        tu = font.get("/ToUnicode")
        if tu is None:
            return
        text = tu.read_bytes().decode("latin-1")
        for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
            for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>",
                                       block):
                self.map[int(src, 16)] = utf16(bytes.fromhex(dst))
        for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
            for lo, hi, dst in re.findall(
                    r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*"
                    r"(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
                lo, hi = int(lo, 16), int(hi, 16)
                if dst.startswith("["):
                    dsts = re.findall(r"<([0-9A-Fa-f]*)>", dst)
                    for k, d in enumerate(dsts):
                        self.map[lo + k] = utf16(bytes.fromhex(d))
                else:
                    start = bytes.fromhex(dst[1:-1])
                    for k in range(hi - lo + 1):
                        v = int.from_bytes(start, "big") + k
                        self.map[lo + k] = utf16(
                            v.to_bytes(len(start), "big"))

    def text(self, s):
        b = bytes(s)
        w = self.width
        return "".join(self.map.get(int.from_bytes(b[i:i + w], "big"), "")
                       for i in range(0, len(b) - w + 1, w))


# What the pages paint: every painting operator, those in artifacts, and
# those neither tagged (an MCID) nor an artifact, which PDF/UA forbids.
painting = {"painted": 0, "artifact": 0, "untagged": 0}


def marked_text(pdf):
    """{(page index, MCID): text}, and {page index: the text outside
    marked content}; counts the painting operators."""
    texts, outside = {}, {}
    fonts = {}
    paints = {"Tj", "'", '"', "TJ", "S", "s", "f", "F", "f*", "B", "B*",
              "b", "b*", "Do", "sh", "INLINE IMAGE"}

    def run(stream_owner, resources, page, stack):
        font = None
        for operands, op in pikepdf.parse_content_stream(stream_owner):
            op = str(op)
            if op in paints:
                painting["painted"] += 1
                if not any(e is not None and e[0] in ("mcid", "artifact")
                           for e in stack):
                    painting["untagged"] += 1
                elif any(e is not None and e[0] == "artifact"
                         for e in stack):
                    painting["artifact"] += 1
            if op == "BDC":
                props = operands[1]
                if isinstance(props, pikepdf.Name):
                    props = resources.Properties[props]
                if str(operands[0]) == "/Artifact":
                    stack.append(("artifact",))
                elif "/MCID" in props:
                    stack.append(("mcid", int(props.MCID)))
                elif "/ActualText" in props:
                    stack.append(("actual", str(props.ActualText)))
                else:
                    stack.append(None)
            elif op == "BMC":
                stack.append(("artifact",) if str(operands[0]) == "/Artifact"
                             else None)
            elif op == "EMC":
                top = stack.pop()
                if top is not None and top[0] == "actual":
                    emit(top[1], page, stack)
            elif op == "Tf":
                f = resources.Font[operands[0]]
                key = f.objgen
                if key not in fonts:
                    fonts[key] = Font(f)
                font = fonts[key]
            elif op in ("Tj", "'", '"', "TJ"):
                if any(e is not None and e[0] == "actual" for e in stack):
                    continue
                parts = operands[-1]
                if op == "TJ":
                    s = "".join(font.text(p) for p in parts
                                if isinstance(p, pikepdf.String))
                else:
                    s = font.text(parts)
                emit(s, page, stack)
            elif op == "Do":
                xo = resources.XObject[operands[0]]
                if xo.get("/Subtype") == "/Form":
                    run(xo, xo.get("/Resources", resources), page, stack)

    def emit(s, page, stack):
        mcids = [e[1] for e in stack if e is not None and e[0] == "mcid"]
        if mcids:
            texts[(page, mcids[-1])] = texts.get((page, mcids[-1]), "") + s
        else:
            outside[page] = outside.get(page, "") + s

    for i, page in enumerate(pdf.pages):
        run(page.obj, page.obj.get("/Resources", pikepdf.Dictionary()),
            i, [])
    return texts, outside


class Elem:
    def __init__(self, kind, parent, obj):
        self.kind, self.parent, self.obj = kind, parent, obj
        self.kids = []
        self.text = ""


def walk(pdf, texts):
    """The structure tree as Elems; every marked-content reference
    resolved to its text."""
    pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    root = pdf.Root.StructTreeRoot
    top = Elem("StructTreeRoot", None, root)

    def visit(obj, parent, page):
        if isinstance(obj, pikepdf.Array):
            for k in obj:
                visit(k, parent, page)
        elif isinstance(obj, int) or isinstance(obj, pikepdf.Object) and \
                obj._type_code == pikepdf.ObjectType.integer:
            parent.text += texts.pop((page, int(obj)), "")
        elif obj.get("/Type") == "/MCR":
            parent.text += texts.pop((pages[obj.Pg.objgen], int(obj.MCID)),
                                     "")
        elif obj.get("/Type") == "/OBJR":
            pass
        else:
            e = Elem(str(obj.S)[1:], parent, obj)
            parent.kids.append(e)
            pg = pages[obj.Pg.objgen] if "/Pg" in obj else page
            if "/K" in obj:
                visit(obj.K, e, pg)

    visit(root.K, top, None)
    return top


def elems(e):
    yield e
    for k in e.kids:
        yield from elems(k)


def text_of(e):
    return e.text + "".join(text_of(k) for k in e.kids)


def tree_parts(e, out):
    """The tree's text in order, normalised, in pieces: (text, True) for
    a table row's, (text, False) for the rest."""
    if e.kind == "TR":
        out.append((norm(text_of(e)), True))
        return
    out.append((norm(e.text), False))
    for k in e.kids:
        tree_parts(k, out)


def rows_as_tree(parts, want):
    """pdftotext's text with each table row's stretch in the tree's order
    where it holds the same characters: pdftotext reads a row whose
    cells wrap line by line across its cells, the tree cell by cell."""
    pos = 0
    for text, row in parts:
        n = len(text)
        if row and text != want[pos:pos + n] and \
                sorted(text) == sorted(want[pos:pos + n]):
            want = want[:pos] + text + want[pos + n:]
        pos += n
    return want


def inside(e, kind):
    while e is not None:
        if e.kind == kind:
            return True
        e = e.parent
    return False


def outline_titles(pdf):
    titles = []
    with pdf.open_outline() as ol:
        stack = list(ol.root)
        while stack:
            it = stack.pop()
            titles.append(it.title)
            stack.extend(it.children)
    return titles


def pdftotext_lines(path):
    """pdftotext's lines, page by page: (text, top, page height)."""
    out = subprocess.run(["pdftotext", "-tsv", "-enc", "UTF-8", path, "-"],
                         capture_output=True, check=True).stdout.decode()
    pages = []
    for row in out.split("\n")[1:]:
        f = row.split("\t")
        if len(f) < 12:
            continue
        if f[0] == "1":
            pages.append([])
            height = float(f[9])
        elif f[0] == "4":
            pages[-1].append(["", float(f[7]), height])
        elif f[0] == "5":
            pages[-1][-1][0] += " " + f[11]
    return pages


BREAK = "***"       # a section break (hr), drawn as decoration
WRAP = "\u21aa"     # the mark of a line of code that goes on


def beside_label(text, label):
    """A running head with its folio, however its title was shortened."""
    return text != label and (text.startswith(label) or
                              text.endswith(label))


def body_text(pdf, path, outside, marked_pages):
    """pdftotext's text of each page (-layout: a line of the page is a
    line of text, whatever its columns) less what is drawn outside the
    marked content (a table's repeated head rows) and its running head and folio:
    a first or last line of the page that is its label, a title (the
    outline's, the book's) or both, standing in its top or bottom eighth
    (pdftotext -tsv gives where lines stand, and may part what -layout
    puts on one line) and drawn outside the marked content (a heading
    at the top of a page, marked, stays); and a section break's "* * *"
    and the marks of wrapped code lines drawn outside the marked
    content."""
    heads = {norm(t) for t in outline_titles(pdf)}
    title = pdf.docinfo.get("/Title")
    if title is not None:
        heads.add(norm(str(title)))
    layout = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", path,
                             "-"], capture_output=True,
                            check=True).stdout.decode().split("\f")
    out = []
    for i, placed in enumerate(pdftotext_lines(path)):
        label = norm(str(pdf.pages[i].label))
        furniture = {label} | heads | {h + label for h in heads} | \
            {label + h for h in heads}
        band = [(norm(t), top < h / 8) for t, top, h in placed
                if norm(t) in norm(outside.get(i, "")) and
                (top < h / 8 or top > h * 7 / 8)]
        margins = {t for t, _ in band if t in furniture or
                   beside_label(t, label)}
        # pdftotext -tsv may part a head from its folio: beside the
        # folio, what the band holds outside the marked content is the
        # head.
        for edge in (True, False):
            if any(t == label for t, at in band if at == edge):
                margins |= {t for t, at in band if at == edge}
        margins |= {a + b for a in margins for b in margins}
        lines = [ln for ln in layout[i].split("\n") if norm(ln) and
                 not (norm(ln) == BREAK and BREAK in norm(outside.get(i, "")))]
        # A line of furniture at each end; and, where pdftotext parted a
        # head from its folio, the other half after it. Not a second
        # line that only repeats the head: a heading at the top of the
        # page that the running head names (marked content, it stays).
        for pick in (0, -1):
            if not lines or norm(lines[pick]) not in margins:
                continue
            first = norm(lines.pop(pick))
            if lines and norm(lines[pick]) in margins and \
                    (first == label) != (norm(lines[pick]) == label):
                lines.pop(pick)
        # A line drawn whole outside the marked content and in none of
        # it: a table's head rows set again where the table goes on (an
        # artifact, as PDF/UA has repeated heads).
        marked = marked_pages.get(i, "")
        drawn = norm(outside.get(i, ""))
        lines = [ln for ln in lines if not (norm(ln) in drawn and
                                            norm(ln) not in marked)]
        text = "\n".join(lines)
        for _ in range(outside.get(i, "").count(WRAP)):
            text = text.replace(WRAP, "", 1)
        out.append(text)
    return "\n".join(out)


def epub_docs(epub):
    """The EPUB's chapters (spine order, nav and front matter left out)
    as parsed XHTML, and its nav."""
    z = zipfile.ZipFile(epub)
    opf_path = re.search(r'full-path="([^"]+)"',
                         z.read("META-INF/container.xml").decode()).group(1)
    base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
    opf = ET.fromstring(z.read(opf_path))
    ns = "{http://www.idpf.org/2007/opf}"
    items = {i.get("id"): i for i in opf.iter(ns + "item")}
    docs = []
    for ref in opf.iter(ns + "itemref"):
        item = items[ref.get("idref")]
        href = item.get("href")
        if "nav" in (item.get("properties") or "") or \
                re.search(r"title-page|colophon|cover", href):
            continue
        docs.append(ET.fromstring(z.read(base + href)))
    return docs


def epub_headings(docs):
    out = []
    for d in docs:
        for el in d.iter():
            m = re.fullmatch(re.escape(XHTML) + r"h([1-6])", el.tag)
            if m and not in_note(d, el):
                out.append((int(m.group(1)), norm(plain(el))))
    return out


def plain(el):
    """An element's text, note references left out (as in the PDF's
    outline)."""
    s = el.text or ""
    for k in el:
        if not is_noteref(k):
            s += plain(k)
        s += k.tail or ""
    return s


def is_noteref(el):
    return "noteref" in (el.get(OPS + "type") or "") or \
        "doc-noteref" in (el.get("role") or "")


def is_note(el):
    return re.search(r"\b(footnote|endnote)\b",
                     el.get(OPS + "type") or "") is not None or \
        re.search(r"doc-(footnote|endnote)\b", el.get("role") or "")


def in_note(doc, target):
    parents = {c: p for p in doc.iter() for c in p}
    while target is not None:
        if is_note(target):
            return True
        target = parents.get(target)
    return False


def is_backlink(el):
    return el.tag == XHTML + "a" and (
        "backlink" in (el.get(OPS + "type") or "") or
        "doc-backlink" in (el.get("role") or "") or
        el.get("data-footnote-backref") is not None or
        re.search(r"\bfootnote-back(ref)?\b", el.get("class") or ""))


def text_without_backlinks(el):
    s = "" if is_backlink(el) else el.text or ""
    for k in el:
        s += text_without_backlinks(k) + (k.tail or "")
    return s


def epub_notes(docs):
    return [norm(text_without_backlinks(el)) for d in docs
            for el in d.iter()
            if is_note(el) and el.tag in (XHTML + "aside", XHTML + "li")]


def main():
    path, epub = sys.argv[1], sys.argv[2]
    info = subprocess.run(["pdfinfo", path], capture_output=True,
                          text=True).stdout
    if not re.search(r"^Tagged:\s+yes$", info, re.M):
        fail("pdfinfo does not say Tagged: yes")
    pdf = pikepdf.open(path)
    cat = pdf.Root
    if "/MarkInfo" not in cat or not cat.MarkInfo.get("/Marked"):
        fail("no /MarkInfo << /Marked true >> in the catalog")
    if "/Lang" not in cat:
        fail("no /Lang in the catalog")
    if "/Metadata" not in cat or \
            b"<pdfuaid:part>1</pdfuaid:part>" not in cat.Metadata.read_bytes():
        fail("no XMP metadata with pdfuaid:part 1")
    texts, outside = marked_text(pdf)
    if painting["untagged"] > 0:
        fail(f"{painting['untagged']} of {painting['painted']} painting "
             f"operators are neither tagged nor artifacts")
    print(f"painted: {painting['painted']} operators, "
          f"{painting['artifact']} in artifacts, none untagged")
    marked_pages = {}               # (walk takes the texts it reads)
    for (pg, _), t in texts.items():
        marked_pages[pg] = marked_pages.get(pg, "") + t
    marked_pages = {pg: norm(t) for pg, t in marked_pages.items()}
    tree = walk(pdf, texts)
    if len(tree.kids) != 1 or tree.kids[0].kind != "Document":
        fail("the structure tree is not one Document")
    counts = {}
    for e in elems(tree.kids[0]):
        counts[e.kind] = counts.get(e.kind, 0) + 1
    print("elements: " + ", ".join(f"{k} {v}" for k, v in
                                   sorted(counts.items())))

    parts = []
    tree_parts(tree, parts)
    got = "".join(text for text, _ in parts)
    want = rows_as_tree(parts, norm(body_text(pdf, path, outside,
                                              marked_pages)))
    got, want = unordered_rtl(got), unordered_rtl(want)
    if got != want:
        at = next((i for i in range(min(len(got), len(want)))
                   if got[i] != want[i]), min(len(got), len(want)))
        fail(f"the tree's text and pdftotext's part at character {at} of "
             f"{len(want)}:\n  tree:      ...{got[max(0, at - 40):at + 40]}"
             f"\n  pdftotext: ...{want[max(0, at - 40):at + 40]}")
    print(f"text: the tree's {len(got)} characters are pdftotext's")

    docs = epub_docs(epub)
    heads = [(int(e.kind[1]), norm(text_of(e)))
             for e in elems(tree.kids[0])
             if re.fullmatch(r"H[1-6]", e.kind) and inside(e, "Sect")]
    if heads != epub_headings(docs):
        fail(f"headings: {heads} are not the EPUB's {epub_headings(docs)}")
    if "TOC" in counts and not any(
            e.kind == "H1" and not inside(e, "Sect")
            for e in elems(tree.kids[0])):
        fail("the contents have no H1 title")
    print(f"headings: {len(heads)}, as the EPUB's")

    for e in elems(tree.kids[0]):
        if e.kind == "Figure" and not str(e.obj.get("/Alt", "")).strip():
            fail("a Figure without /Alt: " + text_of(e)[:60])
        if e.kind == "Table" and not any(k.kind == "TH" for k in elems(e)):
            fail("a Table without TH cells: " + text_of(e)[:60])
    notes = [norm(text_of(e)) for e in elems(tree) if e.kind == "Note"]
    for n in epub_notes(docs):
        if not any(n in t or t in n for t in notes if t):
            fail(f"footnote {n[:60]!r} is no Note")
    # PDF/UA (ISO 14289-1 §7.9): each Note has an /ID of its own, which
    # the tree root's /IDTree finds.
    ids = [bytes(e.obj.ID) for e in elems(tree) if e.kind == "Note"
           and "/ID" in e.obj]
    if len(ids) != counts.get("Note", 0) or len(set(ids)) != len(ids):
        fail(f"{counts.get('Note', 0)} Notes, {len(set(ids))} /IDs of "
             f"their own")
    if ids:
        root = pdf.Root.StructTreeRoot
        names = root.IDTree.Names if "/IDTree" in root else []
        found = {bytes(names[i]): names[i + 1].objgen
                 for i in range(0, len(names), 2)}
        for e in elems(tree):
            if e.kind == "Note" and \
                    found.get(bytes(e.obj.ID)) != e.obj.objgen:
                fail(f"the /IDTree does not find Note {bytes(e.obj.ID)!r}")
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    want = sorted(d.get(xml_lang) or d.get("lang") for d in docs
                  if (d.get(xml_lang) or d.get("lang")) != str(cat.Lang))
    got = sorted(str(e.obj.Lang) for e in tree.kids[0].kids
                 if e.kind == "Sect" and "/Lang" in e.obj)
    if got != want:
        fail(f"chapters' /Lang: {got}, not the EPUB's {want}")
    print(f"figures with /Alt: {counts.get('Figure', 0)}, tables with TH: "
          f"{counts.get('Table', 0)}, notes: {counts.get('Note', 0)} (with "
          f"{len(ids)} /IDs) for "
          f"{len(epub_notes(docs))} footnotes, chapters with their own "
          f"/Lang: {len(got)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
