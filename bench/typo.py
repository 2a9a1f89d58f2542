#!/usr/bin/env python3
"""typo.py FILE.pdf [FONT_SIZE] - how evenly a PDF's justified text is set.

Reads the words of every page from `pdftotext -bbox-layout` and looks at
each line that should be justified: a line of a multi-line block that is
not the block's last, and whose right end lies at the text block's right
edge (the most common right end of the document's long lines, rectos and
versos apart). For each such line
it takes the mean gap between words divided by the font size, and
reports over the document:

  lines        justified lines measured
  gap_cv       coefficient of variation of the mean word gap across lines
  loose        share of lines whose gap exceeds 1.5 x the median gap
  hyphenated   share of lines that end in a hyphen
  max_run      longest run of consecutive lines ending in a hyphen
  overfull     lines whose right end passes the edge by more than 1 pt
               (hanging punctuation at the line end excepted)

Prints one line of key=value pairs (and --json for a JSON object)."""
import html.parser
import json
import statistics
import subprocess
import sys

# Marks that may hang past the edge: punctuation and hyphens (Typst's
# read as soft hyphens, U+00AD).
PUNCT = set(".,;:!?\u2019\u201d\"')-\u2013\u2014\u2026\u00ad\u2010")


class BBox(html.parser.HTMLParser):
    """Collects pages -> blocks -> lines -> words (xMin, xMax, text)."""

    def __init__(self):
        super().__init__()
        self.pages, self.word = [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "page":
            self.pages.append([])
        elif tag == "block":
            self.pages[-1].append([])
        elif tag == "line":
            self.pages[-1][-1].append([])
        elif tag == "word":
            self.word = [float(a["xmin"]), float(a["xmax"]), ""]

    def handle_data(self, data):
        if self.word is not None:
            self.word[2] += data

    def handle_endtag(self, tag):
        if tag == "word" and self.word is not None:
            self.pages[-1][-1][-1].append(tuple(self.word))
            self.word = None


def measure(pdf, size):
    out = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"],
                         capture_output=True, text=True, check=True).stdout
    p = BBox()
    p.feed(out)
    gaps, ends_hyphen, overfull = [], [], 0
    run = best = 0              # consecutive lines of a block that end in
                                # a hyphen (a block's last line ends none)
    # The text block's right edge, for rectos and versos apart: where most
    # long lines of the document end (the most common right end, to half a
    # point). One page alone can have too few long lines to tell. Lines
    # that end in a letter only, where there are such: a hyphen or a
    # stop may hang past the edge (microtype's protrusion), and in a text
    # that hyphenates often the hyphens' end could outnumber the edge's.
    ends = ([], []), ([], [])
    for n, page in enumerate(p.pages):
        for w in (l[-1] for b in page for l in b if len(l) >= 6):
            ends[n % 2][0].append(w[1])
            if w[2][-1:].isalpha():
                ends[n % 2][1].append(w[1])
    ends = [letters or every for every, letters in ends]
    edges = [statistics.mode(round(e * 2) / 2 for e in side) if side else 0
             for side in ends]
    for n, page in enumerate(p.pages):
        edge = edges[n % 2]
        for block in page:
            run = 0
            for i, line in enumerate(block):
                if len(line) < 2:
                    continue
                last = line[-1]
                hyphen = last[2].endswith(("-", "\u00ad", "\u2010"))
                run = run + 1 if hyphen and i < len(block) - 1 else 0
                best = max(best, run)
                if last[1] > edge + 1.0 and last[2][-1:] not in PUNCT:
                    overfull += 1
                # A final line, or one that stops short of the edge (a
                # hyphen or a quote may hang a little past it).
                if i == len(block) - 1 or not -1.0 < last[1] - edge < 3.0:
                    continue
                g = [line[k + 1][0] - line[k][1] for k in range(len(line) - 1)]
                gaps.append(statistics.mean(g) / size)
                ends_hyphen.append(hyphen)
    med = statistics.median(gaps) if gaps else 0
    mean = statistics.mean(gaps) if gaps else 0
    return {
        "lines": len(gaps),
        "gap_mean": round(mean, 4),
        "gap_cv": round(statistics.pstdev(gaps) / mean, 4) if mean else 0,
        "loose": round(sum(g > 1.5 * med for g in gaps) / len(gaps), 4)
        if gaps else 0,
        "hyphenated": round(sum(ends_hyphen) / len(ends_hyphen), 4)
        if ends_hyphen else 0,
        "max_run": best,
        "overfull": overfull,
    }


def main():
    args = [a for a in sys.argv[1:] if a != "--json"]
    if not args:
        print(__doc__)
        return 2
    r = measure(args[0], float(args[1]) if len(args) > 1 else 11.0)
    if "--json" in sys.argv:
        print(json.dumps(r))
    else:
        print(" ".join(f"{k}={v}" for k, v in r.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
