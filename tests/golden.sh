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
# Environment: as for every script (tests/lib.sh).

set -u
. "$(dirname "$0")/lib.sh"

golden_mode "$@"

need_domlint
[ -d "$FIXTURES" ] || bail_out "no fixtures directory: $FIXTURES"
make_tmp

# every fixture, by name (relative to fixtures/, no .xml), in a stable order
fixture_files | sed "s|^$FIXTURES/||; s|\.xml\$||" > "$tmp/cases"
(cd "$FIXTURES" && find . -name '*.expected' | sed 's|^\./||; s|\.expected$||' | sort) > "$tmp/expected"
# (sorted again without the suffix: "a-b.xml" sorts before "a.xml", "a-b" after "a")
sort "$tmp/cases" | comm -13 - "$tmp/expected" > "$tmp/orphans"

# run_case NAME: domlint's output on fixtures/NAME.xml, plus "exit: N", in
# $tmp/actual.expected
run_case() {
    case $1 in
        excerpt/*) form=--format=text ;;
        *) form=--format=text-short ;;
    esac
    (cd "$FIXTURES/$(dirname "$1")" &&
        "$DOMLINT" --color=never --no-config "$form" "$(basename "$1").xml" > "$tmp/out" 2> "$tmp/err"
     echo "exit: $?" > "$tmp/rc")
    cat "$tmp/out" "$tmp/err" "$tmp/rc" > "$tmp/actual.expected"
}

if [ $mode = update ]; then
    golden update "$tmp/cases" run_case "" .expected
    while read -r name; do
        echo "orphan (no fixtures/$name.xml): fixtures/$name.expected" >&2
    done < "$tmp/orphans"
    exit 0
fi

plan $(( $(wc -l < "$tmp/cases") + $(wc -l < "$tmp/orphans") ))
golden check "$tmp/cases" run_case "" .expected
while read -r name; do
    not_ok "$name.expected has no fixture" \
        "fixtures/$name.expected exists but fixtures/$name.xml does not; remove it or restore the fixture"
done < "$tmp/orphans"
done_testing "if the change is intended: tests/golden.sh -u, then review git diff fixtures/"
