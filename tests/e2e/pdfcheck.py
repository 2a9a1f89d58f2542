#!/usr/bin/env python3
"""pdfcheck.py CHECK PDF [EPUB] - judge a book PDF the way a reader would.

The PDF is read with the tools a reader's software uses: qpdf --json (page
labels, outline, link annotations, named destinations), pdftotext
-bbox-layout (where each word is printed) and pdftotext (the text). The
EPUB built from the same source says which chapters and headings the book
has. Each CHECK prints what it found and exits 1 on the first failure:

  labels    page labels: lower-case roman numerals for the front matter,
            arabic from 1 for the body, and each printed folio its label
  heads     chapters open on rectos with no running head and the folio at
            the foot; blank pages are versos and truly empty; other pages
            carry the book title (versos) or the chapter title (rectos)
            with the folio at the outer corner
  toc       every contents entry's folio is the page that shows the
            heading, and the entry links to that page
  notes     every footnote starts on the page of its first reference
  widows    no page begins with the single last line of a paragraph
  keep      no page ends with a heading
  outline   every heading of the EPUB's body has a bookmark, in order
  rtl       a right-to-left chapter (dir="rtl") reads in logical order,
            is set in DejaVu Sans and flush right
  bodytext  OUT: write the text of the body pages (labels 1, 2, ...) to OUT
  same-x    WORD...: each word is printed once, all at the same left edge
            (cells of one column), on successive lines

and, given the octavo binary and a book instead of a PDF, checks that the
book's stylesheet drives the PDF. Each builds a copy of the book in DIR
whose stylesheets are its own (or octavo's book.css) and one more:

  pagesize  OCTAVO BOOK.yaml DIR SIZE WANT: '@page { size: SIZE }' gives
            pages that pdfinfo reports as WANT ("432 x 648")
  restyle   OCTAVO BOOK.yaml DIR: 'h1 { font-size: 30pt }' and
            'p { text-indent: 0 }' make the chapter title 30/19.8 times as
            tall and leave no body line indented, where the book as it is
            indents paragraphs
  heads     OCTAVO BOOK.yaml DIR: the running-head example of README.md
            (chapter title at the outer corner of rectos, the folio at
            their foot) shows on every continuing recto
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

XHTML = "{http://www.w3.org/1999/xhtml}"
OPS = "{http://www.idpf.org/2007/ops}"


class Failure(Exception):
    pass


def tool(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True).stdout


def norm(s):
    """Text as compared: NFKC, bidi controls and soft hyphens dropped,
    white space collapsed, case folded."""
    s = unicodedata.normalize("NFKC", s)
    s = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u00ad]", "", s)
    return " ".join(s.split()).casefold()


def letters(s):
    """Only the letters and digits, in order (marks, spaces, punctuation
    and bidi controls dropped): how text is compared across extractors."""
    s = unicodedata.normalize("NFKC", s).casefold()
    return "".join(c for c in s if c.isalnum())


def same_text(got, want):
    """Extracted text 'got' shows 'want': right-to-left words may come
    out of -bbox-layout in visual order, letter by letter."""
    g, w = letters(got), letters(want)
    return g == w or (is_rtl(want) and g == w[::-1])


def roman(n):
    out = ""
    for v, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"),
                   (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                   (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= v:
            out += sym
            n -= v
    return out


def is_rtl(text):
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


class Row:
    """Words printed on one baseline (one or more pdftotext lines)."""

    def __init__(self, lines):
        lines.sort(key=lambda ln: ln["xMin"])
        self.lines = lines
        self.words = [w for ln in lines for w in ln["words"]]
        self.xmin = min(ln["xMin"] for ln in lines)
        self.xmax = max(ln["xMax"] for ln in lines)
        self.ymin = min(ln["yMin"] for ln in lines)
        self.ymax = max(ln["yMax"] for ln in lines)
        sizes = sorted(w["h"] for w in self.words)
        self.size = sizes[(len(sizes) - 1) // 2]  # the lower median
        self.text = " ".join(" ".join(w["t"] for w in ln["words"])
                             for ln in lines)

    def __repr__(self):
        return f"{self.text!r} at y={self.ymin:.1f}"


class Book:
    def __init__(self, pdf, epub=None):
        self.pdf = pdf
        j = json.loads(tool("qpdf", "--json=2", pdf))
        self.objs = j["qpdf"][1]
        self.jpages = j["pages"]
        self.n = len(self.jpages)
        self.index = {p["object"]: i for i, p in enumerate(self.jpages)}
        self.labels = self.page_labels(j.get("pagelabels", []))
        self.outline = []
        self.flatten(j.get("outlines", []), 1)
        self.dests = {}
        cat = self.catalog()
        names = cat.get("/Names")
        if names:
            tree = self.obj(names).get("/Dests")
            if tree:
                self.name_tree(tree)
        self.rows, self.heights = self.read_words()
        self.body_size = self.mode([round(h, 1) for h in self.heights])
        self.title = self.info_title()
        self.chapters = self.read_epub(epub) if epub else None
        self.front = next((i for i in range(self.n)
                           if self.labels[i] == "1"), self.n)

    # ---- qpdf ----

    def obj(self, ref):
        if isinstance(ref, str) and ref.endswith(" R"):
            return self.objs["obj:" + ref]["value"]
        return ref

    def catalog(self):
        for v in self.objs.values():
            val = v.get("value") if isinstance(v, dict) else None
            if isinstance(val, dict) and val.get("/Type") == "/Catalog":
                return val
        raise Failure("no catalog")

    def info_title(self):
        out = tool("pdfinfo", self.pdf).decode()
        m = re.search(r"^Title:\s*(.*)$", out, re.M)
        return m.group(1).strip() if m else ""

    @staticmethod
    def pdf_string(s):
        return s[2:] if isinstance(s, str) and s[:2] in ("u:", "b:") else s

    def name_tree(self, node):
        node = self.obj(node)
        for kid in node.get("/Kids", []):
            self.name_tree(kid)
        names = node.get("/Names", [])
        for k in range(0, len(names) - 1, 2):
            d = self.obj(names[k + 1])
            if isinstance(d, dict):
                d = self.obj(d.get("/D"))
            self.dests[self.pdf_string(names[k])] = d

    def dest_page(self, dest):
        """(page index, y from the top) of a destination, or None."""
        if isinstance(dest, str):
            dest = self.dests.get(self.pdf_string(dest))
        if not isinstance(dest, list) or not dest:
            return None
        page = self.index.get(dest[0])
        if page is None:
            return None
        height = self.obj(self.jpages[page]["object"])["/MediaBox"][3]
        y = dest[3] if len(dest) > 3 and dest[1] == "/XYZ" and \
            isinstance(dest[3], (int, float)) else height
        return page, height - y

    def flatten(self, items, depth):
        for it in items:
            page = it.get("destpageposfrom1")
            dest = it.get("dest")
            y = None
            if isinstance(dest, list) and len(dest) > 3 and \
                    isinstance(dest[3], (int, float)):
                y = dest[3]
            self.outline.append({"title": it.get("title", ""),
                                 "depth": depth,
                                 "page": page - 1 if page else None,
                                 "y": y})
            self.flatten(it.get("kids", []), depth + 1)

    def page_labels(self, ranges):
        labels = []
        ranges = sorted(ranges, key=lambda r: r["index"])
        for i in range(self.n):
            r = None
            for cand in ranges:
                if cand["index"] <= i:
                    r = cand
            if r is None:
                labels.append(str(i + 1))
                continue
            lab = r["label"]
            v = lab.get("/St", 1) + i - r["index"]
            style = lab.get("/S")
            num = {"/D": str(v), "/r": roman(v), "/R": roman(v).upper()}
            labels.append(self.pdf_string(lab.get("/P", "")) +
                          num.get(style, ""))
        return labels

    def annotations(self, page):
        p = self.obj(self.jpages[page]["object"])
        out = []
        for ref in self.obj(p.get("/Annots", [])) or []:
            a = self.obj(ref)
            if a.get("/Subtype") != "/Link":
                continue
            dest = a.get("/Dest")
            if dest is None and isinstance(a.get("/A"), dict):
                dest = a["/A"].get("/D")
            height = self.obj(self.jpages[page]["object"])["/MediaBox"][3]
            x0, y0, x1, y1 = a["/Rect"]
            out.append({"rect": (min(x0, x1), height - max(y0, y1),
                                 max(x0, x1), height - min(y0, y1)),
                        "dest": dest})
        return out

    # ---- pdftotext ----

    def read_words(self):
        xml = tool("pdftotext", "-bbox-layout", self.pdf, "-").decode()
        pages = xml.split("<page ")[1:]
        rows, heights = [], []
        for text in pages:
            lines = []
            for m in re.finditer(r"<line ([^>]*)>(.*?)</line>", text, re.S):
                ln = self.box(m.group(1))
                ln["words"] = []
                for w in re.finditer(r"<word ([^>]*)>(.*?)</word>",
                                     m.group(2), re.S):
                    b = self.box(w.group(1))
                    ln["words"].append({"x0": b["xMin"], "x1": b["xMax"],
                                        "h": b["yMax"] - b["yMin"],
                                        "t": html.unescape(w.group(2))})
                if ln["words"]:
                    lines.append(ln)
                    heights.extend(w["h"] for w in ln["words"])
            lines.sort(key=lambda ln: ln["yMax"])
            page_rows, cur = [], []
            for ln in lines:
                if cur and abs(ln["yMax"] - cur[-1]["yMax"]) > 2.5:
                    page_rows.append(Row(cur))
                    cur = []
                cur.append(ln)
            if cur:
                page_rows.append(Row(cur))
            rows.append(page_rows)
        while len(rows) < self.n:
            rows.append([])
        return rows, heights

    @staticmethod
    def box(attrs):
        return {k: float(v) for k, v in re.findall(r'(\w+)="([^"]*)"',
                                                    attrs)}

    @staticmethod
    def mode(values):
        counts = {}
        for v in values:
            counts[v] = counts.get(v, 0) + 1
        return max(counts, key=counts.get) if counts else 0

    # ---- the EPUB ----

    def read_epub(self, path):
        """[(title of the chapter, [(level, heading text), ...])] for the
        spine's body-matter documents; self.rtl gets the right-to-left
        ones as (index in that list, [paragraph text, ...])."""
        self.rtl = []
        z = zipfile.ZipFile(path)
        container = ET.fromstring(z.read("META-INF/container.xml"))
        opf_path = container.find(
            ".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile"
        ).get("full-path")
        opf = ET.fromstring(z.read(opf_path))
        ns = "{http://www.idpf.org/2007/opf}"
        base = os.path.dirname(opf_path)
        items = {i.get("id"): i.get("href")
                 for i in opf.iter(ns + "item")}
        chapters = []
        for ref in opf.iter(ns + "itemref"):
            href = os.path.join(base, items[ref.get("idref")])
            doc = ET.fromstring(z.read(href))
            body = doc.find(XHTML + "body")
            if body is None or "bodymatter" not in \
                    (body.get(OPS + "type") or ""):
                continue
            heads = []
            # The direction is on the chapter's section (where Foliate
            # pages it), or anywhere above its text.
            if "rtl" in (doc.get("dir"), body.get("dir")) or any(
                    el.get("dir") == "rtl" for el in body):
                self.rtl.append((len(chapters), [
                    "".join(p.itertext()) for p in body.iter(XHTML + "p")]))
            for el in body.iter():
                tag = el.tag.replace(XHTML, "")
                if re.fullmatch(r"h[1-6]", tag):
                    t = " ".join(self.heading_text(el).split())
                    if t:
                        heads.append((int(tag[1]), t))
            chapters.append((heads[0][1] if heads else self.title, heads))
        return chapters

    def heading_text(self, el):
        if "noteref" in (el.get(OPS + "type") or ""):
            return el.tail or ""
        s = el.text or ""
        for c in el:
            s += self.heading_text(c)
        return s + ((el.tail or "") if el.tag != XHTML + "h1" else "")

    # ---- the printed page ----

    def has_head(self, page):
        """The first row is a running head with the folio at its outer
        end (or the page's label alone, on a page with a head)."""
        rows = self.rows[page]
        if not rows or rows[0].ymin > 0.12 * self.height(page):
            return False
        words = rows[0].words
        label = self.labels[page]
        outer = words[0] if page % 2 == 1 else words[-1]
        return outer["t"] == label and len(words) > 1 and \
            (len(rows) == 1 or
             rows[1].ymin - rows[0].ymax > 0.5 * self.body_size)

    def height(self, page):
        return self.obj(self.jpages[page]["object"])["/MediaBox"][3]

    def has_foot(self, page):
        rows = self.rows[page]
        return bool(rows) and rows[-1].text == self.labels[page] and \
            (len(rows) == 1 or rows[-1].ymin - rows[-2].ymax >
             0.5 * self.body_size)

    def content(self, page):
        """The rows of a page but its running head and its folio."""
        rows = list(self.rows[page])
        if self.has_head(page):
            rows = rows[1:]
        if self.has_foot(page):
            rows = rows[:-1]
        return rows

    def split(self, page):
        """(text rows, footnote rows) of a page's content: the notes are
        the run of rows at the foot set at 0.8 of the body size, below a
        gap, the first starting with its label (or continuing a note)."""
        rows = self.content(page)
        k = len(rows)
        note = 0.8 * self.body_size
        while k > 0 and abs(rows[k - 1].size - note) < 0.15:
            k -= 1
        while k < len(rows) and k > 0 and \
                rows[k].ymin - rows[k - 1].ymax < 0.5 * self.body_size:
            k += 1
        return rows[:k], rows[k:]

    def is_body(self, row):
        return abs(row.size - self.body_size) < 0.6

    def openings(self):
        """Page of the first heading of each chapter of the EPUB."""
        if self.chapters is None:
            raise Failure("the EPUB is needed for the chapters")
        out, k = [], 0
        for title, heads in self.chapters:
            want = norm(title)
            while k < len(self.outline) and \
                    (norm(self.outline[k]["title"]) != want or
                     self.outline[k]["page"] is None or
                     self.outline[k]["page"] < self.front):
                k += 1
            if k == len(self.outline):
                raise Failure(f"no bookmark for the chapter {title!r}")
            out.append((self.outline[k]["page"], title))
            k += 1
        return out


# ---- the checks ----

def check_labels(b):
    if b.front == b.n:
        raise Failure(f"no page is labelled 1 (labels: {b.labels[:8]})")
    if b.front == 0 or b.labels[0] != "i":
        raise Failure(f"the front matter is not labelled i, ii, ...: "
                      f"{b.labels[:b.front + 1]}")
    for i in range(b.front):
        if b.labels[i] != roman(i + 1):
            raise Failure(f"page {i + 1} is labelled {b.labels[i]!r}")
    for i in range(b.front, b.n):
        if b.labels[i] != str(i - b.front + 1):
            raise Failure(f"page {i + 1} is labelled {b.labels[i]!r}")
    if b.front % 2:
        raise Failure(f"the body opens on page {b.front + 1}, a verso")
    printed = 0
    for i in range(b.n):
        rows = b.rows[i]
        if not rows:
            continue
        if b.has_head(i) or b.has_foot(i):
            printed += 1
            continue
        # A folio-like number anywhere at the top or foot must be right.
        for row in (rows[0], rows[-1]):
            for w in (row.words[0], row.words[-1]):
                t = w["t"]
                if re.fullmatch(r"[0-9]+|[ivxlc]+", t) and len(row.words) \
                        <= 1 and t != b.labels[i]:
                    raise Failure(f"page {i + 1} (label {b.labels[i]}) "
                                  f"prints the folio {t!r}")
    print(f"labels: i..{b.labels[b.front - 1]} then 1..{b.labels[-1]}; "
          f"{printed} printed folios match")


def check_heads(b):
    opens = dict(b.openings())
    blanks = heads = 0
    for i in range(b.front, b.n):
        rows = b.rows[i]
        label = b.labels[i]
        side = "verso" if i % 2 else "recto"
        if not rows:
            if b.jpages[i]["images"] or b.annotations(i):
                raise Failure(f"blank page {label} is not empty")
            if side == "recto":
                raise Failure(f"page {label} is blank but a recto")
            if i + 1 not in opens:
                raise Failure(f"blank page {label} is not followed by a "
                              "chapter opening")
            blanks += 1
        elif i in opens:
            if side == "verso":
                raise Failure(f"chapter {opens[i]!r} opens on page {label}"
                              ", a verso")
            if b.has_head(i):
                raise Failure(f"opening page {label} has a running head: "
                              f"{rows[0]}")
            if not b.has_foot(i):
                raise Failure(f"opening page {label} has no folio at the "
                              f"foot (last row: {rows[-1]})")
        else:
            if not b.has_head(i):
                raise Failure(f"page {label} has no running head with its "
                              f"folio: {rows[0]}")
            if len(rows) == 1:
                raise Failure(f"page {label} shows only its running head; "
                              "a blank page must be empty")
            chapter = max((k for k in opens if k <= i), default=None)
            want = b.title if side == "verso" or chapter is None \
                else opens[chapter]
            words = rows[0].words[1:] if side == "verso" \
                else rows[0].words[:-1]
            got = " ".join(w["t"] for w in words)
            g, w = norm(got), norm(want)
            if g != w and not (g.endswith("…") and
                               w.startswith(g[:-1].strip())):
                raise Failure(f"page {label} ({side}) has the running head "
                              f"{got!r}, not {want!r}")
            heads += 1
    print(f"heads: {len(opens)} chapters open on rectos with the folio at "
          f"the foot, {blanks} blank versos, running heads on {heads} pages")


def toc_entries(b):
    """[(title, folio, page index, row)] from the contents pages."""
    start = None
    for i in range(b.front):
        c = b.content(i)
        if c and norm(c[0].text) == "contents":
            start = i
            break
    if start is None:
        raise Failure("no contents page in the front matter")
    entries, pending = [], ""
    for i in range(start, b.front):
        rows = b.content(i)
        if i == start:
            rows = rows[1:]
        for row in rows:
            words = [w["t"] for w in row.words]
            text = " ".join(words)
            m = re.fullmatch(r"(.*?)[\s.]*\s([0-9]+)", text)
            if m is None:
                pending += text + " "
                continue
            title = (pending + m.group(1)).strip(" .")
            title = re.sub(r"[\u200e\u200f\u202a-\u202e]", "", title)
            entries.append((title, m.group(2), i, row))
            pending = ""
    if pending.strip():
        raise Failure(f"contents entry without a folio: {pending!r}")
    if not entries:
        raise Failure("the contents page lists nothing")
    return entries


def check_toc(b):
    entries = toc_entries(b)
    for title, folio, tpage, row in entries:
        if folio not in b.labels[b.front:]:
            raise Failure(f"{title!r}: folio {folio} is no body page")
        page = b.labels.index(folio, b.front)
        text = letters(" ".join(r.text for r in b.content(page)))
        if letters(title) not in text and letters(title)[::-1] not in text:
            raise Failure(f"{title!r} is listed at {folio}, but page "
                          f"{folio} does not show it")
        # The entry links to that page.
        hit = None
        for a in b.annotations(tpage):
            x0, y0, x1, y1 = a["rect"]
            if y0 - 1 <= (row.ymin + row.ymax) / 2 <= y1 + 1:
                hit = a
        if hit is None:
            raise Failure(f"contents entry {title!r} is not a link")
        dp = b.dest_page(hit["dest"])
        if dp is None or dp[0] != page:
            raise Failure(f"contents entry {title!r} links to page "
                          f"{b.labels[dp[0]] if dp else '?'}, not {folio}")
        # And the outline agrees.
        if not any(same_text(title, o["title"]) and o["page"] == page
                   for o in b.outline):
            raise Failure(f"contents entry {title!r} (page {folio}) has "
                          "no bookmark to the same page")
    print(f"toc: {len(entries)} entries, each folio the page of its "
          "heading, each a link to it")


def check_notes(b):
    seen = set()
    count = 0
    for i in range(b.front, b.n):
        for a in b.annotations(i):
            x0, y0, x1, y1 = a["rect"]
            words = [w for row in b.rows[i] for w in row.words
                     if x0 - 0.5 <= (w["x0"] + w["x1"]) / 2 <= x1 + 0.5 and
                     y0 - 0.5 <= row.ymax and row.ymin <= y1 + 0.5]
            mark = "".join(w["t"] for w in words)
            mark = re.sub(r"^[^\w*†‡§¶]+|[^\w*†‡§¶]+$", "", mark)
            if not re.fullmatch(r"[0-9]{1,3}|[a-z]|[*†‡§¶]{1,3}", mark):
                continue
            dp = b.dest_page(a["dest"])
            key = json.dumps(a["dest"])
            if dp is None or key in seen:
                continue
            seen.add(key)
            page, y = dp
            notes = [r for r in b.split(page)[1] if r.ymin >= y - 2]
            if not notes or not re.match(re.escape(mark) + r"[.\s]",
                                         notes[0].text + " "):
                raise Failure(f"note {mark} on page {b.labels[i]}: no note "
                              f"starts at its target on page "
                              f"{b.labels[page]}")
            if page != i:
                raise Failure(f"note {mark} is referred to on page "
                              f"{b.labels[i]} but set on page "
                              f"{b.labels[page]}")
            count += 1
    print(f"notes: {count} footnotes, each on the page of its first "
          "reference")


def edges(b):
    """Left and right edges of the body text on versos and rectos."""
    out = {}
    for parity in (0, 1):
        lefts, rights = [], []
        for i in range(b.front, b.n):
            if i % 2 != parity:
                continue
            for r in b.content(i):
                if b.is_body(r) and not is_rtl(r.text):
                    lefts.append(round(r.xmin))
                    rights.append(round(r.xmax))
        out[parity] = (b.mode(lefts) if lefts else 0,
                       max(rights) if rights else 0)
    return out


def check_widows(b):
    edge = edges(b)
    em = b.body_size
    checked = 0
    for i in range(b.front + 1, b.n):
        rows = b.split(i)[0]
        prev = b.split(i - 1)[0]
        if not rows or not prev:
            continue
        p, l1 = prev[-1], rows[0]
        l2 = rows[1] if len(rows) > 1 else None
        left, right = edge[i % 2]
        pright = edge[(i - 1) % 2][1]
        if not (b.is_body(p) and b.is_body(l1)) or is_rtl(l1.text):
            continue
        checked += 1
        continues = p.xmax >= pright - 0.6 * em
        flush = abs(l1.xmin - left) < 0.3 * em
        short = l1.xmax < right - 1.0 * em
        ends = l2 is None or l2.xmin > left + 0.5 * em or \
            l2.ymin - l1.ymax > 0.8 * em or not b.is_body(l2)
        if continues and flush and short and ends:
            raise Failure(f"page {b.labels[i]} begins with a widow: "
                          f"{l1.text!r}")
    print(f"widows: none on {checked} page breaks within text")


def check_keep(b):
    count = 0
    for o in b.outline:
        page = o["page"]
        if page is None or page < b.front or not o["title"].strip():
            continue
        rows = b.split(page)[0]
        height = b.obj(b.jpages[page]["object"])["/MediaBox"][3]
        top = height - o["y"] if o["y"] is not None else 0
        want = letters(o["title"])
        # The heading's last line: the row below its destination by which
        # all of its text has been printed.
        at, seen = None, ""
        for k, r in enumerate(rows):
            if r.ymax < top - 1:
                continue
            seen += letters(r.text)
            if want in seen or want[::-1] in seen:
                at = k
                break
            if len(seen) > 2 * len(want) + 40:
                break
        if at is None:
            raise Failure(f"heading {o['title']!r} is not on page "
                          f"{b.labels[page]}")
        if at + 1 == len(rows):
            nxt = page + 1
            ends_chapter = nxt >= b.n or not b.rows[nxt] or \
                not b.has_head(nxt)
            if not ends_chapter:
                raise Failure(f"page {b.labels[page]} ends with the heading"
                              f" {o['title']!r}")
        count += 1
    print(f"keep: {count} headings, none at the foot of a page")


def check_outline(b):
    if b.chapters is None:
        raise Failure("the EPUB is needed for the headings")
    want = [(lvl, norm(t)) for _, heads in b.chapters for lvl, t in heads]
    got = [(o["depth"], norm(o["title"])) for o in b.outline
           if o["page"] is not None and o["page"] >= b.front and
           o["title"].strip()]
    if [t for _, t in got] != [t for _, t in want]:
        missing = [t for _, t in want if t not in [g for _, g in got]]
        raise Failure(f"bookmarks {[t for _, t in got]} are not the "
                      f"headings {[t for _, t in want]} (missing: "
                      f"{missing})")
    # Nesting follows the ranks: a deeper rank is a deeper bookmark.
    for k in range(1, len(got)):
        if (want[k][0] > want[k - 1][0]) != (got[k][0] > got[k - 1][0]):
            raise Failure(f"bookmark {got[k][1]!r} is nested at depth "
                          f"{got[k][0]} after depth {got[k - 1][0]}")
    print(f"outline: {len(got)} bookmarks, one per heading, nested by rank")


def check_rtl(b):
    opens = b.openings()
    if not b.rtl:
        raise Failure("the EPUB has no right-to-left chapter")
    for k, paras in b.rtl:
        first = opens[k][0]
        last = opens[k + 1][0] - 1 if k + 1 < len(opens) else b.n - 1
        pages = ["-f", str(first + 1), "-l", str(last + 1)]
        text = letters(tool("pdftotext", *pages, b.pdf, "-").decode())
        at = 0
        for para in paras:
            want = letters(para)
            found = text.find(want, at)
            if found < 0:
                raise Failure(f"page {b.labels[first]}: the text does not "
                              f"read {para[:40]!r}... in logical order")
            at = found + len(want)
        fonts = tool("pdffonts", *pages, b.pdf).decode()
        if not re.search(r"^\S*\+DejaVuSans[ -]", fonts, re.M):
            raise Failure(f"page {b.labels[first]}: not set in DejaVu Sans"
                          f":\n{fonts}")
        rows = [r for i in range(first, last + 1) for r in b.split(i)[0]
                if is_rtl(r.text) and r.size < 1.4 * b.body_size]
        if not rows:
            raise Failure(f"page {b.labels[first]}: no right-to-left line")
        right = max(r.xmax for r in rows)
        for r in rows:
            # Flush right, but for a paragraph's indent (at the right).
            if r.xmax < right - 1.5 * b.body_size:
                raise Failure(f"line {r} is not flush right (ends at "
                              f"{r.xmax:.1f}, the measure at {right:.1f})")
        print(f"rtl: chapter {opens[k][1]!r}: {len(paras)} paragraphs in "
              f"logical order, DejaVu Sans, {len(rows)} lines flush right")


def bodytext(b, out):
    text = tool("pdftotext", "-f", str(b.front + 1), b.pdf, "-")
    with open(out, "wb") as f:
        f.write(text)


def styled_copy(octavo, manifest, where, css):
    """Build a copy of the book in 'where' with 'css' as one more
    stylesheet after its own (octavo's book.css when it names none);
    returns the PDF's path."""
    src = os.path.dirname(os.path.abspath(manifest))
    book = os.path.join(where, "book")
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(src, book)
    yaml = os.path.join(book, os.path.basename(manifest))
    text = open(yaml, encoding="utf-8").read()
    m = re.search(r"(?m)^stylesheet:\s*\[(.*)\]\s*$", text)
    sheets = [x.strip() for x in m.group(1).split(",")] if m else []
    if not sheets:
        os.makedirs(os.path.join(book, "styles"), exist_ok=True)
        shutil.copy("styles/book.css", os.path.join(book, "styles",
                                                      "book.css"))
        sheets = ["styles/book.css"]
    with open(os.path.join(book, "extra.css"), "w") as f:
        f.write(css)
    text = re.sub(r"(?m)^stylesheet:.*\n?", "", text)
    text += "\nstylesheet: [%s]\n" % ", ".join(sheets + ["extra.css"])
    with open(yaml, "w", encoding="utf-8") as f:
        f.write(text)
    pdf = os.path.join(where, "book.pdf")
    run = subprocess.run([octavo, "build", "--data-dir", ".", "--pdf", pdf,
                          yaml], capture_output=True, text=True)
    if run.returncode != 0 or run.stderr:
        raise Failure(f"building with {css.strip()!r}: {run.stderr}")
    return pdf


def pagesize(octavo, manifest, where, size, want):
    pdf = styled_copy(octavo, manifest, where, f"@page {{ size: {size}; }}\n")
    info = tool("pdfinfo", pdf).decode()
    m = re.search(r"^Page size:\s*(.*?) pts", info, re.M)
    got = m.group(1) if m else "?"
    if got != want:
        raise Failure(f"@page {{ size: {size} }} gave {got} pt pages, not "
                      f"{want}")
    print(f"pagesize: @page {{ size: {size} }} gives {got} pt pages")


def title_row(b):
    """The row of the first body page set largest: the chapter title."""
    rows = [r for r in b.content(b.front)]
    if not rows:
        raise Failure("the first body page is empty")
    return max(rows, key=lambda r: r.size)


def indents(b):
    """How far body lines start inside the left edge of the text, in
    whole points, for each line that does (up to three ems)."""
    edge = edges(b)
    out = []
    for i in range(b.front, b.n):
        left = edge[i % 2][0]
        for r in b.split(i)[0]:
            if b.is_body(r) and not is_rtl(r.text) and \
                    0.33 * b.body_size < r.xmin - left < 3 * b.body_size:
                out.append(round(r.xmin - left))
    return out


def restyle(octavo, manifest, where):
    plain = Book(styled_copy(octavo, manifest, os.path.join(where, "a"),
                             "/* nothing changed */\n"))
    changed = Book(styled_copy(octavo, manifest, os.path.join(where, "b"),
                               "h1 { font-size: 30pt; }\n"
                               "p { text-indent: 0; }\n"))
    ta, tb = title_row(plain), title_row(changed)
    ratio = tb.size / ta.size
    if abs(ratio - 30 / 19.8) > 0.05:
        raise Failure(f"h1 {{ font-size: 30pt }}: the title {tb.text!r} is "
                      f"{ratio:.2f} times as tall as before ({ta.size:.1f}"
                      f" -> {tb.size:.1f}), not {30 / 19.8:.2f}")
    # The paragraphs' indent is the most common one (blockquotes are
    # inset too, by their margin).
    before = indents(plain)
    if not before:
        raise Failure("the book as it is indents no paragraph")
    indent = plain.mode(before)
    ia = sum(1 for x in before if abs(x - indent) <= 1)
    ib = sum(1 for x in indents(changed) if abs(x - indent) <= 1)
    if ib != 0:
        raise Failure(f"p {{ text-indent: 0 }} still leaves {ib} lines "
                      f"indented by {indent} pt (before: {ia})")
    print(f"restyle: h1 {ta.size:.1f} -> {tb.size:.1f} pt high; lines "
          f"indented by {indent} pt: {ia} -> 0")


README_HEADS = """@page :right {
    @top-center { content: none; }
    @top-right { content: string(chapter); font-style: italic; }
    @bottom-center { content: counter(page); }
}
"""


def heads_example(octavo, manifest, where):
    """For a book of one chapter: its continuing rectos show the chapter's
    title flush right at the top and the folio at the foot."""
    b = Book(styled_copy(octavo, manifest, where, README_HEADS))
    title = title_row(b).text
    # The text block's right edge on rectos: where most lines end
    # (punctuation may hang beyond it).
    right = b.mode([round(r.xmax) for i in range(b.front, b.n, 2)
                    for r in b.content(i) if b.is_body(r)])
    checked = 0
    for i in range(b.front + 1, b.n):
        rows = b.rows[i]
        if i % 2 or not rows:
            continue            # versos keep print.css's heads
        head, foot = rows[0], rows[-1]
        if norm(head.text) != norm(title) or abs(head.xmax - right) > 1.5:
            raise Failure(f"page {b.labels[i]}: the head is {head.text!r} "
                          f"ending at x={head.xmax:.1f}, not {title!r} "
                          f"flush right at {right:.1f}")
        if foot.text != b.labels[i] or foot.ymin < 0.88 * b.height(i):
            raise Failure(f"page {b.labels[i]}: the last row is {foot!r}, "
                          "not the folio at the foot")
        checked += 1
    if checked == 0:
        raise Failure("no continuing recto to look at")
    print(f"heads: the README example restyles the heads of {checked} "
          "rectos")


CHECKS = {"labels": check_labels, "heads": check_heads, "toc": check_toc,
          "notes": check_notes, "widows": check_widows, "keep": check_keep,
          "outline": check_outline, "rtl": check_rtl}


def same_x(book, words):
    found = {}
    for p, rows in enumerate(book.rows):
        for r, row in enumerate(rows):
            for ln in row.lines:
                for w in ln["words"]:
                    if w["t"] in words:
                        found.setdefault(w["t"], []).append((p, r, w["x0"]))
    for w in words:
        if len(found.get(w, [])) != 1:
            raise Failure(f"{w!r} printed {len(found.get(w, []))} times")
    at = [found[w][0] for w in words]
    print("  ".join(f"{w} p{p + 1} row {r} x {x:.1f}"
                    for w, (p, r, x) in zip(words, at)))
    if max(x for _, _, x in at) - min(x for _, _, x in at) > 0.5:
        raise Failure("the words are not at one left edge")
    if [(p, r) for p, r, _ in at] != sorted((p, r) for p, r, _ in at) or \
            len(set((p, r) for p, r, _ in at)) != len(at):
        raise Failure("the words are not on successive lines")


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    what = argv[1]
    try:
        if what == "pagesize":
            pagesize(*argv[2:7])
        elif what == "restyle":
            restyle(*argv[2:5])
        elif what == "heads" and len(argv) == 5:
            heads_example(*argv[2:5])
        elif what == "bodytext":
            bodytext(Book(argv[2]), argv[3])
        elif what == "same-x":
            same_x(Book(argv[2]), argv[3:])
        elif what in CHECKS:
            CHECKS[what](Book(argv[2], argv[3] if len(argv) > 3 else None))
        else:
            print(f"pdfcheck: unknown check {what!r}")
            return 2
    except Failure as e:
        print(f"{what}: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
