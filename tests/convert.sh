#!/bin/sh
# convert.sh [-u] — `domlint convert`: golden outputs, and what every conversion must be.
#
# Golden: for each fixtures/convert/<case>.in (a domain; not .xml, so that the
# check goldens leave it alone), copied to <case>.xml in a directory of its
# own, `domlint convert $(cat <case>.args) <case>.xml` run there must print
# exactly <case>.out (the converted domain; with -i the file as it is after
# the run, its standard output going to the report), and its standard error
# followed by "exit: N" must equal <case>.report.
#   -u   regenerate the .out and .report files; review with git diff.
#
# Properties, for every case that converts (exit 0, without --diff):
#   clean     `domlint check` of the output finds nothing (exit 0)
#   stable    converted back and then forth again, the output is the same
#             bytes (A1 == A2 for B -> A1 -> B1 -> A2)
# and for every case convert refuses (exit 1) with -i: the file is unchanged.
#
# TAP for automake's tap-driver.  Environment: as for every script (tests/lib.sh).
set -u
. "$(dirname "$0")/lib.sh"

golden_mode "$@"

CONV=$FIXTURES/convert
need_domlint
make_tmp

(cd "$CONV" && ls ./*.in) | sed 's|^\./||; s|\.in$||; s|^|convert/|' > "$tmp/golden"

# convert_case convert/CASE: the output in $tmp/actual.out, the report in $tmp/actual.report
convert_case() {
    base=${1#convert/}
    args=$(cat "$CONV/$base.args")
    # a copy of our own, writable for -i even from a read-only (distcheck) tree
    rm -rf "$tmp/run" && mkdir "$tmp/run" && cp "$CONV/$base.in" "$tmp/run/$base.xml" &&
        chmod u+w "$tmp/run/$base.xml"
    # shellcheck disable=SC2086 # the options are words
    (cd "$tmp/run" && "$DOMLINT" convert $args "$base.xml" > "$tmp/stdout" 2> "$tmp/actual.report"
     echo "exit: $?" >> "$tmp/actual.report")
    case " $args " in
        *" -i "*|*" --in-place "*)
            cp "$tmp/run/$base.xml" "$tmp/actual.out"
            cat "$tmp/stdout" >> "$tmp/actual.report" ;;
        *) cp "$tmp/stdout" "$tmp/actual.out" ;;
    esac
}

if [ $mode = update ]; then
    golden update "$tmp/golden" convert_case "golden " .out .report
    exit 0
fi

golden check "$tmp/golden" convert_case "golden " .out .report

# the other family's alias
other() {
    case $(sed -n "s/.*machine='\([^']*\)'.*/\1/p" "$1" | head -1) in
        q35|pc-q35-*) echo pc ;;
        *) echo q35 ;;
    esac
}

while read -r name; do
    base=${name#convert/}
    args=$(cat "$CONV/$base.args")
    convert_case "$name" < /dev/null
    status=$(tail -1 "$tmp/actual.report")
    case "$status $args" in
        "exit: 0"*--diff*) continue ;;
        "exit: 0"*)
            out=$("$DOMLINT" --no-config --format=text-short "$tmp/actual.out" 2>&1)
            check "clean $name" "$([ $? -eq 0 ] || echo "$out")"
            back=$(other "$tmp/actual.out")
            forth=$(other "$CONV/$base.in")
            "$DOMLINT" convert -q --machine="$back" "$tmp/actual.out" > "$tmp/a1.xml" &&
                "$DOMLINT" convert -q --machine="$forth" "$tmp/a1.xml" > "$tmp/b1.xml" &&
                "$DOMLINT" convert -q --machine="$back" "$tmp/b1.xml" > "$tmp/a2.xml"
            check "stable $name" "$(diff -u "$tmp/a1.xml" "$tmp/a2.xml" 2>&1)"
            ;;
        "exit: 1"*" -i"*)
            check "untouched $name" "$(cmp "$CONV/$base.in" "$tmp/run/$base.xml" 2>&1)"
            ;;
    esac
done < "$tmp/golden"

# usage errors: exit 2, one line naming the problem, nothing on stdout
"$DOMLINT" convert "$CONV/floppy.in" > "$tmp/o" 2> "$tmp/e"
check "no --machine is a usage error" "$([ $? -eq 2 ] && [ ! -s "$tmp/o" ] && grep -q -- '--machine' "$tmp/e" || cat "$tmp/e")"
"$DOMLINT" convert --machine=q35 "$tmp/missing.xml" > "$tmp/o" 2> "$tmp/e"
check "a missing file exits 2" "$([ $? -eq 2 ] && grep -q 'missing.xml' "$tmp/e" || cat "$tmp/e")"
done_testing
