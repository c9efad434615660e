#!/bin/bash
# suggestions.sh - every error domlint reports on a fixture says what to do
#
# Each error must carry a suggestion ("note: suggestion: ..." in the text
# output, what --fix would do or what to write instead).  domlint runs once
# over every fixture (fix-mode outputs *.fixed.xml excluded); an error whose
# notes have no suggestion fails the test, naming the file, line and rule.
#
# ALLOW lists the rules whose errors may go without one: only where no
# concrete suggestion can exist, each with the reason.  It is empty: every
# rule has one.  TAP.
set -u
. "$(dirname "$0")/lib.sh"
make_tmp
export DOMLINT_TARGET=debian-12

# rule ids allowed to report an error without a suggestion, one per line:
#   RULE   # why no suggestion can exist
ALLOW='
'

need_domlint
plan 2

fixture_files > "$tmp/files"
# (xargs exits 123 when a run of domlint exits 1: errors found)
xargs "$DOMLINT" --color=never --format=text-short --no-config -j 1 < "$tmp/files" > "$tmp/out" 2>&1
rc=$?
if { [ "$rc" = 1 ] || [ "$rc" = 123 ]; } && grep -q ': error: ' "$tmp/out"; then
    ok "the fixtures give errors to look at ($(grep -c ': error: ' "$tmp/out") of them)"
else
    not_ok "domlint over the fixtures: exit $rc, wanted errors (exit 1)"
fi

# an error, then its notes; a line that is neither ends the error
awk -v allow="$ALLOW" '
    BEGIN {
        n = split(allow, lines, "\n")
        for (i = 1; i <= n; i++) {
            sub(/#.*/, "", lines[i])
            gsub(/[ \t]/, "", lines[i])
            if (lines[i] != "")
                allowed[lines[i]] = 1
        }
    }
    function flush() {
        if (err != "" && !sug) {
            rule = err
            sub(/.*\[/, "", rule)
            sub(/\]$/, "", rule)
            if (!(rule in allowed))
                print err
        }
        err = ""
        sug = 0
    }
    / error: / { flush(); err = $0; next }
    / note: suggestion: / { sug = 1; next }
    / note: / { next }
    { flush() }
    END { flush() }
' "$tmp/out" > "$tmp/bare"
if [ -s "$tmp/bare" ]; then
    not_ok "$(wc -l < "$tmp/bare") errors without a suggestion" "$(cat "$tmp/bare")"
else
    ok "every error has a suggestion"
fi
done_testing
