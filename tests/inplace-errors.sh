#!/bin/sh
# inplace-errors.sh - 'domlint --fix --in-place' when the file cannot or must
# not be replaced: a read-only file, a read-only directory, a full disk, and a
# file someone changed between domlint reading it and replacing it.  Each
# must give one line on stderr naming the file, exit status 2, and leave the
# file exactly as it was.  TAP for automake's tap-driver.
set -u
. "$(dirname "$0")/lib.sh"
make_tmp
chmod 755 "$tmp"
src=$FIXTURES/fix/q35-duplicates.xml

plan 5
# refused NAME FILE ORIGINAL STATUS STDERR: exit 2, one line naming the file, FILE as ORIGINAL
refused() {
    lines=$(grep -c . "$5")
    if [ "$4" = 2 ] && [ "$lines" = 1 ] && grep -q "guest.xml" "$5" && cmp -s "$2" "$3"; then
        ok "$1: exit 2, '$(cat "$5")', file unchanged"
    else
        not_ok "$1: exit $4, $lines line(s) on stderr, file $(cmp -s "$2" "$3" && echo unchanged || echo CHANGED)" "$(cat "$5")"
    fi
}

# 1. read-only file
mkdir "$tmp/ro-file"; cp "$src" "$tmp/ro-file/guest.xml"; chmod 444 "$tmp/ro-file/guest.xml"
"$DOMLINT" --quiet --fix --in-place "$tmp/ro-file/guest.xml" >/dev/null 2>"$tmp/err"
refused "read-only file" "$tmp/ro-file/guest.xml" "$src" $? "$tmp/err"

# 2. read-only directory (as an unprivileged user when root: root ignores the mode)
mkdir "$tmp/ro-dir"; cp "$src" "$tmp/ro-dir/guest.xml"; chmod 666 "$tmp/ro-dir/guest.xml"; chmod 555 "$tmp/ro-dir"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$DOMLINT" --quiet --fix --in-place "$tmp/ro-dir/guest.xml" >/dev/null 2>"$tmp/err"
else
    "$DOMLINT" --quiet --fix --in-place "$tmp/ro-dir/guest.xml" >/dev/null 2>"$tmp/err"
fi
refused "read-only directory" "$tmp/ro-dir/guest.xml" "$src" $? "$tmp/err"

# 3. full disk: a tiny tmpfs in a private mount namespace (root), filled up
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
    mkdir "$tmp/full"
    unshare -m sh -c '
        mount -t tmpfs -o size=64k tmpfs "$1" || exit 77
        cp "$2" "$1/guest.xml"; chmod 644 "$1/guest.xml"
        dd if=/dev/zero of="$1/filler" bs=1k count=64 2>/dev/null
        "$3" --quiet --fix --in-place "$1/guest.xml" >/dev/null 2>"$4"; echo $? > "$4.rc"
        cp "$1/guest.xml" "$4.after"' sh "$tmp/full" "$src" "$DOMLINT" "$tmp/err"
    if [ -f "$tmp/err.rc" ]; then
        refused "disk full" "$tmp/err.after" "$src" "$(cat "$tmp/err.rc")" "$tmp/err"
    else
        skip "cannot mount a tmpfs here"
    fi
else
    skip "needs root for a private tmpfs"
fi

# 4. changed by someone else between read and write (LD_PRELOAD shim edits it)
if killer_shim "$tmp/killer.so"; then
    mkdir "$tmp/race"; cp "$src" "$tmp/race/guest.xml"; chmod 644 "$tmp/race/guest.xml"
    DOMLINT_TOUCH_FILE="$tmp/race/guest.xml" LD_PRELOAD="$tmp/killer.so" \
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0" \
        "$DOMLINT" --quiet --fix --in-place "$tmp/race/guest.xml" >/dev/null 2>"$tmp/err"
    rc=$?
    { cat "$src"; echo "<!-- edited meanwhile -->"; } > "$tmp/race-expected"
    refused "changed between read and write" "$tmp/race/guest.xml" "$tmp/race-expected" $rc "$tmp/err"
else
    skip "cannot build the LD_PRELOAD shim"
fi

# 5. standard input: nothing to replace; a usage error that says so, stdin unread
printf 'not read' | "$DOMLINT" --fix --in-place - >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && [ "$(grep -c . "$tmp/err")" = 1 ] && grep -q -- "--in-place rewrites a file" "$tmp/err"; then
    ok "--in-place with '-': exit 2, '$(cat "$tmp/err")'"
else
    not_ok "--in-place with '-': exit $rc" "$(cat "$tmp/err")"
fi
done_testing
