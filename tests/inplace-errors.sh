#!/bin/sh
# inplace-errors.sh - 'domlint --fix --in-place' when the file cannot or must
# not be replaced: a read-only file, a read-only directory, a full disk, and a
# file someone changed between domlint reading it and replacing it.  Each
# must give one line on stderr naming the file, exit status 2, and leave the
# file exactly as it was.  TAP for automake's tap-driver.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
top_builddir=$(cd "${top_builddir:-$top_srcdir/build}" && pwd)
DOMLINT=$top_builddir/domlint
bin=$top_builddir/domlint
[ -x "$bin" ] || bin=$DOMLINT
CC=${CC:-cc}
command -v "$(printf '%s' "$CC" | cut -d' ' -f1)" >/dev/null 2>&1 || CC=cc
tmp=$(mktemp -d "${TMPDIR:-/tmp}/inplace-err.XXXXXX") || exit 99
chmod 755 "$tmp"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
src=$top_srcdir/fixtures/fix/q35-duplicates.xml

echo "1..5"
n=0
fail=0
# check NAME FILE ORIGINAL STATUS STDERR
check() {
    n=$((n + 1))
    lines=$(grep -c . "$5")
    if [ "$4" = 2 ] && [ "$lines" = 1 ] && grep -q "guest.xml" "$5" && cmp -s "$2" "$3"; then
        echo "ok $n - $1: exit 2, '$(cat "$5")', file unchanged"
    else
        echo "not ok $n - $1: exit $4, $lines line(s) on stderr, file $(cmp -s "$2" "$3" && echo unchanged || echo CHANGED)"
        sed 's/^/# /' "$5"
        fail=$((fail + 1))
    fi
}

# 1. read-only file
mkdir "$tmp/ro-file"; cp "$src" "$tmp/ro-file/guest.xml"; chmod 444 "$tmp/ro-file/guest.xml"
"$DOMLINT" --quiet --fix --in-place "$tmp/ro-file/guest.xml" >/dev/null 2>"$tmp/err"
check "read-only file" "$tmp/ro-file/guest.xml" "$src" $? "$tmp/err"

# 2. read-only directory (as an unprivileged user when root: root ignores the mode)
mkdir "$tmp/ro-dir"; cp "$src" "$tmp/ro-dir/guest.xml"; chmod 666 "$tmp/ro-dir/guest.xml"; chmod 555 "$tmp/ro-dir"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$bin" --quiet --fix --in-place "$tmp/ro-dir/guest.xml" >/dev/null 2>"$tmp/err"
else
    "$DOMLINT" --quiet --fix --in-place "$tmp/ro-dir/guest.xml" >/dev/null 2>"$tmp/err"
fi
check "read-only directory" "$tmp/ro-dir/guest.xml" "$src" $? "$tmp/err"

# 3. full disk: a tiny tmpfs in a private mount namespace (root), filled up
n3=$((n + 1))
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
    mkdir "$tmp/full"
    unshare -m sh -c '
        mount -t tmpfs -o size=64k tmpfs "$1" || exit 77
        cp "$2" "$1/guest.xml"; chmod 644 "$1/guest.xml"
        dd if=/dev/zero of="$1/filler" bs=1k count=64 2>/dev/null
        "$3" --quiet --fix --in-place "$1/guest.xml" >/dev/null 2>"$4"; echo $? > "$4.rc"
        cp "$1/guest.xml" "$4.after"' sh "$tmp/full" "$src" "$DOMLINT" "$tmp/err"
    if [ -f "$tmp/err.rc" ]; then
        check "disk full" "$tmp/err.after" "$src" "$(cat "$tmp/err.rc")" "$tmp/err"
    else
        n=$n3; echo "ok $n # SKIP cannot mount a tmpfs here"
    fi
else
    n=$n3; echo "ok $n # SKIP needs root for a private tmpfs"
fi

# 4. changed by someone else between read and write (LD_PRELOAD shim edits it)
if $CC -shared -fPIC -o "$tmp/killer.so" "$here/killer.c" -ldl 2>/dev/null; then
    mkdir "$tmp/race"; cp "$src" "$tmp/race/guest.xml"; chmod 644 "$tmp/race/guest.xml"
    DOMLINT_TOUCH_FILE="$tmp/race/guest.xml" LD_PRELOAD="$tmp/killer.so" \
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0" \
        "$bin" --quiet --fix --in-place "$tmp/race/guest.xml" >/dev/null 2>"$tmp/err"
    rc=$?
    { cat "$src"; echo "<!-- edited meanwhile -->"; } > "$tmp/race-expected"
    check "changed between read and write" "$tmp/race/guest.xml" "$tmp/race-expected" $rc "$tmp/err"
else
    n=$((n + 1)); echo "ok $n # SKIP cannot build the LD_PRELOAD shim"
fi

# 5. standard input: nothing to replace; a usage error that says so, stdin unread
n=$((n + 1))
printf 'not read' | "$DOMLINT" --fix --in-place - >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && [ "$(grep -c . "$tmp/err")" = 1 ] && grep -q -- "--in-place rewrites a file" "$tmp/err"; then
    echo "ok $n - --in-place with '-': exit 2, '$(cat "$tmp/err")'"
else
    echo "not ok $n - --in-place with '-': exit $rc"
    sed 's/^/# /' "$tmp/err"
    fail=$((fail + 1))
fi
[ $fail = 0 ]
