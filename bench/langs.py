#!/usr/bin/env python3
"""langs.py - make the running prose of a public text into a bench book,
for bench/typo-langs.

    langs.py LANG OUTDIR SOURCE...

LANG is one of en, ru, de, fr, zh (the table LANGS below gives each its
title, author and language tags). SOURCE is an XHTML chapter (Standard
Ebooks' Frankenstein: one chapter per file) or a Markdown file, one file
whose `#` heading is the title and whose `##` sections are the chapters:
bench/texts/ru-tolstoy.md (Tolstoy's "Набег" and "Чем люди живы"),
bench/texts/de-verwandlung.md (Kafka's "Die Verwandlung") or a
translation of "The Art of Command Line" (tests/corpora; French and
Chinese). OUTDIR gets book.yaml (with `language:`) and ch01.md... for
octavo, and book.md, the same chapters as one Markdown file with a YAML
front matter block, for pandoc (XeLaTeX) and bench/typst.py (Typst).

pandoc parses each source (-t json) and this keeps only what every engine
sets the same way: headings, as plain text, and paragraphs. Each list
item's prose becomes a paragraph of its own, as does a block quote's;
code blocks, tables, images, raw HTML, footnotes and inline code are
dropped, a link keeps its text and loses its URL, and a paragraph that was
only a link (a contents entry) goes. Emphasis stays in the Latin and
Cyrillic texts (EB Garamond has italics); other inline markup is flattened.
Dropping inline code leaves stray commas and brackets behind ("use , or
"), which are tidied. What comes before a Markdown file's title (The
Art of Command Line's language menu) is dropped, and the title becomes
the book's. A line break (a line of verse) becomes a space.

The output depends on the sources and pandoc's reader alone, so a run
makes the same files each time. Prints the words (for Chinese: the Han
characters) to stdout.
"""
import json
import os
import re
import subprocess
import sys

# title (None: the Markdown file's first heading), author, octavo's
# language, Typst's lang and region, babel's language (pandoc's lang).
LANGS = {
    "en": ("Frankenstein", "Mary Shelley", "en-GB"),
    "ru": (None, "Лев Толстой", "ru"),
    "de": (None, "Franz Kafka", "de"),
    "fr": (None, "Joshua Levy", "fr"),
    "zh": (None, "Joshua Levy", "zh"),
}

EM_ON, EM_OFF = "\ue000", "\ue001"
# Markdown syntax characters, escaped wherever they stand.
SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")


def text(inl, emph):
    """Inlines as a string; emphasis (if kept) between EM_ON and EM_OFF."""
    out = []
    for x in inl:
        t, c = x["t"], x.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t == "Emph":
            s = text(c, emph)
            out.append(EM_ON + s + EM_OFF if emph else s)
        elif t in ("Strong", "Strikeout", "SmallCaps", "Underline",
                   "Superscript", "Subscript"):
            out.append(text(c, emph))
        elif t in ("Link", "Span"):
            out.append(text(c[1], emph))
        elif t == "Quoted":
            q = "“”" if c[0]["t"] == "DoubleQuote" else "‘’"
            out.append(q[0] + text(c[1], emph) + q[1])
        elif t == "Cite":
            out.append(text(c[1], emph))
        # Code, Image, Note, RawInline, Math: dropped.
    return "".join(out)


def only_link(inl):
    """True when the inlines are one link (and spaces) alone."""
    rest = [x for x in inl if x["t"] not in ("Space", "SoftBreak")]
    return len(rest) == 1 and rest[0]["t"] == "Link"


def tidy(s):
    """What dropping inline code leaves behind, cleaned."""
    # Code the source's Markdown left unparsed (a stray backtick).
    s = re.sub(r"`[^`]*`|`", "", s)
    s = re.sub(r"\s+", " ", s)
    s = re.sub(EM_ON + r"\s*" + EM_OFF, "", s)
    # Brackets and quotes left empty, then punctuation left doubled. (Not
    # German's »…« »…«: the « » between them is no empty pair.)
    for _ in range(3):
        s = re.sub(r"[(\[{]\s*[)\]}]|\"\s*\"|'\s*'|“\s*”|‘\s*’|"
                   r"«\s*»(?![^\W\d_])|"
                   r"„\s*“|（\s*）|「\s*」", "", s)
        s = re.sub(r"([,;:])(\s*[,;:])+", r"\1", s)
        s = re.sub(r"[,;:]\s*([.!?])", r"\1", s)
        s = re.sub(r"(^|[(\[])\s*[,;:.]\s*", r"\1", s)
        s = re.sub(r"\s+([,;:.!?)\]])", r"\1", s)
        s = re.sub(r"([，、；：])[\s，、；：]+", r"\1", s)
        s = re.sub(r"\s+", " ", s)
        # A space left between two Chinese characters or marks.
        s = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uff60]) "
                   r"(?=[\u3000-\u9fff\uff00-\uff60])", "", s)
    return s.strip()


