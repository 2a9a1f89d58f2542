#!/usr/bin/env python3
"""gen-book.py - write a synthetic book for octavo's benchmarks.

    gen-book.py OUTDIR [--words N] [--chapters C] [--seed S] [--single FILE]
                       [--images N [--image-size WxH]]

OUTDIR gets book.yaml and ch01.md...; --single FILE gets the same chapters
as one Markdown file with a YAML front matter block (for pandoc and for
WeasyPrint's HTML). Either or both may be given.

--images N adds N figures, spread evenly over the chapters, each alone in
its paragraph as ![caption](images/figN.png), and writes the PNGs into
OUTDIR/images (default 2000x1500 pixels, about 3 MB each). The text is
otherwise the book the same arguments give without --images, so the two
time the images alone. The pictures are smooth gradients with a little
noise, so that they neither compress to nothing nor are pure noise, as a
photograph; they are made with zlib alone (no imaging library), and a file
already there is kept, since making a hundred takes about a minute. (Their
pixels rest on the C library's sin(), so another libm may change a few.)

The text is English-like prose made from bench/words.txt, with the
Markdown a real book uses: headings, footnotes, tables, nested lists,
block quotes, inline markup, links and some code. It is meant to cost a
typesetter what a real manuscript costs, so word frequencies are skewed
(a few words recur often, as in real text) and sentence and paragraph
lengths vary widely.

The generator has its own PRNG and uses no hash ordering, so the same
arguments give byte-identical files on every machine and Python 3.
"""
import argparse
import hashlib
import math
import os
import re
import struct
import sys
import zlib

MASK = (1 << 64) - 1


class Rng:
    """splitmix64: Python's random module may change between versions."""

    def __init__(self, seed):
        self.s = seed & MASK

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & MASK
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def between(self, lo, hi):
        return lo + self.below(hi - lo + 1)

    def chance(self, p):
        return self.next() < p * 2.0**64

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def skewed(self, seq):
        # Zipf-like: low indexes are far more frequent.
        u = self.next() / 2.0**64
        return seq[int(len(seq) * u**1.6)]

    def shuffled(self, seq):
        seq = list(seq)
        for i in range(len(seq) - 1, 0, -1):
            j = self.below(i + 1)
            seq[i], seq[j] = seq[j], seq[i]
        return seq


def load_words(path):
    sections, cur = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#")[0].strip()
            if line.startswith("["):
                cur = sections.setdefault(line[1:-1], [])
            elif line:
                cur.extend(line.split())
    return sections


def plural(n):
    if n.endswith(("s", "x", "z", "ch", "sh")):
        return n + "es"
    if n.endswith("y") and n[-2] not in "aeiou":
        return n[:-1] + "ies"
    return n + "s"


def past(v):
    if v.endswith("e"):
        return v + "d"
    if v.endswith("y") and v[-2] not in "aeiou":
        return v[:-1] + "ied"
    return v + "ed"


def gerund(v, pst):
    if pst == v + v[-1] + "ed":             # stop/stopped -> stopping
        return v + v[-1] + "ing"
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith(("ee", "oe", "ye")):
        return v[:-1] + "ing"
    return v + "ing"


def article(word):
    w = word.lower()
    vowel = w[0] in "aeiou" and not w.startswith(("uni", "use", "usu", "eu"))
    return "an" if vowel or w.startswith(("hour", "honest", "heir")) else "a"


def cap(s):
    i = 1 if s[0] in "\"(" else 0
    return s[:i] + s[i].upper() + s[i + 1:]


def title_case(s):
    small = {"a", "an", "the", "of", "and", "in", "on", "at", "to", "for"}
    w = s.split()
    return " ".join(x if (i and x in small) else x[0].upper() + x[1:]
                    for i, x in enumerate(w))


SAID = ("said", "thought", "knew", "believed", "felt", "feared",
        "suspected", "remembered", "realised", "noticed", "admitted",
        "explained", "insisted", "wrote", "heard", "supposed", "decided")
SUBORD = ("When", "Although", "Because", "Before", "After", "While", "If",
          "Since", "Though", "Once", "Until", "As soon as", "Whenever")
