#!/bin/sh
# probe-qemu.sh - `domlint --qemu=BIN`: checking against a probed, cached QEMU
#
# With the installed qemu-system-x86_64 and an empty cache directory
# (XDG_CACHE_HOME): a good q35 domain passes (exit 0) and the run probes
# and fills the cache; pc-q35-2.3, which QEMU 7.2 lacks, is an error
# (exit 1), and that second run is a cache hit (the cache is unchanged and
# the run is faster); a deprecated machine type is a warning.  With
# qemu-system-ppc64, a pcie-expander-bus is an error naming pxb-pcie.  A
# binary that is not QEMU gives exit 2 and one line.  A QEMU that is not
# installed is skipped loudly.  Speaks TAP.

if [ -n "${DOMLINT_SKIP_SLOW:-}" ]; then
    echo "1..0 # SKIP DOMLINT_SKIP_SLOW is set (make distcheck): QEMU probe (already run by make check)"
    echo "probe-qemu.sh: SKIPPED: DOMLINT_SKIP_SLOW is set (already run by make check)" >&2
    exit 0
fi

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
DOMLINT=${DOMLINT:-$top_builddir/domlint}
DATA=$top_srcdir/tests/data/qemu
QEMU=/usr/bin/qemu-system-x86_64

n=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/probe-qemu.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
XDG_CACHE_HOME=$tmp/cache
export XDG_CACHE_HOME

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; echo "probe-qemu: SKIP $*" >&2; }
note() { sed 's/^/# /' "$@"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# run NAME ARGS...: domlint with ARGS, output in $tmp/NAME.{out,err}, rc in $rc, time in $ms
run() {
    name=$1
    shift
    start=$(now_ms)
    "$DOMLINT" --machine-db="$top_srcdir/data/machines" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
    ms=$(($(now_ms) - start))
}

# every file of the cache with its size and mtime, to see whether a run changed it
cache_state() {
    find "$XDG_CACHE_HOME" -type f -exec stat -c '%n %s %Y' {} + 2>/dev/null | sort
}

if [ ! -x "$DOMLINT" ]; then
    echo "1..0 # SKIP domlint not built at $DOMLINT"
    exit 0
fi

check_x86() {
    if [ ! -x "$QEMU" ]; then
        skip "$QEMU is not installed: --qemu was not tested against a real QEMU"
        return
    fi
    run good --qemu="$QEMU" "$DATA/q35-good.xml"
    first_ms=$ms
    if [ $rc -eq 0 ] && ls -d "$XDG_CACHE_HOME"/domlint/probe-* >/dev/null 2>&1; then
        ok "q35 domain: exit 0 with --qemu, probe cached (first run ${first_ms} ms)"
    else
        not_ok "q35 domain: exit 0 with --qemu, probe cached (rc=$rc)"
        note "$tmp/good.out" "$tmp/good.err"
    fi
    cache_state >"$tmp/cache.before"

    run old --qemu="$QEMU" "$DATA/q35-2.3.xml"
    second_ms=$ms
    if [ $rc -eq 1 ] && grep -q "error: .*'pc-q35-2.3'" "$tmp/old.out"; then
        ok "pc-q35-2.3: an error, exit 1"
    else
        not_ok "pc-q35-2.3: an error, exit 1 (rc=$rc)"
    fi
    note "$tmp/old.out" "$tmp/old.err"

    cache_state >"$tmp/cache.after"
    if [ -s "$tmp/cache.before" ] && cmp -s "$tmp/cache.before" "$tmp/cache.after" &&
       [ "$second_ms" -lt "$first_ms" ]; then
        ok "second run is a cache hit: cache unchanged, ${second_ms} ms against ${first_ms} ms"
    else
        not_ok "second run is a cache hit: cache unchanged, ${second_ms} ms against ${first_ms} ms"
        diff "$tmp/cache.before" "$tmp/cache.after" | note
    fi

    run depr --qemu="$QEMU" "$DATA/i440fx-deprecated.xml"
    if [ $rc -eq 0 ] && grep -q "warning: machine type 'pc-i440fx-1.4' is deprecated in this QEMU.*\[qemu-binary\]" "$tmp/depr.out"; then
        ok "pc-i440fx-1.4: deprecated in this QEMU, a warning, exit 0"
    else
        not_ok "pc-i440fx-1.4: deprecated in this QEMU, a warning, exit 0 (rc=$rc)"
    fi
    note "$tmp/depr.out" "$tmp/depr.err"
}

check_ppc64() {
    if [ ! -x /usr/bin/qemu-system-ppc64 ]; then
        skip "/usr/bin/qemu-system-ppc64 is not installed: a device the binary lacks was not tested"
        return
    fi
    run pxb --qemu=/usr/bin/qemu-system-ppc64 "$DATA/pseries-pxb-pcie.xml"
    if [ $rc -eq 1 ] && grep -q "error: 'pxb-pcie' is not available in this QEMU.*\[qemu-binary\]" "$tmp/pxb.out"; then
        ok "qemu-system-ppc64: pxb-pcie is not available, an error"
    else
        not_ok "qemu-system-ppc64: pxb-pcie is not available, an error (rc=$rc)"
    fi
    note "$tmp/pxb.out" "$tmp/pxb.err"
}

check_not_qemu() {
    run true --qemu=/bin/true "$DATA/q35-good.xml"
    if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/true.err")" -eq 1 ] && [ ! -s "$tmp/true.out" ]; then
        ok "--qemu=/bin/true: exit 2, one line"
    else
        not_ok "--qemu=/bin/true: exit 2, one line (rc=$rc)"
    fi
    note "$tmp/true.err"
}

check_x86
check_ppc64
check_not_qemu
echo "1..$n"
[ $failed -eq 0 ]
