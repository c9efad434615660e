#!/bin/sh
# fuzz-smoke.sh - a bounded libFuzzer run of each harness (fuzz/), with ASan and
# UBSan, seeded from fixtures/, ../shared/corpus/libvirt-tests (libvirt's own
# test domains, when ../shared is beside the project: they reach far more of
# the rules than the fixtures alone) and tests/data/qmp.  A crash, leak or timeout
# fails the test and leaves the input in the log.  Skipped loudly without clang.
# FUZZ_SECONDS (default 90) is the time for the domain harness; the QMP one
# gets a third of it.  TAP for automake's tap-driver.
set -u
. "$(dirname "$0")/lib.sh"
secs=${FUZZ_SECONDS:-90}

skip_slow "fuzzing"
command -v clang >/dev/null || skip_all "clang is not installed: no libFuzzer"
make_tmp
rt=$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)
[ -f "$rt" ] || skip_all "clang's libFuzzer runtime is not installed (libclang-rt-14-dev)"
sh "$top_srcdir/fuzz/build.sh" "$tmp/bin" > "$tmp/build.log" 2>&1 ||
    bail_out "the fuzz harnesses do not build: $(grep -m1 -i error "$tmp/build.log")"
mkdir -p "$tmp/domain" "$tmp/qmp" "$tmp/crash"
find "$top_srcdir/fixtures" -name '*.xml' -exec cp {} "$tmp/domain/" \;
if [ -d "$top_srcdir/../shared/corpus/libvirt-tests" ]; then
    find "$top_srcdir/../shared/corpus/libvirt-tests" -name '*.xml' -exec cp {} "$tmp/domain/" \;
fi
cp "$top_srcdir"/tests/data/qmp/* "$tmp/qmp/" 2>/dev/null
plan 2
run() {   # run NAME SECONDS CORPUS [ARGS]
    name=$1; t=$2; corpus=$3; shift 3
    # seeds are copies: the run may add to them, never to the source tree
    "$tmp/bin/$name" -max_total_time="$t" -timeout=20 -rss_limit_mb=4096 -max_len=32768 \
        -artifact_prefix="$tmp/crash/" -print_final_stats=1 "$@" "$corpus" > "$tmp/$name.log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$name.log")
    if [ $rc = 0 ]; then
        ok "$name: ${execs:-?} executions in ${t}s, no crash"
    else
        not_ok "$name: libFuzzer exit $rc after ${execs:-?} executions" \
            "$(grep -E 'ERROR|SUMMARY|Test unit written' "$tmp/$name.log" | head -n 10)"
        for f in "$tmp"/crash/*; do
            [ -f "$f" ] && { echo "# crashing input (base64):"; base64 "$f" | head -n 40 | diag; }
        done
    fi
}
run fuzz-domain "$secs" "$tmp/domain" -dict="$top_srcdir/fuzz/xml.dict"
run fuzz-qmp "$((secs / 3 + 1))" "$tmp/qmp"
done_testing
