#!/bin/sh
# inplace-fault.sh - 'domlint --fix --in-place' killed at each step of the
# write (every write, fchmod, fsync and the rename, counted by the
# LD_PRELOAD shim tests/killer.c) leaves the old file or the new one,
# byte for byte, never a mixture; and a run that is not killed leaves the
# new one.  TAP for automake's tap-driver.
set -u
. "$(dirname "$0")/lib.sh"
make_tmp

killer_shim "$tmp/killer.so" || skip_all "cannot build the fault-injection shim: $(head -n 1 "$tmp/killer.err")"
src=$FIXTURES/fix/q35-duplicates.xml
"$DOMLINT" --fix "$src" > "$tmp/new.xml" 2>/dev/null
cp "$src" "$tmp/old.xml"; chmod 644 "$tmp/old.xml"
cmp -s "$tmp/old.xml" "$tmp/new.xml" && bail_out "the fixture needs repairs for this test to mean anything"
# ASan wants its runtime first; the shim only wraps libc calls
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0"

steps=12
plan $((steps + 1))
for k in $(seq 1 $steps); do
    rm -rf "$tmp/d"; mkdir "$tmp/d"
    cp "$tmp/old.xml" "$tmp/d/guest.xml"; chmod 644 "$tmp/d/guest.xml"
    DOMLINT_KILL_AT=$k LD_PRELOAD="$tmp/killer.so" "$DOMLINT" --fix --in-place "$tmp/d/guest.xml" \
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
        not_ok "killed at step $k (exit $rc): the file is neither the old nor the new one"
    else
        ok "killed at step $k (exit $rc): the $state file is there"
    fi
done
rm -rf "$tmp/d"; mkdir "$tmp/d"
cp "$tmp/old.xml" "$tmp/d/guest.xml"; chmod 644 "$tmp/d/guest.xml"
"$DOMLINT" --fix --in-place "$tmp/d/guest.xml" >/dev/null 2>&1
if cmp -s "$tmp/d/guest.xml" "$tmp/new.xml" && [ "$(ls -A "$tmp/d")" = guest.xml ]; then
    ok "not killed: the new file, and no temporary file left"
else
    not_ok "not killed: $(ls -A "$tmp/d" | tr '\n' ' ')"
fi
done_testing
