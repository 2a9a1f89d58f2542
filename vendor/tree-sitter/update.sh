#!/bin/sh
# vendor/tree-sitter/update.sh - bring the tree-sitter grammars octavo
# highlights code with from the npm registry (npm pack, the versions below)
# into this folder: each grammar's generated parser (src/parser.c), its
# external scanner, its licence and its queries/highlights.scm; then write
# src/highlight-queries.c, the queries as C strings. Run from the top of
# the tree; needs npm ("update.sh --queries" only rewrites the C file
# from the queries here). The versions are the last whose parsers have the
# language ABI 14 that Debian 12's libtree-sitter (0.20.7) reads.
set -e
here=vendor/tree-sitter
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name  package@version  parser folder in the package  queries
grammars='
bash        tree-sitter-bash@0.23.3                     src            queries/highlights.scm
c           tree-sitter-c@0.23.6                        src            queries/highlights.scm
cpp         tree-sitter-cpp@0.23.4                      src            queries/highlights.scm
css         tree-sitter-css@0.23.2                      src            queries/highlights.scm
go          tree-sitter-go@0.23.4                       src            queries/highlights.scm
html        tree-sitter-html@0.23.2                     src            queries/highlights.scm
java        tree-sitter-java@0.23.5                     src            queries/highlights.scm
javascript  tree-sitter-javascript@0.23.1               src            queries/highlights.scm
json        tree-sitter-json@0.24.8                     src            queries/highlights.scm
python      tree-sitter-python@0.23.6                   src            queries/highlights.scm
rust        tree-sitter-rust@0.23.3                     src            queries/highlights.scm
sql         @derekstride/tree-sitter-sql@0.3.11         src            queries/highlights.scm
toml        @tree-sitter-grammars/tree-sitter-toml@0.7.0 src           queries/highlights.scm
typescript  tree-sitter-typescript@0.23.2               typescript/src queries/highlights.scm
xml         @tree-sitter-grammars/tree-sitter-xml@0.7.0 xml/src        queries/xml/highlights.scm
yaml        @tree-sitter-grammars/tree-sitter-yaml@0.7.1 src           queries/highlights.scm
'

[ "$1" = --queries ] || echo "$grammars" | while read -r name pkg src query
do
    [ -n "$name" ] || continue
    (cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
    mkdir -p "$tmp/$name"
    tar -xzf "$tmp"/*.tgz -C "$tmp/$name"
    rm -f "$tmp"/*.tgz
    p=$tmp/$name/package
    rm -rf "${here:?}/$name"
    mkdir -p "$here/$name/$src"
    # the parser, its scanner and what they include; not the bindings
    (cd "$p/$src" && find . -name '*.c' -o -name '*.h') | while read -r f; do
        case $f in ./bindings/*) continue ;; esac
        mkdir -p "$here/$name/$src/$(dirname "$f")"
        cp "$p/$src/$f" "$here/$name/$src/$f"
    done
    [ -d "$p/common" ] && cp -r "$p/common" "$here/$name/common"
    cp "$p/LICENSE" "$here/$name/LICENSE"
    cp "$p/$query" "$here/$name/highlights.scm"
    echo "$name $pkg" >>"$tmp/versions"
done

# The queries as C strings, one per grammar.
out=src/highlight-queries.c
{
    echo '/* highlight-queries.c - written by vendor/tree-sitter/update.sh: the'
    echo ' * highlight queries of the vendored tree-sitter grammars (MIT; see'
    echo ' * vendor/tree-sitter/README.md), as C strings. Do not edit. */'
    echo '#include "highlight-int.h"'
    echo
    echo '#include <string.h>'
    for d in "$here"/*/highlights.scm; do
        n=$(basename "$(dirname "$d")")
        echo
        echo "static const char q_$n[] ="
        # C string escapes (\? so that no "??=" is read as a trigraph),
        # in lines of at most 72 characters, no escape cut in two
        python3 - "$d" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
esc = {"\\": "\\\\", '"': '\\"', "?": "\\?", "\n": "\\n"}
pieces = [esc.get(c, c) for c in s]
line = ""
for p in pieces:
    if len(line) + len(p) > 72:
        print('    "' + line + '"')
        line = ""
    line += p
if line:
    print('    "' + line + '"')
PY
        echo '    ;'
    done
    echo
    echo 'const char *'
    echo 'hl_query_text(const char *grammar)'
    echo '{'
    for d in "$here"/*/highlights.scm; do
        n=$(basename "$(dirname "$d")")
        echo "    if (strcmp(grammar, \"$n\") == 0)"
        echo "        return q_$n;"
    done
    echo '    return NULL;'
    echo '}'
} >"$out"
