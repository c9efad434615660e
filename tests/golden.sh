#!/bin/sh
# golden.sh [-u] — domlint's text output on every fixture, compared with the
# golden file beside it.
#
# For each fixtures/<area>/<case>.xml (fix-mode outputs *.fixed.xml excluded)
# domlint runs from the fixture's own directory, so paths in the output are
# relative, in the one-line form tools parse:
#     cd fixtures/<area> && domlint --color=never --format=text-short <case>.xml
# except fixtures/excerpt/, which holds the default form (each error and
# warning with its source line and a caret; the summary on stderr):
#     cd fixtures/excerpt && domlint --color=never <case>.xml
# Its output (stdout then stderr), followed by a line "exit: N", must equal
# <case>.expected byte for byte.
#
# Output is TAP (automake's tap-driver): one test per fixture, a failing one
# followed by the unified diff (expected -> actual) as '#' comment lines.
# A fixture without .expected fails, and so does an .expected without its
# fixture.
#
#   -u   regenerate every .expected from the current domlint (like libxml2's
#        runtest -u) and list what changed; review the change with git diff.
#
# Environment: top_srcdir and top_builddir (set by 'make check'); by default
# the directory above this script and $top_srcdir/build.

set -u

update=0
case ${1:-} in
    -u) update=1 ;;
    '') ;;
    *) echo "usage: golden.sh [-u]" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$here/..}
top_builddir=${top_builddir:-$top_srcdir/build}
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" 2>/dev/null && pwd) || { echo "Bail out! no build directory: $top_builddir"; exit 99; }
DOMLINT=$top_builddir/domlint
FIXTURES=$top_srcdir/fixtures
LC_ALL=C
export LC_ALL

if [ ! -x "$DOMLINT" ]; then
    echo "Bail out! domlint is not built: $DOMLINT"
    exit 99
fi
if [ ! -d "$FIXTURES" ]; then
    echo "Bail out! no fixtures directory: $FIXTURES"
    exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/golden.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 99' INT TERM HUP

# every fixture, by path relative to fixtures/, in a stable order
(cd "$FIXTURES" && find . -name '*.xml' ! -name '*.fixed.xml' | sed 's|^\./||' | sort) > "$tmp/cases"
(cd "$FIXTURES" && find . -name '*.expected' | sed 's|^\./||; s|\.expected$||' | sort) > "$tmp/expected"
# (sorted again without the suffix: "a-b.xml" sorts before "a.xml", "a-b" after "a")
sed 's|\.xml$||' "$tmp/cases" | sort | comm -13 - "$tmp/expected" > "$tmp/orphans"

# run_case REL OUT: domlint's output on fixtures/REL, plus "exit: N", into OUT
run_case() {
    dir=$FIXTURES/$(dirname "$1")
    base=$(basename "$1")
    case $1 in
        excerpt/*) form=--format=text ;;
        *) form=--format=text-short ;;
    esac
    (cd "$dir" && "$DOMLINT" --color=never --no-config "$form" "$base" > "$2.out" 2> "$2.err"
     echo "exit: $?" > "$2.rc")
    cat "$2.out" "$2.err" "$2.rc" > "$2"
    rm -f "$2.out" "$2.err" "$2.rc"
}

if [ $update = 1 ]; then
    changed=0
    while read -r rel; do
        exp=$FIXTURES/${rel%.xml}.expected
        run_case "$rel" "$tmp/actual"
        if [ ! -f "$exp" ] || ! cmp -s "$exp" "$tmp/actual"; then
            cp "$tmp/actual" "$exp"
            echo "updated: fixtures/${rel%.xml}.expected"
            changed=$((changed + 1))
        fi
    done < "$tmp/cases"
    while read -r rel; do
        echo "orphan (no fixtures/$rel.xml): fixtures/$rel.expected" >&2
    done < "$tmp/orphans"
    echo "$changed of $(wc -l < "$tmp/cases") golden files changed"
    exit 0
fi

total=$(( $(wc -l < "$tmp/cases") + $(wc -l < "$tmp/orphans") ))
echo "1..$total"
n=0
fail=0
while read -r rel; do
    n=$((n + 1))
    name=${rel%.xml}
    exp=$FIXTURES/$name.expected
    if [ ! -f "$exp" ]; then
        echo "not ok $n - $name"
        echo "# fixtures/$name.expected is missing; create it with tests/golden.sh -u and review it"
        fail=$((fail + 1))
        continue
    fi
    run_case "$rel" "$tmp/actual"
    if cmp -s "$exp" "$tmp/actual"; then
        echo "ok $n - $name"
    else
        echo "not ok $n - $name"
        diff -u --label "$name.expected" --label "$name (actual)" "$exp" "$tmp/actual" | sed 's/^/# /'
        fail=$((fail + 1))
    fi
done < "$tmp/cases"
while read -r rel; do
    n=$((n + 1))
    echo "not ok $n - $rel.expected has no fixture"
    echo "# fixtures/$rel.expected exists but fixtures/$rel.xml does not; remove it or restore the fixture"
    fail=$((fail + 1))
done < "$tmp/orphans"
[ $fail = 0 ] || echo "# $fail of $total golden tests failed; if the change is intended: tests/golden.sh -u, then review git diff fixtures/"
[ $fail = 0 ]