PREPS = ("in", "on", "under", "beyond", "across", "through", "before",
         "after", "with", "without", "against", "toward", "among",
         "between", "beneath", "along", "near", "about", "from", "into",
         "over", "behind", "beside", "within", "around", "above")
OPENERS = ("Suddenly", "Later that evening", "At first", "By morning",
           "For a while", "In the end", "Even so", "Meanwhile", "Afterwards",
           "Of course", "At last", "That winter", "For the moment",
           "In any case", "On the whole", "Strangely enough")
SPEECH = ("I don't think so", "It's far too late for that",
          "We can't stay here", "You're quite right", "Nobody ever told me",
          "What on earth do you mean", "Don't be absurd", "I'll see to it",
          "That's not what I asked", "Perhaps you'd better sit down",
          "It isn't far now", "Who's there", "Well, that's that",
          "I'd rather not say", "You'll find it in the drawer",
          "Let's not quarrel", "Haven't you heard", "Then we'll wait")
PRONOUNS = (("he", False), ("she", False), ("they", True), ("we", True),
            ("I", False), ("it", False))
CODE = ("```python\ndef tally({a}s):\n    total = 0\n    for {b} in {a}s:\n"
        "        total += {b}.weight  # in {c}s\n    return total\n```",
        "```\n{A:<12}{B:>8}\n{a:<12}{n1:>8}\n{b:<12}{n2:>8}\n{c:<12}{n3:>8}\n```",
        "```sh\nmkdir -p {a}/{b}\ncp *.txt {a}/{b}/\ngrep -c {c} {a}/{b}/*.txt\n```")


