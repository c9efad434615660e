#!/bin/sh
# fuzz-smoke.sh - a bounded libFuzzer run of each harness (fuzz/), with ASan and
# UBSan, seeded from fixtures/, ../shared/corpus/libvirt-tests (libvirt's own
# test domains, when ../shared is beside the project: they reach far more of
# the rules than the fixtures alone) and tests/data/qmp.  A crash, leak or timeout
# fails the test and leaves the input in the log.  Skipped loudly without clang.
# FUZZ_SECONDS (default 90) is the time for the domain harness; the QMP one
# gets a third of it.  TAP for automake's tap-driver.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
secs=${FUZZ_SECONDS:-90}

if [ -n "${DOMLINT_SKIP_SLOW:-}" ]; then
    echo "1..0 # SKIP DOMLINT_SKIP_SLOW is set (make distcheck): fuzzing already ran in make check"
    exit 0
fi
if ! command -v clang >/dev/null; then
    echo "1..0 # SKIP clang is not installed: no libFuzzer"
    echo "fuzz-smoke.sh: SKIPPED: clang is not installed" >&2
    exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuzz.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
rt=$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)
if [ ! -f "$rt" ]; then
    echo "1..0 # SKIP clang's libFuzzer runtime is not installed (libclang-rt-14-dev)"
    echo "fuzz-smoke.sh: SKIPPED: no libFuzzer runtime" >&2
    exit 0
fi
if ! sh "$top_srcdir/fuzz/build.sh" "$tmp/bin" > "$tmp/build.log" 2>&1; then
    echo "Bail out! the fuzz harnesses do not build: $(grep -m1 -i error "$tmp/build.log")"
    exit 99
fi
mkdir -p "$tmp/domain" "$tmp/qmp" "$tmp/crash"
find "$top_srcdir/fixtures" -name '*.xml' -exec cp {} "$tmp/domain/" \;
if [ -d "$top_srcdir/../shared/corpus/libvirt-tests" ]; then
    find "$top_srcdir/../shared/corpus/libvirt-tests" -name '*.xml' -exec cp {} "$tmp/domain/" \;
fi
cp "$top_srcdir"/tests/data/qmp/* "$tmp/qmp/" 2>/dev/null
echo "1..2"
n=0
fail=0
run() {   # run NAME SECONDS CORPUS [ARGS]
    name=$1; t=$2; corpus=$3; shift 3
    n=$((n + 1))
    # seeds are copies: the run may add to them, never to the source tree
    "$tmp/bin/$name" -max_total_time="$t" -timeout=20 -rss_limit_mb=4096 -max_len=32768 \
        -artifact_prefix="$tmp/crash/" -print_final_stats=1 "$@" "$corpus" > "$tmp/$name.log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$name.log")
    if [ $rc = 0 ]; then
        echo "ok $n - $name: ${execs:-?} executions in ${t}s, no crash"
    else
        echo "not ok $n - $name: libFuzzer exit $rc after ${execs:-?} executions"
        grep -E 'ERROR|SUMMARY|Test unit written' "$tmp/$name.log" | head -n 10 | sed 's/^/# /'
        for f in "$tmp"/crash/*; do
            [ -f "$f" ] && { echo "# crashing input (base64):"; base64 "$f" | head -n 40 | sed 's/^/# /'; }
        done
        fail=$((fail + 1))
    fi
}
run fuzz-domain "$secs" "$tmp/domain" -dict="$top_srcdir/fuzz/xml.dict"
run fuzz-qmp "$((secs / 3 + 1))" "$tmp/qmp"
[ $fail = 0 ]
