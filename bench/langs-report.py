#!/usr/bin/env python3
"""langs-report.py DIR LANG... - measure the PDFs bench/typo-langs made
and write the tables of out/bench/typography-langs.md to stdout.

DIR/LANG/ holds, for each engine E of octavo, xelatex and typst, E.pdf
and its log (octavo.log: octavo's messages; xelatex.log: TeX's log;
typst.log: the compiler's diagnostics), or E.fail, one line that says
why the engine gave no PDF; and words, the text's size. The figures:

  - bench/typo.py: word-gap variation, loose lines, hyphens, overfull;
    for Chinese, which has no word spaces, the right ends of the lines
    that should be full instead (the measure of tests/langs/cjk.py);
  - bench/pages.py: pages under 85 % full, uneven spreads, hyphens at a
    page turn;
  - missing glyphs, as each engine tells of them: octavo's "no font has
    U+..." warnings, XeLaTeX's "Missing character" lines (the character
    is left out), and for Typst, which does not warn, the characters its
    PDF draws with glyph 0 (.notdef) by `mutool trace`.
"""
import json
import os
import re
import statistics
import subprocess
import sys

# bench/typo.py and bench/pages.py as modules, leaving no __pycache__.
sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, os.pardir, "tests", "langs"))
import cjk    # noqa: E402  (tests/langs/cjk.py: its body lines, cjk())
import pages  # noqa: E402  (bench/pages.py)
import typo   # noqa: E402  (bench/typo.py)

ENGINES = [("octavo", "octavo"), ("xelatex", "XeLaTeX + microtype"),
           ("typst", "Typst")]
NAMES = {"en": "English", "ru": "Russian", "de": "German", "fr": "French",
         "zh": "Chinese"}

# The text block of octavo's page (A5, 54pt inside, 45pt outside); the
# band of the page that holds the body is tests/langs/cjk.py's.
PAGE_W = 419.53
INSIDE, OUTSIDE = 54.0, 45.0

# Marks that may hang past the right edge of a Chinese line.
HANGING = set("，。、；：！？）」』》〉】”’.,;:!?)-\u00ad")


def cjk_edge(pdf):
    """The right ends of a Chinese text's lines that should be full: each
    body line with a Han character whose next line is on the same page,
    one line lower (not a gap), and not indented (so the line is not a
    paragraph's last, nor a heading). Their distance from the text block's
    right edge (rectos and versos apart), in pt. A page's last line is
    left out: whether it ends a paragraph does not show."""
    lines = [(no, y, t, x0, x1)     # (page, bottom, text, xmin, xmax)
             for no, page in enumerate(cjk.pages(pdf), 1)
             for t, x0, x1, y in page]
    dev = []
    for (no, y, t, _, x1), (no2, y2, _, x0b, _) in zip(lines, lines[1:]):
        left = INSIDE if no % 2 else OUTSIDE
        if (no == no2 and 12 < y2 - y < 24 and x0b <= left + 1 and
                any(cjk.cjk(c) for c in t)):
            dev.append((x1 - (PAGE_W - (OUTSIDE if no % 2 else INSIDE)),
                        t[-1:]))
    # A line that ends in a mark set past the edge hangs it on purpose
    # (Typst's overhang, XeLaTeX's xeCJK and microtype): counted apart.
    hang = [d for d, c in dev if d > 0.5 and c in HANGING]
    dev = [d for d, c in dev if not (d > 0.5 and c in HANGING)]
    if not dev:
        return None
    return {"lines": len(dev) + len(hang), "sd": statistics.pstdev(dev),
            "worst": max(abs(d) for d in dev),
            "off": sum(abs(d) > 0.5 for d in dev) / len(dev),
            "over": sum(d > 1.0 for d in dev), "hang": len(hang)}


def missing(d, engine):
    """(count, distinct code points) of the characters set without a
    glyph, or None when the log to tell is not there."""
    if engine == "typst":
        pdf = os.path.join(d, "typst.pdf")
        out = subprocess.run(["mutool", "trace", pdf], capture_output=True,
                             text=True, errors="replace").stdout
        found = re.findall(r'<g unicode="([^"]*)" glyph="0"', out)
        # mutool shows a character it cannot map as U+FFFD.
        return len(found), sorted(set("%04X" % ord(c[0]) if c else "?"
                                      for c in found))
    log = os.path.join(d, engine + ".log")
    if not os.path.exists(log):
        return None
    text = open(log, encoding="utf-8", errors="replace").read()
    if engine == "octavo":
        found = re.findall(r"no font has U\+([0-9A-F]+)", text)
    else:
        found = re.findall(r"Missing character: There is no .*?"
                           r"\(U\+([0-9A-F]+)\)", text)
    return len(found), sorted(set(found))