class Writer:
    def __init__(self, words, seed):
        self.r = Rng(seed)
        r = self.r
        self.nouns = r.shuffled(w.split("/") for w in words["nouns"])
        self.verbs = []
        for w in r.shuffled(words["verbs"]):
            f = w.split("/")
            p = f[1] if len(f) > 1 else past(f[0])
            part = f[2] if len(f) > 2 else p
            self.verbs.append((f[0], p, part, gerund(f[0], p)))
        self.adjs = r.shuffled(words["adjectives"])
        self.advs = r.shuffled(words["adverbs"])
        self.first = words["first-names"]
        self.last = words["surnames"]
        self.places = words["places"]
        self.footnote = 0

    # -- phrases ---------------------------------------------------------
    def name(self):
        r = self.r
        if r.chance(0.3):
            return r.pick(("Mr", "Mrs", "Miss", "Dr", "Captain", "Lady",
                           "Professor")) + " " + r.pick(self.last)
        return r.pick(self.first) + (" " + r.pick(self.last)
                                     if r.chance(0.5) else "")

    def noun(self, pl):
        n = self.r.skewed(self.nouns)
        return (n[1] if len(n) > 1 else plural(n[0])) if pl else n[0]

    def np(self, depth=0):
        """A noun phrase; returns (text, is_plural)."""
        r = self.r
        k = r.below(100)
        if k < 7:
            s = self.name()
            if r.chance(0.08):
                y = r.between(1780, 1880)
                s += " (%d–%d)" % (y, y + r.between(30, 85))
            return s, False
        pl = r.chance(0.3)
        adjs = [r.skewed(self.adjs) for _ in range(r.pick((0, 0, 0, 1, 1, 2)))]
        body = ", ".join(adjs[:-1]) + (", " if len(adjs) > 1 else "") \
            + (adjs[-1] + " " if adjs else "") + self.noun(pl)
        if pl:
            det = r.pick(("the", "the", "these", "those", "some", "many",
                          "several", "their", "our", "no", "", ""))
        else:
            det = r.pick(("the", "the", "the", "a", "a", "his", "her",
                          "their", "this", "that", "every", "each", "its"))
            if det == "a":
                det = article(body)
        s = (det + " " + body) if det else body
        if depth < 1 and r.chance(0.12):
            s += " of " + self.np(depth + 1)[0]
        elif depth < 1 and r.chance(0.05):
            s += " in " + r.pick(self.places)
        return s, pl

    def subject(self):
        if self.r.chance(0.3):
            return self.r.pick(PRONOUNS)
        return self.np()

    def pp(self):
        if self.r.chance(0.15):
            return self.r.pick(PREPS) + " " + self.r.pick(self.places)
        return self.r.pick(PREPS) + " " + self.np()[0]

    def vp(self, pl):
        r = self.r
        base, pst, part, ing = r.skewed(self.verbs)
        k = r.below(100)
        if k < 35:
            s = pst + " " + self.np()[0]
        elif k < 45:
            s = "had " + part + " " + self.np()[0]
        elif k < 55:
            s = r.pick(("would", "could", "might", "must", "should")) \
                + r.pick(("", "", " not")) + " " + base + " " + self.np()[0]
        elif k < 65:
            s = ("were " if pl else "was ") + ing + " " + self.np()[0]
        elif k < 72:
            s = ("were " if pl else "was ") + part + " by " + self.np()[0]
        elif k < 80:
            s = "did not " + base + " " + self.np()[0]
        elif k < 88:
            s = pst + " " + r.skewed(self.advs)
        else:
            s = r.skewed(self.advs) + " " + pst + " " + self.np()[0]
        if r.chance(0.4):
            s += " " + self.pp()
        return s

    def clause(self):
        subj, pl = self.subject()
        if subj not in ("I", "he", "she", "it", "they", "we") \
                and self.r.chance(0.05):
            subj += "—" + self.np()[0] + " " + self.pp() + "—"
            return subj + self.vp(pl)
        return subj + " " + self.vp(pl)

    def sentence(self):
        r = self.r
        k = r.below(100)
        if k < 30:
            s = self.clause() + "."
        elif k < 45:
            s = self.clause() + ", " + r.pick(("and", "but", "yet", "so", "for")) \
                + " " + self.clause() + "."
        elif k < 52:
            s = self.clause() + "; " + self.clause() + "."
        elif k < 62:
            s = r.pick(SUBORD) + " " + self.clause() + ", " + self.clause() + "."
        elif k < 68:
            s = r.pick(OPENERS) + ", " + self.clause() + "."
        elif k < 75:
            subj, _ = self.subject()
            s = subj + " " + r.pick(SAID) + " that " + self.clause() + "."
        elif k < 80:
            s = self.clause() + "—" + self.pp() + "—and " + self.clause() + "."
        elif k < 84:
            s = self.clause() + ": " + self.np()[0] + ", " + self.np()[0] \
                + " and " + self.np()[0] + "."
        elif k < 88:
            subj, pl = self.subject()
            base = r.skewed(self.verbs)[0]
            s = r.pick(("Why", "How", "Where", "When")) \
                + (" had " + subj + " " + r.skewed(self.verbs)[2]
                   if r.chance(0.5) else " would " + subj + " " + base) \
                + " " + self.np()[0] + "?"
        elif k < 92:
            y = r.between(1800, 1900)
            s = r.pick(("In %d, " % y, "Between %d and %d, " % (y, y + 7),
                        "During the years %d–%d, " % (y, y + r.between(2, 19)))) \
                + self.clause() + "."
        elif k < 95:
            s = self.clause() + ", which " + self.vp(False) + "."
        else:
            s = "It was " + self.np()[0] + " " + self.pp() + "!"
        return cap(s)

    def speech(self):
        r = self.r
        line = r.pick(SPEECH) if r.chance(0.5) else self.clause()
        end = "?" if line[:3] in ("Wha", "Who", "Hav") else ","
        who = self.name() if r.chance(0.6) else r.pick(("he", "she"))
        verb = r.pick(("said", "asked", "replied", "whispered", "murmured",
                       "answered", "cried")) if end == "," else "asked"
        s = '"%s%s" %s %s.' % (cap(line), end, verb, who)
        if r.chance(0.5):
            s += ' "%s"' % self.sentence()
        return s

    # -- blocks ----------------------------------------------------------
    def inline_markup(self, text):
        """Wrap plain words in emphasis, strong, code or a link."""
        r = self.r
        toks = text.split(" ")
        for _ in range(r.pick((0, 0, 0, 1, 1, 2))):
            i = r.below(len(toks))
            if not toks[i].isalpha() or len(toks[i]) < 4:
                continue
            k = r.below(10)
            if k < 6:
                toks[i] = "*" + toks[i] + "*"
            elif k < 8:
                toks[i] = "**" + toks[i] + "**"
            elif k < 9:
                toks[i] = "`" + toks[i].lower() + "_" + str(r.below(100)) + "`"
            elif i + 2 < len(toks) and toks[i + 1].isalpha() \
                    and toks[i + 2].isalpha():
                toks[i] = "[" + toks[i]
                toks[i + 2] += "](https://example.org/%s/%d)" % (
                    toks[i + 1].lower(), r.below(10000))
        return " ".join(toks)

    def paragraph(self, note=False):
        r = self.r
        n = r.pick((1, 2, 3, 3, 4, 4, 5, 5, 6, 7, 9, 12))
        if r.chance(0.12):
            sents = [self.speech() for _ in range(r.between(1, 2))]
        else:
            sents = [self.sentence() for _ in range(n)]
        if note:
            self.footnote += 1
            j = r.below(len(sents))
            sents[j] += "[^%d]" % self.footnote
        return self.inline_markup(" ".join(sents))

    def footnote_def(self, n):
        r = self.r
        if r.chance(0.5):
            y = r.between(1790, 1910)
            p = r.between(3, 400)
            s = "See %s, *%s* (%s, %d), pp. %d–%d." % (
                self.name(), title_case(self.np()[0]), r.pick(self.places),
                y, p, p + r.between(1, 30))
            if r.chance(0.5):
                s += " " + self.sentence()
        else:
            s = " ".join(self.sentence() for _ in range(r.between(1, 3)))
        return "[^%d]: %s" % (n, s)

    def item(self):
        r = self.r
        if r.chance(0.5):
            return cap(self.np()[0]) + r.pick(("", "", ";", "."))
        return self.sentence()

    def bullet_list(self, ordered):
        r = self.r
        out = []
        for i in range(r.between(3, 7)):
            out.append(("%d. " % (i + 1) if ordered else "- ") + self.item())
            if r.chance(0.12):
                sub = r.chance(0.5)
                for j in range(r.between(2, 4)):
                    out.append("    " + ("%d. " % (j + 1) if sub else "- ")
                               + self.item())
        return "\n".join(out)

    def table(self):
        r = self.r
        cols = r.between(3, 5)
        head = ["Year"] + [title_case(self.noun(False))
                           for _ in range(cols - 2)] + ["Total"]
        rows = []
        y = r.between(1800, 1880)
        for _ in range(r.between(3, 9)):
            y += r.between(1, 6)
            cells = [str(y)]
            for _ in range(cols - 2):
                cells.append(r.pick(self.places) if r.chance(0.3)
                             else cap(self.np()[0]))
            cells.append("{:,}".format(r.between(3, 250000)))
            rows.append(cells)
        lines = ["| " + " | ".join(head) + " |",
                 "|" + "|".join(["---:"] + [":---"] * (cols - 2) + ["---:"])
                 + "|"]
        lines += ["| " + " | ".join(c) + " |" for c in rows]
        return "\n".join(lines)

    def code(self):
        r = self.r
        a, b, c = (self.noun(False) for _ in range(3))
        return r.pick(CODE).format(a=a, b=b, c=c, A=a.upper(), B=b.upper(),
                                   n1=r.below(9999), n2=r.below(9999),
                                   n3=r.below(9999))

    def quote(self):
        r = self.r
        q = "> " + " ".join(self.sentence() for _ in range(r.between(1, 4)))
        if r.chance(0.4):
            q += "\n>\n> " + self.sentence()
        return q

    def heading_text(self):
        r = self.r
        k = r.below(5)
        if k == 0:
            return "The " + r.skewed(self.adjs) + " " + self.noun(False)
        if k == 1:
            return self.noun(True) + " and " + self.noun(True)
        if k == 2:
            n = self.noun(False)
            return article(n) + " " + n + " in " + r.pick(self.places)
        if k == 3:
            return r.pick(self.first) + "'s " + self.noun(False)
        return "On the " + self.noun(False) + " of " + self.noun(True)

    def chapter(self, num, budget):
        """One chapter as Markdown text and its word count."""
        r = self.r
        blocks = ["# %d. %s" % (num, title_case(self.heading_text()))]
        if r.chance(0.4):
            blocks.append("> %s\n>\n> — %s, *%s*" % (
                self.sentence(), self.name(), title_case(self.heading_text())))
        notes_at = sorted(r.below(budget) for _ in range(r.between(2, 5)))
        tables_at = [r.below(budget) for _ in range(r.between(1, 2))]
        code_at = r.below(budget) if r.chance(0.35) else -1
        next_head = r.between(300, 900)
        first_note = self.footnote + 1
        words = 0
        while words < budget:
            if words >= next_head:
                level = "###" if r.chance(0.3) else "##"
                blocks.append(level + " " + title_case(self.heading_text()))
                next_head = words + r.between(700, 2200)
            k = r.below(100)
            if tables_at and words >= tables_at[0]:
                tables_at.pop(0)
                b = self.table()
            elif code_at >= 0 and words >= code_at:
                code_at = -1
                b = self.code()
            elif k < 3:
                b = self.quote()
            elif k < 6:
                b = self.bullet_list(False)
            elif k < 8:
                b = self.bullet_list(True)
            else:
                note = bool(notes_at) and words >= notes_at[0]
                if note:
                    notes_at.pop(0)
                b = self.paragraph(note)
            blocks.append(b)
            words += count_words(b)
        for n in range(first_note, self.footnote + 1):
            b = self.footnote_def(n)
            blocks.append(b)
            words += count_words(b)
        return "\n\n".join(blocks) + "\n", words


