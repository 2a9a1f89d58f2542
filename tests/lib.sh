# tests/lib.sh - what the suites that judge built books share: counting
# (ok, bad, check) and the validators (EPUBCheck, the EPUB's container,
# xmllint, MuPDF, pdffonts). Sourced; sets passed=0 and failed=0.
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "$2" ] && sed 's/^/     /' "$2" | head -n 30; }
check() {  # check NAME LOG COMMAND...: passes when COMMAND exits 0
    what=$1; log=$2; shift 2
    if "$@" >"$log" 2>&1; then ok "$what"; else bad "$what" "$log"; fi
}

epubcheck() {
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
        -jar /usr/share/java/epubcheck.jar "$1" >"$2" 2>&1
    grep -q '^Messages: 0 fatals / 0 errors / 0 warnings / 0 infos' "$2" &&
        ! grep -q '^\(ERROR\|WARNING\|FATAL\|USAGE\)' "$2"
}

mimetype_first_stored() {
    unzip -v "$1" | awk 'NR == 4 { exit !($8 == "mimetype" && $2 == "Stored") }'
}

xhtml_valid() {
    d=$2.d
    rm -rf "$d" && mkdir -p "$d" && unzip -q "$1" -d "$d" || return 1
    find "$d" -name '*.xhtml' -o -name '*.opf' -o -name '*.ncx' |
        sort | xargs xmllint --noout
}

# MuPDF opens the EPUB and draws its pages with no error, its CSS parser
# too (which reads no namespaced attribute selector: octavo makes a
# book's [epub|type] selectors [data-epub-type] ones).
mupdf_renders() {
    rm -f "$2".p*.png
    mutool draw -q -r 40 -o "$2.p%d.png" "$1" 2>"$2.err" || return 1
    ! grep -v 'unknown epub version\|ICC support' "$2.err" |
        grep -qi error &&
        [ -f "$2.p1.png" ]
}

fonts_embedded() {  # pdffonts: the "emb" column is 5th from the end
    pdffonts "$1" >"$2" || return 1
    [ "$(tail -n +3 "$2" | wc -l)" -gt 0 ] || return 1
    tail -n +3 "$2" | awk '$(NF-4) != "yes" { bad = 1 } END { exit bad }'
}

