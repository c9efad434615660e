#!/bin/sh
# topology.sh [-u] - `domlint topology`: golden text and JSON for every
# fixtures/topology/<case>.xml, the JSON against
# schemas/domlint-topology.schema.json, the XML form well-formed, the HTML
# page valid (xmllint --html) and self-contained, and bad input exit 2.
#
# For each case, run from fixtures/topology:
#     domlint topology <case>.xml            -> <case>.topology.txt
#     domlint topology -f json <case>.xml    -> <case>.topology.json
# each followed by a line "exit: N".  -u rewrites them (review with git diff).
# The page in a browser: tests/topology-chromium.sh.

set -u
. "$(dirname "$0")/lib.sh"

golden_mode "$@"

need_domlint
make_tmp
T=$FIXTURES/topology
ls "$T"/*.xml | sed "s|^$FIXTURES/||; s|\.xml\$||" > "$tmp/cases"

# run_case NAME: the text and the JSON of fixtures/NAME.xml
run_case() {
    (cd "$FIXTURES/$(dirname "$1")" &&
        "$DOMLINT" topology "$(basename "$1").xml" > "$tmp/out" 2>&1
     echo "exit: $?" >> "$tmp/out"
     "$DOMLINT" topology --format=json "$(basename "$1").xml" > "$tmp/json" 2>&1
     echo "exit: $?" >> "$tmp/json")
    mv "$tmp/out" "$tmp/actual.topology.txt"
    mv "$tmp/json" "$tmp/actual.topology.json"
}

if [ $mode = update ]; then
    golden update "$tmp/cases" run_case "" .topology.txt .topology.json
    exit 0
fi

cases=$(wc -l < "$tmp/cases")
plan $((cases * 4 + 9))
golden check "$tmp/cases" run_case "" .topology.txt .topology.json

# schema_problems JSON: why JSON does not follow the topology schema (nothing when it does)
schema_problems() {
    /usr/bin/python3 -W ignore - "$top_srcdir/schemas" "$1" 2>&1 <<'PY' | tail -n 3
import json, sys, jsonschema
d = sys.argv[1]
topo = json.load(open(d + "/domlint-topology.schema.json"))
report = json.load(open(d + "/domlint-report.schema.json"))
store = {topo["$id"]: topo, report["$id"]: report}
resolver = jsonschema.RefResolver.from_schema(topo, store=store)
jsonschema.Draft202012Validator(topo, resolver=resolver).validate(json.load(open(sys.argv[2])))
PY
}

while read -r name; do
    base=$FIXTURES/$name.xml
    if have_jsonschema; then
        "$DOMLINT" topology -f json "$base" > "$tmp/t.json" 2> /dev/null
        check "$name: JSON follows domlint-topology.schema.json" "$(schema_problems "$tmp/t.json")"
    else
        skip "$name: JSON schema" "python3-jsonschema is not installed"
    fi
    "$DOMLINT" topology -f xml "$base" > "$tmp/t.xml" 2> /dev/null
    check "$name: the XML form is well-formed" "$(xmllint --noout "$tmp/t.xml" 2>&1)"
    "$DOMLINT" topology -f html "$base" > "$tmp/t.html" 2> /dev/null
    problems=$(xmllint --html --noout "$tmp/t.html" 2>&1)
    # self-contained: nothing to fetch, nothing to run
    if grep -Eiq '<script|<link|<img|src=|url\(|@import|https?://' "$tmp/t.html"; then
        problems="$problems${problems:+
}the page refers to something outside it: $(grep -Eio '<script|<link|<img|src=|url\(|@import|https?://[^" ]*' "$tmp/t.html" | head -n 1)"
    fi
    [ -s "$tmp/t.html" ] || problems="no page"
    check "$name: the HTML page is valid (xmllint --html) and self-contained" "$problems"
done < "$tmp/cases"

# the schema can fail: a device without its origin is refused
if have_jsonschema; then
    "$DOMLINT" topology -f json "$T/conflict.xml" 2> /dev/null |
        /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); del d["buses"][0]["devices"][0]["origin"]; json.dump(d, sys.stdout)' > "$tmp/bad.json"
    if [ -n "$(schema_problems "$tmp/bad.json")" ]; then ok "the schema refuses a device without its origin"; else not_ok "the schema accepts a device without its origin"; fi
else
    skip "the schema refuses a device without its origin" "python3-jsonschema is not installed"
fi

# expect_trouble NAME WANT ARGS...: exit 2 and one line on stderr containing WANT, nothing on stdout
expect_trouble() {
    name=$1 want=$2
    shift 2
    "$DOMLINT" topology "$@" > "$tmp/o" 2> "$tmp/e"
    rc=$?
    lines=$(wc -l < "$tmp/e")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -qF -- "$want" "$tmp/e" && [ ! -s "$tmp/o" ]; then
        ok "$name: exit 2, one line naming it"
    else
        not_ok "$name: exit $rc, stderr: $(cat "$tmp/e"), stdout: $(head -c 200 "$tmp/o")"
    fi
}

printf '<domain><devices>' > "$tmp/broken.xml"
printf '<network/>' > "$tmp/network.xml"
expect_trouble "a missing file" "$tmp/nothing.xml" "$tmp/nothing.xml"
expect_trouble "a malformed file" "broken.xml" "$tmp/broken.xml"
expect_trouble "not a domain" "network.xml" "$tmp/network.xml"
expect_trouble "--format=svg" "'svg'" --format=svg "$T/conflict.xml"
expect_trouble "two files" "one file" "$T/conflict.xml" "$T/no-pci.xml"
expect_trouble "no file" "one file"
expect_trouble "an unknown option" "--fromat" --fromat=json "$T/conflict.xml"

"$DOMLINT" topology --help > "$tmp/help" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q -- "--format" "$tmp/help" && grep -q "lspci" "$tmp/help"; then
    ok "--help: exit 0, the options and what it shows"
else
    not_ok "--help: exit $rc: $(head -n 3 "$tmp/help")"
fi

done_testing "if the change is intended: tests/topology.sh -u, then review git diff fixtures/topology"