def png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data)))


def write_png(path, width, height, seed):
    """An RGB PNG: sines across and down, plus sparse noise.

    Python adds and subtracts whole images as big integers, a byte (or
    two) a pixel channel, so that no pixel is touched by the interpreter:
    a sum whose bytes cannot carry is a bytewise sum."""
    h = hashlib.sha256(b"octavo-bench-figure-%d" % seed).digest()
    par = [b / 255.0 for b in h]

    def wave(u, c, k):
        v = 0.5 + 0.3 * math.sin(2 * math.pi * (u * (1 + 3 * par[k + c])
                                                + par[k + 3 + c])) \
            + 0.2 * math.sin(2 * math.pi * (u * u * (4 + 6 * par[k + 6 + c])
                                            + par[k + 9 + c]))
        return int(111 * min(max(v, 0.0), 1.0))     # 0..111
    across = bytes(wave(x / width, c, 0) for x in range(width)
                   for c in range(3))
    down = b"".join(bytes(wave(y / height, c, 12) for c in range(3)) * width
                    for y in range(height))
    n = width * height * 3
    # Noise 0..2, mostly 0: photographs' grain, without which PNG's
    # filters would leave next to nothing to store.
    grain = hashlib.shake_256(h).digest(n).translate(
        bytes(0 if i < 192 else 1 if i < 243 else 2 for i in range(256)))
    # At most 111 + 111 + 2 per byte: no carries.
    img = (int.from_bytes(across * height, "big")
           + int.from_bytes(down, "big")
           + int.from_bytes(grain, "big")).to_bytes(n, "big")

    # PNG's Up filter (each byte less the one above it, modulo 256), in
    # 16-bit lanes so that a borrow stays in its lane: 256 + a - b.
    def lanes(b):
        a = bytearray(2 * n)
        a[1::2] = b
        return int.from_bytes(a, "big")
    stride = width * 3
    base = bytearray(2 * n)
    base[0::2] = b"\1" * n
    up = (int.from_bytes(base, "big") - lanes(bytes(stride) + img[:-stride])
          + lanes(img)).to_bytes(2 * n, "big")[1::2]
    rows = memoryview(up)
    raw = b"".join(b"\2" + rows[i:i + stride] for i in range(0, n, stride))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n"
                + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height,
                                                 8, 2, 0, 0, 0))
                + png_chunk(b"IDAT", zlib.compress(raw, 1))
                + png_chunk(b"IEND", b""))


