#!/usr/bin/env python3
"""bench/highlight.py - what highlighting code costs a build.

Makes two books of the same 10,000 lines of C (octavo's own sources, in
fenced blocks of 50 lines between short paragraphs): one whose fences say
`c`, one whose fences say `text` (a language octavo does not know, so the
code is set plain). Builds each, EPUB and PDF, alternately, and prints
the median time of each and the cost per 1,000 lines of highlighted code:
(highlighted - plain) / 10, in CPU seconds, medians of interleaved
runs.

    bench/highlight.py OCTAVO [RUNS]
"""
import glob
import os
import resource
import statistics
import subprocess
import sys

LINES = 10000
BLOCK = 50
OUT = "out/bench/highlight"


def source_lines():
    lines = []
    for path in sorted(glob.glob("src/*.c")):
        with open(path, encoding="utf-8") as f:
            lines += [l.rstrip("\n").replace("```", "'''") for l in f]
    while len(lines) < LINES:
        lines += lines
    return lines[:LINES]


def make_book(name, lang, lines):
    folder = os.path.join(OUT, name)
    os.makedirs(os.path.join(folder, "chapters"), exist_ok=True)
    chapters = []
    per_chapter = 1000
    for c in range(LINES // per_chapter):
        part = lines[c * per_chapter:(c + 1) * per_chapter]
        body = ["# Listing %d" % (c + 1), ""]
        for b in range(0, len(part), BLOCK):
            body += ["The next lines of the program:", "",
                     "```" + lang] + part[b:b + BLOCK] + ["```", ""]
        path = "chapters/c%02d.md" % (c + 1)
        with open(os.path.join(folder, path), "w", encoding="utf-8") as f:
            f.write("\n".join(body))
        chapters.append(path)
    with open(os.path.join(folder, "book.yaml"), "w", encoding="utf-8") as f:
        f.write("title: Code %s\nauthor: [Bench]\nlanguage: en\n"
                "chapters:\n" % name)
        f.write("".join("  - %s\n" % c for c in chapters))
    return os.path.join(folder, "book.yaml")


def run(octavo, book, flag, out):
    """CPU seconds (user + system) of one build: on a shared machine the
    wall time of a second's build varies several times over."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([octavo, "build", "--data-dir", ".", flag, out, book],
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime
            - before.ru_utime - before.ru_stime)


def main():
    octavo = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    lines = source_lines()
    hl = make_book("c", "c", lines)
    plain = make_book("plain", "text", lines)
    print("| output | plain CPU s | highlighted CPU s |"
          " cost per 1,000 lines CPU s |"
          " ratio |")
    print("|---|---:|---:|---:|---:|")
    for flag, ext in (("--epub", "epub"), ("--pdf", "pdf")):
        a, b = [], []
        for _ in range(runs):
            a.append(run(octavo, plain, flag, "%s/plain.%s" % (OUT, ext)))
            b.append(run(octavo, hl, flag, "%s/c.%s" % (OUT, ext)))
        ma, mb = statistics.median(a), statistics.median(b)
        ratio = statistics.median(y / x for x, y in zip(a, b))
        print("| %s | %.3f | %.3f | %.4f | %.2f× |"
              % (ext.upper(), ma, mb, (mb - ma) * 1000 / LINES, ratio))
    print()
    print("%d lines of C in fences of %d; CPU time (user + system),"
          " medians of %d interleaved runs."
          % (LINES, BLOCK, runs))


if __name__ == "__main__":
    main()
