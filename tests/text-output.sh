#!/bin/bash
# text-output.sh - the text report around the findings: the closing summary,
# --quiet, --statistics, and the one-line forms tools parse.
#
# Over a few fixtures (fixtures/excerpt/, whose caret form golden.sh checks,
# and a clean domain):
#   - the summary is the last line on stderr, "4 errors in 3 of 4 files",
#     also when stderr and stdout are one stream (2>&1);
#   - none for one file with one finding; "no errors or warnings in 2 files"
#     for clean ones; -q / --quiet leave it out;
#   - --format=text-short prints exactly the one-line form: the default
#     output without its source lines, nothing on stderr; --no-excerpt
#     prints the same on stdout and keeps the summary;
#   - --statistics counts per rule and severity on stderr, for JSON too,
#     whose stdout it leaves alone; JSON gets no summary;
#   - a finding without a line (a missing schema) gets no source line;
#   - with colour, the caret is green.
# TAP.
set -u
. "$(dirname "$0")/lib.sh"
EX=$FIXTURES/excerpt
CLEAN=$FIXTURES/machine/q35-desktop.xml
FILES="$EX/tabs.xml $EX/crlf.xml $EX/same-line.xml $CLEAN"
make_tmp
# fail DESC: a failure showing domlint's stdout and stderr
fail() { not_ok "$1" "out:" "$(sed 's/^/  /' "$tmp/out")" "err:" "$(sed 's/^/  /' "$tmp/err")"; }
# run ARGS...: domlint --color=never ARGS, stdout in out, stderr in err, status in rc
run() {
    "$DOMLINT" --color=never "$@" > "$tmp/out" 2> "$tmp/err"
    rc=$?
}

plan 14

run $FILES
if [ $rc = 1 ] && [ "$(tail -n 1 "$tmp/err")" = "4 errors in 3 of 4 files" ] && [ "$(wc -l < "$tmp/err")" = 1 ]; then
    ok "summary on stderr: $(cat "$tmp/err")"
else
    fail "summary on stderr (exit $rc)"
fi
cp "$tmp/out" "$tmp/default"

"$DOMLINT" --color=never $FILES > "$tmp/out" 2>&1
if [ "$(tail -n 1 "$tmp/out")" = "4 errors in 3 of 4 files" ] && [ "$(grep -c 'errors in' "$tmp/out")" = 1 ]; then
    ok "with 2>&1 the summary is the last line"
else
    : > "$tmp/err"; fail "with 2>&1 the summary is the last line"
fi

run -q $FILES
if [ $rc = 1 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/out" "$tmp/default"; then ok "-q: no summary, the same report"; else fail "-q (exit $rc)"; fi
run --quiet $FILES
if [ $rc = 1 ] && [ ! -s "$tmp/err" ]; then ok "--quiet: no summary"; else fail "--quiet (exit $rc)"; fi

run "$EX/tabs.xml"
if [ $rc = 1 ] && [ ! -s "$tmp/err" ]; then ok "one file, one finding: no summary"; else fail "one file, one finding (exit $rc)"; fi

run "$CLEAN" "$CLEAN"
if [ $rc = 0 ] && [ "$(cat "$tmp/err")" = "no errors or warnings in 2 files" ] && [ ! -s "$tmp/out" ]; then
    ok "clean files: $(cat "$tmp/err")"
else
    fail "clean files (exit $rc)"
fi

run --format=text-short $FILES
grep -v -e '^ *[0-9]* | ' -e '^ *| ' "$tmp/default" > "$tmp/stripped"
if [ $rc = 1 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/out" "$tmp/stripped" && [ "$(wc -l < "$tmp/out")" = 8 ]; then
    ok "--format=text-short: the findings' lines of the default form, nothing on stderr"
else
    fail "--format=text-short (exit $rc)"
fi
cp "$tmp/out" "$tmp/short"

run --no-excerpt $FILES
if [ $rc = 1 ] && cmp -s "$tmp/out" "$tmp/short" && [ "$(cat "$tmp/err")" = "4 errors in 3 of 4 files" ]; then
    ok "--no-excerpt: stdout as --format=text-short, the summary kept"
else
    fail "--no-excerpt (exit $rc)"
fi

printf '3  error    disk-bus\n1  error    pci-controller-machine\n4 errors in 3 of 4 files\n' > "$tmp/want"
run --statistics $FILES
if [ $rc = 1 ] && cmp -s "$tmp/err" "$tmp/want" && cmp -s "$tmp/out" "$tmp/default"; then
    ok "--statistics: per rule and severity, before the summary"
else
    fail "--statistics (exit $rc)"
fi

run --format=json $FILES
cp "$tmp/out" "$tmp/json"
if [ $rc = 1 ] && [ ! -s "$tmp/err" ]; then ok "--format=json: no summary"; else fail "--format=json: no summary (exit $rc)"; fi
run --format=json --statistics $FILES
head -n 2 "$tmp/want" > "$tmp/want-json"
if [ $rc = 1 ] && cmp -s "$tmp/err" "$tmp/want-json" && cmp -s "$tmp/out" "$tmp/json"; then
    ok "--format=json --statistics: the table on stderr, the JSON unchanged"
else
    fail "--format=json --statistics (exit $rc)"
fi

run --format=bogus "$CLEAN"
if [ $rc = 2 ] && grep -q "text-short" "$tmp/err"; then ok "an unknown format names text-short"; else fail "an unknown format (exit $rc)"; fi

# a warning without a line: nothing is quoted under it
run --schema-dir="$tmp/no-such-dir" "$EX/tabs.xml"
if grep -q "^[^ ]*tabs\.xml: warning: .*\[schema\]$" "$tmp/out" &&
   [ "$(grep -A1 'tabs\.xml: warning' "$tmp/out" | grep -c ' | ')" = 0 ]; then
    ok "a finding without a line has no source line"
else
    fail "a finding without a line (exit $rc)"
fi

"$DOMLINT" --color=always "$EX/tabs.xml" > "$tmp/out" 2> "$tmp/err"
if grep -q $'^      | *\033\\[1;32m^~~~~~~~~~~\033\\[0m$' "$tmp/out"; then ok "--color=always: a green caret"; else fail "--color=always: a green caret"; fi
done_testing