def add_figures(w, chapters, count):
    """Put 'count' figures into the chapters, evenly, between blocks of
    the body (not among the footnotes). Called once the text is written,
    so that the captions' draws leave the text as it is without images."""
    out, n = [], 0
    for i, (name, text) in enumerate(chapters):
        k = count * (i + 1) // len(chapters) - count * i // len(chapters)
        blocks = text.rstrip("\n").split("\n\n")
        body = next((j for j, b in enumerate(blocks) if b.startswith("[^")),
                    len(blocks))
        # After which block each figure goes: spaced through the body,
        # never before the chapter's heading.
        at = [(body - 1) * (f + 1) // (k + 1) for f in range(k)]
        done = []
        for j, b in enumerate(blocks):
            done.append(b)
            for _ in range(at.count(j)):
                n += 1
                done.append("![Figure %d. %s](images/fig%d.png)" % (
                    n, title_case(w.heading_text()), n))
        out.append((name, "\n\n".join(done) + "\n"))
    return out, n


def count_words(md):
    md = re.sub(r"\]\([^)]*\)|\[\^\d+\]:?", " ", md)
    return len(re.findall(r"[A-Za-z0-9]+(?:['’][a-z]+)?", md))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--words", type=int, default=200000)
    ap.add_argument("--chapters", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--single", metavar="FILE")
    ap.add_argument("--images", type=int, default=0, metavar="N")
    ap.add_argument("--image-size", default="2000x1500", metavar="WxH")
    a = ap.parse_args()
    if not a.outdir and not a.single:
        ap.error("give OUTDIR, --single FILE or both")
    if a.words < 100 * a.chapters or a.chapters < 1:
        ap.error("need at least 100 words per chapter")
    try:
        iw, ih = (int(x) for x in a.image_size.split("x"))
    except ValueError:
        ap.error("--image-size: WIDTHxHEIGHT, in pixels")
    if a.images and not a.outdir:
        ap.error("--images needs OUTDIR, where the images go")

    here = os.path.dirname(os.path.abspath(__file__))
    w = Writer(load_words(os.path.join(here, "words.txt")), a.seed)
    title = title_case(w.heading_text())
    author = w.r.pick(w.first) + " " + w.r.pick(w.last)
    # Chapter lengths vary (0.5x-1.5x) but add up to the requested total.
    weights = [w.r.between(50, 150) for _ in range(a.chapters)]
    width = max(2, len(str(a.chapters)))
    chapters, total = [], 0
    for i in range(a.chapters):
        # Aim at the running target, so one chapter's overshoot is
        # taken back from the next.
        goal = a.words * sum(weights[:i + 1]) // sum(weights) - total
        text, n = w.chapter(i + 1, max(goal, 50))
        total += n
        chapters.append(("ch%0*d.md" % (width, i + 1), text))

    figures = 0
    if a.images > 0:
        chapters, figures = add_figures(w, chapters, a.images)
        os.makedirs(os.path.join(a.outdir, "images"), exist_ok=True)
        for n in range(1, figures + 1):
            path = os.path.join(a.outdir, "images", "fig%d.png" % n)
            if not os.path.exists(path):
                write_png(path + ".tmp", iw, ih, n)
                os.replace(path + ".tmp", path)

    meta = "title: %s\nauthor: [%s]\nlanguage: en\n" % (title, author)
    if a.outdir:
        os.makedirs(a.outdir, exist_ok=True)
        with open(os.path.join(a.outdir, "book.yaml"), "w",
                  encoding="utf-8", newline="\n") as f:
            f.write(meta + "chapters:\n")
            f.writelines("  - %s\n" % name for name, _ in chapters)
        for name, text in chapters:
            with open(os.path.join(a.outdir, name), "w", encoding="utf-8",
                      newline="\n") as f:
                f.write(text)
    if a.single:
        with open(a.single, "w", encoding="utf-8", newline="\n") as f:
            f.write("---\n" + meta + "---\n\n")
            f.write("\n".join(text for _, text in chapters))
    print("gen-book: %d words in %d chapters%s" % (
        total, a.chapters, ", %d figure%s" % (figures, "s"[figures == 1:])
        if figures else ""),
        file=sys.stderr)


if __name__ == "__main__":
    main()
