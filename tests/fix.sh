#!/bin/sh
# fix.sh [-u] — domlint --fix: golden outputs and the properties every fix must have.
#
# Golden: for each fixtures/fix/<case>.xml, `domlint --format=text-short --fix <case>.xml` run in
# fixtures/fix must print exactly <case>.fixed.xml on stdout, and its report
# (stderr) followed by "exit: N" must equal <case>.fix-report.  A <case>.args
# file adds options (--layout, --spare-ports=N) to that run.
#   -u   regenerate the .fixed.xml and .fix-report files; review with git diff.
#
# Properties, over every fixture and, when ../shared is beside the project,
# every case of ../shared/corpus/public:
#   clean       when --fix exits 0, checking its output finds no error
#   idempotent  --fix of the output changes nothing (byte-identical)
#   untouched   a file without errors comes out byte-identical
#   explained   every changed place (diff hunk) is matched by a "fixed:" note
# and the same three for --fix --layout (layout-clean, layout-idempotent,
# layout-explained): the whole PCI layout written out.
#
# TAP for automake's tap-driver.  Environment: as for every script (tests/lib.sh).
set -u
. "$(dirname "$0")/lib.sh"

golden_mode "$@"

FIX=$FIXTURES/fix
need_domlint
make_tmp

# -------------------------------------------------------------- golden
# the cases, as fixture names: fix/<case>
(cd "$FIX" && ls ./*.xml 2>/dev/null) | sed 's|^\./||' | grep -v '\.fixed\.xml$' |
    sed 's|^|fix/|; s|\.xml$||' > "$tmp/golden"

# fix_case fix/CASE: --fix's output in $tmp/actual.fixed.xml, its report and
# "exit: N" in $tmp/actual.fix-report
fix_case() {
    base=${1#fix/}
    args=$(cat "$FIX/$base.args" 2>/dev/null)
    # shellcheck disable=SC2086 # the options are words
    (cd "$FIX" && "$DOMLINT" --color=never --no-config --format=text-short --fix $args "$base.xml" \
        > "$tmp/actual.fixed.xml" 2> "$tmp/actual.fix-report"
     echo "exit: $?" >> "$tmp/actual.fix-report")
}

if [ $mode = update ]; then
    golden update "$tmp/golden" fix_case "golden " .fixed.xml .fix-report
    exit 0
fi

# every file the properties run over
fixture_files --corpus > "$tmp/all"

ngolden=$(wc -l < "$tmp/golden")
nall=$(wc -l < "$tmp/all")
crlf_cases=$(cd "$FIX" && ls crlf-*.xml 2>/dev/null | grep -v '\.fixed\.xml$')
ncrlf=$(echo "$crlf_cases" | grep -c .)
plan $((ngolden + 7 * nall + 2 * ncrlf + 5))

golden check "$tmp/golden" fix_case "golden " .fixed.xml .fix-report

# count the hunks of a unified diff
hunks() {
    grep -c '^@@' "$1" || true
}

# explained TEST ORIGINAL FIXED REPORT: no more changed places than reported repairs
explained() {
    diff -u "$2" "$3" > "$tmp/diff"
    changes=$(hunks "$tmp/diff")
    notes=$(grep -c ': note: fixed[^:]*: ' "$4" || true)
    if [ "$changes" -gt "$notes" ]; then
        not_ok "$1" "$changes changed places but $notes reported repairs"
    else
        ok "$1"
    fi
}

# idempotent TEST FILE [--layout]: --fix of FILE, a --fix output, changes nothing
idempotent() {
    "$DOMLINT" --color=never --fix ${3:-} "$2" > "$tmp/twice.xml" 2> /dev/null
    if cmp -s "$2" "$tmp/twice.xml"; then
        ok "$1"
    else
        not_ok "$1" "$(diff -u "$2" "$tmp/twice.xml" | head -n 20)"
    fi
}

while read -r f; do
    name=$(display_name "$f")
    "$DOMLINT" --no-schema --color=never "$f" > /dev/null 2>&1
    before=$?
    "$DOMLINT" --color=never --fix "$f" > "$tmp/fixed.xml" 2> "$tmp/report"
    status=$?
    if [ $status -ge 2 ]; then
        for p in clean idempotent untouched explained layout-clean layout-idempotent layout-explained; do
            not_ok "$p $name" "--fix failed: $(head -n 3 "$tmp/report")"
        done
        continue
    fi
    # clean
    "$DOMLINT" --color=never "$tmp/fixed.xml" > "$tmp/recheck" 2>&1
    again=$?
    if [ $status = 0 ] && [ $again != 0 ]; then
        not_ok "clean $name" "--fix exited 0 but its output has errors: $(head -n 5 "$tmp/recheck")"
    else
        ok "clean $name"
    fi
    idempotent "idempotent $name" "$tmp/fixed.xml"
    # untouched
    if [ $before = 0 ] && ! cmp -s "$f" "$tmp/fixed.xml"; then
        not_ok "untouched $name" "a file without errors changed: $(diff -u "$f" "$tmp/fixed.xml" | head -n 20)"
    else
        ok "untouched $name"
    fi
    explained "explained $name" "$f" "$tmp/fixed.xml" "$tmp/report"
    # the same with the whole layout written out
    "$DOMLINT" --color=never --fix --layout "$f" > "$tmp/laid.xml" 2> "$tmp/lreport"
    lstatus=$?
    if [ $lstatus != $status ]; then
        not_ok "layout-clean $name" "--fix exits $status but --fix --layout $lstatus: $(head -n 5 "$tmp/lreport")"
    elif [ $lstatus = 0 ] && ! "$DOMLINT" --color=never "$tmp/laid.xml" > "$tmp/recheck" 2>&1; then
        not_ok "layout-clean $name" "--fix --layout exited 0 but its output has errors: $(head -n 5 "$tmp/recheck")"
    else
        ok "layout-clean $name"
    fi
    idempotent "layout-idempotent $name" "$tmp/laid.xml" --layout
    explained "layout-explained $name" "$f" "$tmp/laid.xml" "$tmp/lreport"
done < "$tmp/all"

# --diff labels a file by its path as git does: an absolute path loses its
# leading '/' ("--- a/abs/vm.xml", which patch -p1 applies from /)
abs=$(readlink -f "$FIX/pc-two-primary-videos.xml")
"$DOMLINT" --color=never --fix --diff "$abs" 2>/dev/null | head -n 2 > "$tmp/labels"
if [ "$(cat "$tmp/labels")" = "$(printf -- '--- a%s\n+++ b%s' "$abs" "$abs")" ]; then
    ok "diff-labels of an absolute path"
else
    not_ok "diff-labels of an absolute path" "$(cat "$tmp/labels")"
fi

# CRLF files: every line --fix writes ends in CRLF, none in a lone LF
cr=$(printf '\r')
for c in $crlf_cases; do
    base=${c%.xml}
    args=$(cat "$FIX/$base.args" 2>/dev/null)
    for layout in "" --layout; do
        # shellcheck disable=SC2086 # the options are words
        "$DOMLINT" --color=never --fix $args $layout "$FIX/$c" > "$tmp/crlf.xml" 2> /dev/null
        lines=$(tr -cd '\n' < "$tmp/crlf.xml" | wc -c)
        crlf=$(grep -c "$cr\$" "$tmp/crlf.xml")
        if [ "$lines" -gt 0 ] && [ "$lines" = "$crlf" ] && ! cmp -s "$FIX/$c" "$tmp/crlf.xml"; then
            ok "crlf $base ${layout:-(no --layout)}: $lines lines, all CRLF"
        else
            not_ok "crlf $base ${layout:-(no --layout)}" "$lines lines, $crlf end in CRLF (or nothing was repaired): $(grep -vn "$cr\$" "$tmp/crlf.xml" | head -n 5)"
        fi
    done
done

# --fix=safe: only safe repairs, and the JSON report, which says the class of each, follows its schema
"$DOMLINT" --color=never --fix=safe "$FIX/q35-converted-from-i440fx.xml" > "$tmp/safe.xml" 2> "$tmp/safe-report"
if grep -q "fixed (safe)" "$tmp/safe-report" && ! grep -q "fixed (guest-visible)" "$tmp/safe-report" &&
    grep -q "not fixed under --fix=safe" "$tmp/safe-report" && grep -q "bus='ide'" "$tmp/safe.xml"; then
    ok "--fix=safe applies the safe repairs only"
else
    not_ok "--fix=safe applies the safe repairs only" "$(cat "$tmp/safe-report")"
fi
"$DOMLINT" --no-schema --fix=safe --format=json "$FIX/q35-converted-from-i440fx.xml" 2> "$tmp/report.json" > /dev/null
if ! grep -q '"fixClass" : "safe"' "$tmp/report.json" || ! grep -q '"fixClass" : "guest-visible"' "$tmp/report.json"; then
    not_ok "--fix=safe --format=json: fixClass" "$(head -n 20 "$tmp/report.json")"
elif have_jsonschema; then
    check "--fix=safe --format=json: fixClass, and the report follows its schema" \
        "$(report_schema_problems "$tmp/report.json")"
else
    ok "--fix=safe --format=json: fixClass (python3-jsonschema is missing: schema not checked)"
fi

# --fix=VALUE other than safe or all: a usage error, one line, exit 2
"$DOMLINT" --fix=bogus "$FIX/q35-clean.xml" > /dev/null 2> "$tmp/usage"
status=$?
if [ $status = 2 ] && [ "$(wc -l < "$tmp/usage")" = 1 ] && grep -q "'bogus'" "$tmp/usage"; then
    ok "--fix=bogus: usage error"
else
    not_ok "--fix=bogus: usage error" "exit $status: $(cat "$tmp/usage")"
fi

# --spare-ports=N with more than fit: as many as fit are added, and the count
# the warning gives is the one a check of the output finds
"$DOMLINT" --color=never --fix --spare-ports=250 "$FIX/layout-q35-no-addresses.xml" > "$tmp/spares.xml" 2> "$tmp/spares-report"
ports=$(grep -c "model='pcie-root-port'" "$tmp/spares.xml")
said=$(sed -n 's/.*warning: \([0-9]*\) empty pcie-root-ports will be left.*/\1/p' "$tmp/spares-report")
"$DOMLINT" --color=never --fix --spare-ports=250 "$tmp/spares.xml" > /dev/null 2> "$tmp/spares-again"
again=$(sed -n 's/.*warning: \([0-9]*\) empty pcie-root-ports will be left.*/\1/p' "$tmp/spares-again")
if [ "$ports" -gt 200 ] && [ -n "$said" ] && [ "$said" = "$again" ] && [ "$said" -lt 250 ]; then
    ok "--spare-ports=250 on q35: $ports root ports written, $said left empty, as the warning says"
else
    not_ok "--spare-ports=250 on q35" "$ports root ports written; the warning said '$said', a check of the output '$again'"
fi

done_testing