def nil_hyphens(d):
    """True when babel found no hyphenation patterns for the language, so
    XeLaTeX did not hyphenate at all."""
    log = os.path.join(d, "xelatex.log")
    return os.path.exists(log) and "set to \\l@nil" in open(
        log, encoding="utf-8", errors="replace").read()


def fail(d, engine):
    """Why the engine gave no PDF, or None when it gave one."""
    f = os.path.join(d, engine + ".fail")
    if os.path.exists(f):
        return open(f, encoding="utf-8").read().strip() or "no PDF"
    if not os.path.exists(os.path.join(d, engine + ".pdf")):
        return "no PDF"
    return None


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    top, langs = sys.argv[1], sys.argv[2:]
    typo_rows, cjk_rows, page_rows, glyph_rows = [], [], [], []
    for lang in langs:
        d = os.path.join(top, lang)
        name = NAMES.get(lang, lang)
        for e, label in ENGINES:
            head = "| %s | %s |" % (name, label)
            why = fail(d, e)
            if why:
                row = "%s failed: %s |" % (head, why.replace("|", "/"))
                (cjk_rows if lang == "zh" else typo_rows).append(row)
                page_rows.append(row)
                glyph_rows.append(row)
                continue
            pdf = os.path.join(d, e + ".pdf")
            if lang == "zh":
                r = cjk_edge(pdf)
                cjk_rows.append("%s %s |" % (head, "n/a (no lines found)"
                                if r is None else
                                "%d | %.2f | %.2f | %.1f%% | %d | %d" % (
                                    r["lines"], r["sd"], r["worst"],
                                    100 * r["off"], r["over"], r["hang"])))
            else:
                r = typo.measure(pdf, 11.0)
                if e == "xelatex" and nil_hyphens(d):
                    head = "| %s | %s (no hyphenation patterns) |" % (
                        name, label)
                typo_rows.append("%s %d | %.3f | %.1f%% | %.1f%% | %d | %d |"
                                 % (head, r["lines"], r["gap_cv"],
                                    100 * r["loose"], 100 * r["hyphenated"],
                                    r["max_run"], r["overfull"]))
            try:
                p = pages.measure(pdf)
                page_rows.append("%s %d | %d | %d of %d | %d |" % (
                    head, p["pages"], len(p["under85"]), len(p["uneven"]),
                    p["spreads"], len(p["turn_hyphens"])))
            except Exception as ex:           # a PDF pages.py cannot read
                page_rows.append("%s failed: pages.py: %s |" % (head, ex))
            n = subprocess.run(["pdfinfo", pdf], capture_output=True,
                               text=True).stdout
            m = re.search(r"^Pages:\s+(\d+)", n, re.M)
            g = missing(d, e)
            if g is None:
                gl = "n/a (no log)"
            else:
                shown = ", ".join("U+" + c for c in g[1][:6])
                gl = "%d" % g[0] + (" (%d distinct: %s%s)" % (
                    len(g[1]), shown, ", …" if len(g[1]) > 6 else "")
                    if g[0] else "")
            glyph_rows.append("%s %s | %s |" % (head, m.group(1) if m
                                                 else "?", gl))
    out = []
    if typo_rows:
        out += ["### Word spacing and hyphens (bench/typo.py)", "",
                "| language | engine | lines | gap CV | loose lines | "
                "hyphenated | longest hyphen run | overfull |",
                "|---|---|---:|---:|---:|---:|---:|---:|"] + typo_rows + [""]
    if cjk_rows:
        out += ["### Chinese: right edge of the justified lines", "",
                "Word-gap figures do not apply (no word spaces). Lines with "
                "Han characters that are not a paragraph's last nor a "
                "page's: how far their right end lies from the text "
                "block's edge. A line whose closing mark hangs past the "
                "edge is counted under \"hanging\" alone; the deviations "
                "are the other lines'.", "",
                "| language | engine | lines | std dev pt | worst pt | "
                "off by > 0.5 pt | past the edge by > 1 pt | hanging |",
                "|---|---|---:|---:|---:|---:|---:|---:|"] + cjk_rows + [""]
    out += ["### Pages (bench/pages.py)", "",
            "| language | engine | pages measured | under 85 % full | "
            "uneven spreads | hyphen at a page turn |",
            "|---|---|---:|---:|---:|---:|"] + page_rows + [""]
    out += ["### Missing glyphs", "",
            "octavo: its `no font has U+…` warnings; XeLaTeX: the "
            "`Missing character` lines of its log (the character is left "
            "out); Typst, which does not warn of them: the characters its "
            "PDF draws with glyph 0, .notdef (`mutool trace`).", "",
            "| language | engine | PDF pages | missing glyphs |",
            "|---|---|---:|---|"] + glyph_rows
    print("\n".join(out))


if __name__ == "__main__":
    main()
