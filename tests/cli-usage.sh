#!/bin/bash
# cli-usage.sh - the command line refuses values it cannot use, and says so.
#
# Usage errors exit 2 with one line on stderr naming the option: -j 0 or a
# negative -j, --color=bogus, --spare-ports=-1.  -jN means -j N (as make).
# --list-rules --format=json prints JSON with every rule.  A directory with
# no *.xml below it is a warning, and exit 2 when it was the only input.
# TERM=dumb turns colour off under --color=auto.  A data file that is a
# directory is named in one line.  TAP.
set -u
. "$(dirname "$0")/lib.sh"
GOOD=$FIXTURES/machine/q35-desktop.xml
make_tmp
# fail DESC: a failure showing domlint's stderr
fail() { not_ok "$1" "$(cat "$tmp/err")"; }

plan 21

# usage DESC WORD ARGS...: exit 2, one line on stderr that contains WORD
usage() {
    local desc=$1 word=$2
    shift 2
    "$DOMLINT" "$@" > "$tmp/out" 2> "$tmp/err"
    local rc=$?
    if [ $rc = 2 ] && [ "$(grep -c . "$tmp/err")" = 1 ] && grep -qF -- "$word" "$tmp/err"; then
        ok "$desc: exit 2, $(cat "$tmp/err")"
    else
        fail "$desc: exit $rc"
    fi
}
usage "-j 0" "-j takes" -j 0 "$GOOD"
usage "-j -3" "-j takes" -j -3 "$GOOD"
usage "--color=bogus" "--color takes" --color=bogus "$GOOD"
usage "--spare-ports=-1" "--spare-ports takes" --spare-ports=-1 "$GOOD"
usage "--spare-ports=256" "--spare-ports takes" --spare-ports=256 "$GOOD"

usage "--disable=pci-adress-conflict" "unknown rule 'pci-adress-conflict' (did you mean 'pci-address-conflict'?)" --disable=pci-adress-conflict "$GOOD"
usage "--enable in a list" "unknown rule 'disk-bsu' (did you mean 'disk-bus'?)" --disable=all --enable=schema,disk-bsu "$GOOD"
usage "--explain=pci-adress-conflict" "unknown rule 'pci-adress-conflict' (did you mean 'pci-address-conflict'?)" --explain=pci-adress-conflict
usage "--disable=nothing-like-it" "unknown rule 'nothing-like-it' (see --list-rules)" --disable=nothing-like-it "$GOOD"
usage "--fixx" "unknown option '--fixx' (did you mean '--fix'?)" --fixx "$GOOD"
usage "--taget=debian-12 after an option's value" "unknown option '--taget' (did you mean '--target'?)" -f json --taget=debian-12 "$GOOD"
"$DOMLINT" --frobnicate "$GOOD" > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -qF -- "--frobnicate" "$tmp/err" && ! grep -q "did you mean" "$tmp/err"; then
    ok "--frobnicate, near no option: exit 2, no suggestion"
else
    fail "--frobnicate, near no option: exit $rc"
fi
usage "probe --comapre" "unknown option '--comapre' (did you mean '--compare'?)" probe --comapre
usage "--format=jsno" "--format takes text, text-short, json or sarif, not 'jsno' (did you mean 'json'?)" --format=jsno "$GOOD"
usage "--color=alwyas" "--color takes auto, always or never, not 'alwyas' (did you mean 'always'?)" --color=alwyas "$GOOD"

"$DOMLINT" -j2 "$GOOD" "$GOOD" > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ $rc = 0 ]; then ok "-j2 means -j 2"; else fail "-j2 means -j 2: exit $rc"; fi

"$DOMLINT" --list-rules --format=json > "$tmp/rules.json" 2> "$tmp/err"
want=$("$DOMLINT" --list-rules | wc -l)
got=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len([x for x in r if x["id"] and x["summary"]]))' "$tmp/rules.json" 2>>"$tmp/err")
if [ "$got" = "$want" ]; then ok "--list-rules --format=json: $got rules"; else fail "--list-rules --format=json: $got of $want rules"; fi

mkdir "$tmp/empty"
"$DOMLINT" "$tmp/empty" > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q "no \*.xml files under" "$tmp/err"; then ok "a directory without *.xml alone: exit 2, warned"; else fail "a directory without *.xml alone: exit $rc"; fi
"$DOMLINT" "$tmp/empty" "$GOOD" > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ $rc = 0 ] && grep -q "no \*.xml files under" "$tmp/err"; then ok "a directory without *.xml beside a file: warned, exit 0"; else fail "a directory without *.xml beside a file: exit $rc"; fi

# a machine-db whose q35.xml is a directory: one line, no libxml2 text
mkdir -p "$tmp/mdb/q35.xml"
usage "--machine-db with a directory named q35.xml" "q35.xml: is a directory" --machine-db "$tmp/mdb" "$GOOD"

# colour needs a terminal: script(1) gives one
if command -v script >/dev/null 2>&1; then
    TERM=dumb script -qec "$DOMLINT --color=auto $FIXTURES/machine/q35-on-aarch64.xml" /dev/null > "$tmp/out" 2> "$tmp/err"
    if grep -q $'\033\[' "$tmp/out"; then fail "TERM=dumb: escape sequences on a terminal"; else ok "TERM=dumb on a terminal: no colour"; fi
else
    skip "script(1) is not installed: no terminal to test colour on"
fi
done_testing