def markdown(s):
    """A tidied string as a Markdown paragraph."""
    s = SPECIAL.sub(r"\\\1", s)
    s = s.replace(EM_ON, "*").replace(EM_OFF, "*")
    # A line that opens like a list item or a block quote.
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", s) if s[:1] not in "-+" \
        else "\\" + s


class Book:
    def __init__(self, emph):
        self.emph = emph
        self.title = None
        self.chapters = []          # [heading, [paragraph...]]

    def para(self, inl):
        if only_link(inl):
            return
        s = tidy(text(inl, self.emph))
        # A paragraph with no letter left (a stray bracket, an emoji).
        if self.chapters and any(ch.isalpha() for ch in s):
            self.chapters[-1][1].append(markdown(s))

    def blocks(self, bs, top):
        for b in bs:
            t, c = b["t"], b.get("c")
            if t == "Header":
                h = tidy(text(c[2], False))
                level = c[0]
                if top == "md" and level == 1 and self.title is None:
                    # The title, which also heads the text before the
                    # first section.
                    self.title = h
                    self.chapters.append([markdown(h), []])
                elif top == "md" and level == 2 or \
                        top == "xhtml" and level <= 2:
                    self.chapters.append([markdown(h), []])
                elif self.chapters:
                    # A section inside a chapter: a paragraph, so that the
                    # engines' heading styles do not differ.
                    self.para(c[2])
            elif t in ("Para", "Plain"):
                self.para(c)
            elif t == "LineBlock":
                for line in c:
                    self.para(line)
            elif t == "BulletList":
                for item in c:
                    self.blocks(item, top)
            elif t == "OrderedList":
                for item in c[1]:
                    self.blocks(item, top)
            elif t == "DefinitionList":
                for term, defs in c:
                    self.para(term)
                    for d in defs:
                        self.blocks(d, top)
            elif t == "BlockQuote":
                self.blocks(c, top)
            elif t == "Div":
                self.blocks(c[1], top)
            # CodeBlock, Table, RawBlock, HorizontalRule, Figure: dropped.


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in LANGS:
        sys.exit("usage: langs.py {%s} OUTDIR SOURCE..." % ",".join(LANGS))
    lang, outdir, sources = sys.argv[1], sys.argv[2], sys.argv[3:]
    title, author, language = LANGS[lang]
    book = Book(emph=lang != "zh")
    for src in sources:
        fmt = "html" if src.endswith((".xhtml", ".html")) else "gfm"
        doc = json.loads(subprocess.run(
            ["pandoc", "-f", fmt, "-t", "json", src], check=True,
            stdout=subprocess.PIPE).stdout)
        book.blocks(doc["blocks"], "xhtml" if fmt == "html" else "md")
    title = title or book.title
    chapters = [(h, ps) for h, ps in book.chapters if ps]
    if not title or not chapters:
        sys.exit("langs.py: no title or no chapters in %s" % sources)
    meta = "title: %s\nauthor: [%s]\nlanguage: %s\n" % (
        json.dumps(title, ensure_ascii=False), author, language)
    os.makedirs(outdir, exist_ok=True)
    width = max(2, len(str(len(chapters))))
    texts = []
    for i, (h, ps) in enumerate(chapters):
        name = "ch%0*d.md" % (width, i + 1)
        texts.append((name, "# " + h + "\n\n" + "\n\n".join(ps) + "\n"))
    with open(os.path.join(outdir, "book.yaml"), "w", encoding="utf-8",
              newline="\n") as f:
        f.write(meta + "chapters:\n")
        f.writelines("  - %s\n" % name for name, _ in texts)
    for name, t in texts:
        with open(os.path.join(outdir, name), "w", encoding="utf-8",
                  newline="\n") as f:
            f.write(t)
    with open(os.path.join(outdir, "book.md"), "w", encoding="utf-8",
              newline="\n") as f:
        f.write("---\n" + meta + "---\n\n")
        f.write("\n".join(t for _, t in texts))
    body = "\n".join(t for _, t in texts)
    if lang == "zh":
        print(sum(1 for ch in body if 0x4E00 <= ord(ch) <= 0x9FFF))
    else:
        print(sum(1 for w in body.split() if any(c.isalpha() for c in w)))


if __name__ == "__main__":
    main()
