#!/bin/sh
# inplace-fault.sh - 'domlint --fix --in-place' killed at each step of the
# write (every write, fchmod, fsync and the rename, counted by the
# LD_PRELOAD shim tests/killer.c) leaves the old file or the new one,
# byte for byte, never a mixture; and a run that is not killed leaves the
# new one.  TAP for automake's tap-driver.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
top_builddir=$(cd "${top_builddir:-$top_srcdir/build}" && pwd)
DOMLINT=$top_builddir/domlint
CC=${CC:-cc}
case $(printf '%s' "$CC" | cut -d' ' -f1) in */*) ;; *) command -v "$(printf '%s' "$CC" | cut -d' ' -f1)" >/dev/null || CC=cc ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/inplace.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

if ! $CC -shared -fPIC -o "$tmp/killer.so" "$here/killer.c" -ldl 2>"$tmp/cc.err"; then
    echo "1..0 # SKIP cannot build the fault-injection shim: $(head -n 1 "$tmp/cc.err")"
    exit 0
fi
src=$top_srcdir/fixtures/fix/q35-duplicates.xml
"$DOMLINT" --fix "$src" > "$tmp/new.xml" 2>/dev/null
cp "$src" "$tmp/old.xml"; chmod 644 "$tmp/old.xml"
if cmp -s "$tmp/old.xml" "$tmp/new.xml"; then
    echo "Bail out! the fixture needs repairs for this test to mean anything"
    exit 99
fi
# the real binary, not libtool's wrapper script (whose own writes would count)
bin=$top_builddir/domlint
[ -x "$bin" ] || bin=$DOMLINT
# ASan wants its runtime first; the shim only wraps libc calls
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0"

steps=12
echo "1..$((steps + 1))"
fail=0
for k in $(seq 1 $steps); do
    rm -rf "$tmp/d"; mkdir "$tmp/d"
    cp "$tmp/old.xml" "$tmp/d/guest.xml"; chmod 644 "$tmp/d/guest.xml"
    DOMLINT_KILL_AT=$k LD_PRELOAD="$tmp/killer.so" "$bin" --fix --in-place "$tmp/d/guest.xml" \
        >/dev/null 2>&1
    rc=$?
    if cmp -s "$tmp/d/guest.xml" "$tmp/old.xml"; then
        state=old
    elif cmp -s "$tmp/d/guest.xml" "$tmp/new.xml"; then
        state=new
    else
        state=mixed
    fi
    if [ $state = mixed ]; then
        echo "not ok $k - killed at step $k (exit $rc): the file is neither the old nor the new one"
        fail=$((fail + 1))
    else
        echo "ok $k - killed at step $k (exit $rc): the $state file is there"
    fi
done
rm -rf "$tmp/d"; mkdir "$tmp/d"
cp "$tmp/old.xml" "$tmp/d/guest.xml"; chmod 644 "$tmp/d/guest.xml"
"$DOMLINT" --fix --in-place "$tmp/d/guest.xml" >/dev/null 2>&1
if cmp -s "$tmp/d/guest.xml" "$tmp/new.xml" && [ "$(ls -A "$tmp/d")" = guest.xml ]; then
    echo "ok $((steps + 1)) - not killed: the new file, and no temporary file left"
else
    echo "not ok $((steps + 1)) - not killed: $(ls -A "$tmp/d" | tr '\n' ' ')"
    fail=$((fail + 1))
fi
[ $fail = 0 ]
