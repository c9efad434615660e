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

. "$(dirname "$0")/lib.sh"

skip_slow "QEMU probe"
DATA=$top_srcdir/tests/data/qemu
QEMU=/usr/bin/qemu-system-x86_64

make_tmp
XDG_CACHE_HOME=$tmp/cache
export XDG_CACHE_HOME

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

[ -x "$DOMLINT" ] || skip_all "domlint not built at $DOMLINT"

# expect NAME STATUS PATTERN DESC ARGS...: run NAME ARGS... exits STATUS and
# prints a line matching PATTERN; its output follows as comments either way
expect() {
    local name=$1 status=$2 pattern=$3 desc=$4
    shift 4
    run "$name" "$@"
    if [ $rc -eq "$status" ] && grep -q "$pattern" "$tmp/$name.out"; then
        ok "$desc"
    else
        not_ok "$desc (rc=$rc)"
    fi
    diag "$tmp/$name.out" "$tmp/$name.err"
}

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
        diag "$tmp/good.out" "$tmp/good.err"
    fi
    cache_state >"$tmp/cache.before"

    expect old 1 "error: .*'pc-q35-2.3'" "pc-q35-2.3: an error, exit 1" --qemu="$QEMU" "$DATA/q35-2.3.xml"
    second_ms=$ms

    cache_state >"$tmp/cache.after"
    if [ -s "$tmp/cache.before" ] && cmp -s "$tmp/cache.before" "$tmp/cache.after" &&
       [ "$second_ms" -lt "$first_ms" ]; then
        ok "second run is a cache hit: cache unchanged, ${second_ms} ms against ${first_ms} ms"
    else
        not_ok "second run is a cache hit: cache unchanged, ${second_ms} ms against ${first_ms} ms"
        diff "$tmp/cache.before" "$tmp/cache.after" | diag
    fi

    expect depr 0 "warning: machine type 'pc-i440fx-1.4' is deprecated in this QEMU.*\[qemu-binary\]" \
        "pc-i440fx-1.4: deprecated in this QEMU, a warning, exit 0" --qemu="$QEMU" "$DATA/i440fx-deprecated.xml"
}

check_ppc64() {
    if [ ! -x /usr/bin/qemu-system-ppc64 ]; then
        skip "/usr/bin/qemu-system-ppc64 is not installed: a device the binary lacks was not tested"
        return
    fi
    expect pxb 1 "error: 'pxb-pcie' is not available in this QEMU.*\[qemu-binary\]" \
        "qemu-system-ppc64: pxb-pcie is not available, an error" \
        --qemu=/usr/bin/qemu-system-ppc64 "$DATA/pseries-pxb-pcie.xml"
}

check_not_qemu() {
    run true --qemu=/bin/true "$DATA/q35-good.xml"
    if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/true.err")" -eq 1 ] && [ ! -s "$tmp/true.out" ]; then
        ok "--qemu=/bin/true: exit 2, one line"
    else
        not_ok "--qemu=/bin/true: exit 2, one line (rc=$rc)"
    fi
    diag "$tmp/true.err"
}

check_x86
check_ppc64
check_not_qemu
done_testing
