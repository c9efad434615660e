#!/bin/sh
# explain-docs.sh - every rule has its --explain text, and every text a rule
#
# data/rules/<rule-id>.txt is what 'domlint --explain RULE' prints.  For
# each rule id of 'domlint --list-rules' the file must exist and start with
# "<rule-id> - ", have the sections "What it checks", "Why", "Example",
# "What --fix does", and no line wider than 78 columns; its example (the
# <domain> under "Example") must make domlint report that rule, and --fix
# must repair it unless "What --fix does" starts with "Nothing".  A line
# "  $ domlint OPTION... example.xml" under the example gives the options it
# needs (--qemu=BIN: skipped, saying so, when BIN is not installed;
# --connect=URI: not run, saying so, as it needs a running libvirt).  A
# file in data/rules that names no rule fails too.  Speaks TAP.
#
# Environment: as for every script (tests/lib.sh).

. "$(dirname "$0")/lib.sh"
DOCS=$top_srcdir/data/rules

need_domlint
make_tmp

"$DOMLINT" --list-rules > "$tmp/list" 2>&1 || bail_out "domlint --list-rules failed"
awk '{ print $1 }' "$tmp/list" | sort > "$tmp/rules"
[ -s "$tmp/rules" ] || bail_out "domlint --list-rules printed no rule"
(cd "$DOCS" 2>/dev/null && ls *.txt 2>/dev/null) | sed 's/\.txt$//' | sort > "$tmp/docs"

# a --qemu probe is cached under XDG_CACHE_HOME: keep it out of $HOME
export XDG_CACHE_HOME="$tmp/cache"

# one file per rule, checked in full
while read -r id; do
    doc=$DOCS/$id.txt
    if [ ! -f "$doc" ]; then
        not_ok "$id: no data/rules/$id.txt ('domlint --explain $id' would have nothing to print)"
        continue
    fi
    problems=
    head -n 1 "$doc" | grep -q "^$id - " || problems="$problems; first line is not '$id - <summary>'"
    for section in 'What it checks' 'Why' 'Example' 'What --fix does'; do
        grep -qx "$section" "$doc" || problems="$problems; no '$section' section"
    done
    wide=$(awk 'length($0) > 78 { print NR }' "$doc" | head -n 3 | tr '\n' ' ')
    [ -z "$wide" ] || problems="$problems; lines wider than 78 columns: $wide"
    # the example: the indented <domain> document under "Example"
    sed -n '/^Example$/,/^What --fix does$/p' "$doc" |
        sed -n '/^  <domain/,/^  <\/domain>/p' | sed 's/^  //' > "$tmp/example.xml"
    # options the example needs: "  $ domlint OPTION... example.xml"
    opts=$(sed -n '/^Example$/,/^What --fix does$/p' "$doc" |
        sed -n 's/^  \$ domlint \(.*\) example\.xml$/\1/p' | head -n 1)
    qemu=$(printf '%s\n' "$opts" | sed -n 's/.*--qemu=\([^ ]*\).*/\1/p')
    if [ -n "$qemu" ] && ! command -v "$qemu" > /dev/null 2>&1; then
        skip "$id: the example needs $qemu, which is not installed"
        continue
    fi
    # --connect=URI needs a running libvirt (tests/connect.sh runs the rule
    # against one): the text is checked, the example is not run
    if printf '%s\n' "$opts" | grep -q -- '--connect='; then
        if [ -n "$problems" ]; then
            not_ok "$id: data/rules/$id.txt${problems}"
        else
            skip "$id: data/rules/$id.txt complete; its example needs a running libvirt (--connect), see tests/connect.sh"
        fi
        continue
    fi
    if [ ! -s "$tmp/example.xml" ]; then
        problems="$problems; the Example section has no <domain> document"
    else
        # shellcheck disable=SC2086
        "$DOMLINT" --color=never $opts "$tmp/example.xml" > "$tmp/out" 2>&1
        if ! grep -q "\[$id\]" "$tmp/out"; then
            problems="$problems; domlint does not report [$id] for the example"
            diag "$tmp/out"
        fi
        # "What --fix does" says "Nothing" exactly when --fix repairs nothing of it
        # shellcheck disable=SC2086
        "$DOMLINT" --color=never $opts --fix "$tmp/example.xml" 2>&1 >/dev/null |
            grep "fixed[^:]*: .*\[$id\]" > "$tmp/fixed"
        if sed -n '/^What --fix does$/{n;p;}' "$doc" | grep -q '^  Nothing'; then
            [ ! -s "$tmp/fixed" ] || problems="$problems; says --fix does nothing, but it did: $(head -n 1 "$tmp/fixed")"
        else
            [ -s "$tmp/fixed" ] || problems="$problems; describes a repair, but --fix repaired nothing of the example"
        fi
    fi
    if [ -n "$problems" ]; then
        not_ok "$id: data/rules/$id.txt${problems}"
    else
        ok "$id: data/rules/$id.txt complete, its example triggers the rule"
    fi
done < "$tmp/rules"

# no text for a rule that does not exist (renamed or removed)
comm -13 "$tmp/rules" "$tmp/docs" > "$tmp/orphans"
if [ -s "$tmp/orphans" ]; then
    not_ok "files in data/rules name no rule of 'domlint --list-rules': $(tr '\n' ' ' < "$tmp/orphans")"
else
    ok "every file in data/rules names a rule"
fi

done_testing
