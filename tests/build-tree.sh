#!/bin/bash
# build-tree.sh - build/domlint works before 'make install': with no
# DOMLINT_DATA_DIR it reads the data beside it (build/data, which make links
# to the source tree's), and a copy of it elsewhere says domlint is not
# installed, in one line, exit 2.  TAP.
set -u
. "$(dirname "$0")/lib.sh"
make_tmp
plan 2

env -u DOMLINT_DATA_DIR "$DOMLINT" --no-config --format=text-short \
    "$top_srcdir/examples/q35-broken.xml" > "$tmp/out" 2> "$tmp/err"
rc=$?
p=""
[ "$rc" = 1 ] || p="exit $rc, not 1: $(head -n 2 "$tmp/err")"
grep -q '\[disk-bus\]$' "$tmp/out" || p="$p${p:+
}no disk-bus finding"
check "build/domlint without DOMLINT_DATA_DIR checks with the build tree's data" "$p"

cp "$DOMLINT" "$tmp/domlint"
env -u DOMLINT_DATA_DIR "$tmp/domlint" "$top_srcdir/examples/q35-broken.xml" > "$tmp/out" 2> "$tmp/err"
rc=$?
p=""
[ "$rc" = 2 ] || p="exit $rc, not 2"
[ "$(grep -c . "$tmp/err")" = 1 ] && grep -q 'not installed' "$tmp/err" || p="$p${p:+
}stderr: $(head -n 3 "$tmp/err")"
check "a copy without data beside it says domlint is not installed" "$p"
