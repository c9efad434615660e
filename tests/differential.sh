#!/bin/bash
# differential.sh [--release=SUITE] [FIXTURE.xml...] — domlint's verdict against libvirt's.
#
# For every fixture (default: all of fixtures/**/*.xml except *.fixed.xml)
# domlint's verdict (exit 0 = accepted, otherwise rejected) must equal what
# libvirt's QEMU driver says to 'virsh define --validate', asked through
# tests/libvirt-oracle.sh (embedded driver, no daemon): the host's libvirt
# 9.0 + QEMU 7.2, checked with --target=debian-12, or with --release=SUITE
# (bullseye, trixie, sid) the libvirt and QEMU of that Debian release in the
# root shared/tools/debian-root makes, checked with --target=debian-11,
# debian-13, debian-sid.  For a release, each fixture's QEMU 7.2 machine
# types (pc-i440fx-7.2, pc-q35-7.2, virt-7.2, pseries-7.2,
# s390-ccw-virtio-7.2) become that release's newest, as in the shared
# public-debian* corpora, so that the rules are tried, not only the machine
# list.  A fixture declared stricter than define that this release's libvirt
# already refuses at define agrees.  A release whose root does not exist is
# skipped, and says so.
#
# Where domlint is deliberately stricter than libvirt's define (a rule QEMU
# enforces only when it starts), the fixture says so in a sidecar
# <case>.libvirt containing the line
#     stricter: start
# or, when only one release's libvirt defines it, "stricter: start TARGET"
# (e.g. debian-11),
# and the test proves it: domlint rejects, libvirt's define accepts, and
# 'libvirt-oracle.sh --start' (start paused, then destroy) fails.
#
# Output is TAP, ending with a '# agreement: N/M' comment.  Without root,
# virsh, unshare, qemu-system-x86_64 or libvirt's QEMU driver the whole test
# is skipped, and says why (on stdout and stderr).
#
# Environment: top_srcdir, top_builddir as for golden.sh; DIFF_JOBS (default
# 2) cases run in parallel.

set -u

# make distcheck sets DOMLINT_SKIP_SLOW=1: this test (minutes) has already
# run in the developer tree by 'make check', so the dist copy skips it, loudly
if [ -n "${DOMLINT_SKIP_SLOW:-}" ]; then
    echo "1..0 # SKIP DOMLINT_SKIP_SLOW is set (make distcheck): slow libvirt differential test (already run by make check)"
    echo "differential.sh: SKIPPED: DOMLINT_SKIP_SLOW is set (already run by make check)" >&2
    exit 0
fi

RELEASE=
case ${1:-} in
    --release=*) RELEASE=${1#--release=}; shift ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
top_builddir=${top_builddir:-$top_srcdir/build}
DOMLINT=$top_builddir/domlint
ORACLE=$top_srcdir/tests/libvirt-oracle.sh
FIXTURES=$top_srcdir/fixtures
JOBS=${DIFF_JOBS:-2}
export LC_ALL=C

skip() {
    echo "1..0 # SKIP libvirt QEMU driver not available: $*"
    echo "differential.sh: SKIPPED: libvirt QEMU driver not available: $*" >&2
    exit 0
}

[ -x "$DOMLINT" ] || { echo "Bail out! domlint is not built: $DOMLINT"; exit 99; }

# --- is libvirt's QEMU driver usable here?
. "$top_srcdir/tests/libvirt-env.sh"
TARGET=debian-12
ORACLE_ARGS=
SCHEMA_ARGS=
if [ -n "$RELEASE" ]; then
    line=$(release_roots | awk -v s="$RELEASE" '$1 == s')
    [ -n "$line" ] || skip "no $RELEASE root (shared/tools/debian-root $RELEASE makes it)"
    root=$(echo "$line" | awk '{print $2}')
    TARGET=$(echo "$line" | awk '{print $3}')
    RELEASE_QEMU=$(echo "$line" | awk '{print $4}')
    reason=$(libvirt_missing_in "$root")
    [ -z "$reason" ] || skip "$reason"
    ORACLE_ARGS=--root=$root
    # the schema a user of that release validates against: its libvirt's own
    if [ -f "$root/usr/share/libvirt/schemas/domain.rng" ]; then
        SCHEMA_ARGS=--schema-dir=$root/usr/share/libvirt/schemas
    fi
else
    libvirt_require differential.sh
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/differential.XXXXXX") || exit 99
cleanup() {
    # only our own background jobs; each oracle kills the QEMU it started
    local p
    for p in $(jobs -p); do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' INT TERM HUP

# a domain every working setup accepts: proves the oracle itself runs
cat > "$tmp/probe.xml" <<'EOF'
<domain type='qemu'>
  <name>differential-probe</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
</domain>
EOF
probe=$("$ORACLE" $ORACLE_ARGS "$tmp/probe.xml" 2>&1)
case $? in
    0) ;;
    *) skip "the embedded driver rejects a minimal domain: $(echo "$probe" | tr '\n' ' ')" ;;
esac

# --- the cases
if [ $# -gt 0 ]; then
    for f in "$@"; do readlink -f "$f"; done > "$tmp/cases"
else
    find "$FIXTURES" -name '*.xml' ! -name '*.fixed.xml' | sort > "$tmp/cases"
fi
total=$(wc -l < "$tmp/cases")

# run_case I FILE: writes $tmp/I.res: line 1 "ok"/"not ok"/"agree"/..., then comments
run_case() {
    local i=$1 f=$2 res=$tmp/$1.res
    local side=${f%.xml}.libvirt stricter= dl lv lvmsg rc out
    [ -f "$side" ] && grep -qE "^[[:space:]]*stricter:[[:space:]]*start([[:space:]]+$TARGET)?[[:space:]]*\$" "$side" &&
        stricter=start
    if [ -n "$RELEASE" ]; then
        sed -E "s/(machine=['\"](pc-i440fx|pc-q35|virt|pseries|s390-ccw-virtio))-7\.2(['\"])/\1-$RELEASE_QEMU\3/" \
            "$f" > "$tmp/$i.xml"
        f=$tmp/$i.xml
    fi

    out=$("$DOMLINT" --color=never --target="$TARGET" $SCHEMA_ARGS "$f" 2>&1)
    case $? in
        0) dl=OK ;;
        1) dl=ERROR ;;
        *) dl=FAIL ;;
    esac
    lvmsg=$("$ORACLE" $ORACLE_ARGS "$f" 2>&1); rc=$?
    case $rc in
        0) lv=OK ;;
        1) lv=ERROR ;;
        *) lv=FAIL ;;
    esac
    {
        if [ $dl = FAIL ] || [ $lv = FAIL ]; then
            echo "not ok"
            echo "could not run: domlint=$dl libvirt=$lv"
        elif [ -n "$stricter" ] && [ $dl = ERROR ] && [ $lv = ERROR ]; then
            echo "ok"
            echo "both ERROR (declared stricter than define, and this libvirt refuses it at define already)"
        elif [ -n "$stricter" ]; then
            if [ $dl != ERROR ] || [ $lv != OK ]; then
                echo "not ok"
                echo "declared stricter than define: expected domlint=ERROR libvirt-define=OK, got domlint=$dl libvirt-define=$lv"
            else
                smsg=$(oracle_run $ORACLE_ARGS --start "$f"); src=$?
                if [ $src = 1 ]; then
                    echo "ok"
                    echo "domlint=ERROR, libvirt define=OK, start=ERROR (stricter: start, proven)"
                else
                    echo "not ok"
                    echo "declared stricter at start, but libvirt --start said (exit $src):"
                    lvmsg=$smsg
                fi
            fi
        elif [ $dl = $lv ]; then
            echo "ok"
            echo "both $dl"
        else
            echo "not ok"
            echo "domlint=$dl libvirt=$lv"
        fi
        echo "libvirt: $lvmsg" | head -3
        [ -z "$out" ] || echo "$out" | grep -v ": note: " | sed "s/^/domlint: /" | head -5
    } > "$res"
    run_fix "$i" "$f" "$2"
}

# Two guests started at once by separate embedded libvirts can be given the
# same free VNC or SPICE port; the later start then fails with QEMU's "Failed
# to find an available port", which says nothing about the domain: such a
# start is tried again (at most three times).
oracle_run() {
    local out rc n
    for n in 1 2 3; do
        out=$("$ORACLE" "$@" 2>&1); rc=$?
        case $out in
            *"Failed to find an available port"*) sleep "$n" ;;
            *) break ;;
        esac
    done
    printf '%s\n' "$out"
    return $rc
}

# run_fix I FILE ORIGINAL: $tmp/I.fixres: libvirt must accept what --fix makes
# of FILE, and for fixtures/fix/ QEMU must start it paused
run_fix() {
    local i=$1 f=$2 res=$tmp/$1.fixres fixed=$tmp/$1.fixed.xml fx msg rc opt=
    "$DOMLINT" --color=never --target="$TARGET" $SCHEMA_ARGS --fix "$f" > "$fixed" 2>/dev/null; fx=$?
    case $3 in "$FIXTURES"/fix/*) opt=--start ;; esac
    {
        if [ $fx = 1 ]; then
            echo "ok"
            echo "--fix leaves errors it cannot repair (exit 1): nothing to give libvirt"
        elif [ $fx != 0 ]; then
            echo "not ok"
            echo "--fix failed (exit $fx)"
        elif cmp -s "$f" "$fixed" && [ -z "$opt" ]; then
            echo "ok"
            echo "nothing to fix"
        else
            msg=$(oracle_run $ORACLE_ARGS $opt "$fixed"); rc=$?
            if [ $rc = 0 ]; then
                echo "ok"
                echo "libvirt accepts the fixed domain${opt:+ and QEMU starts it}"
            else
                echo "not ok"
                echo "libvirt rejects the fixed domain${opt:+ (with --start)}: $msg" | head -3
            fi
        fi
    } > "$res"
}

echo "1..$((2 * total))"
start_time=$(date +%s)
i=0
running=0
while read -r f; do
    i=$((i + 1))
    run_case "$i" "$f" &
    running=$((running + 1))
    if [ $running -ge "$JOBS" ]; then
        wait -n
        running=$((running - 1))
    fi
done < "$tmp/cases"
wait

agree=0
i=0
while read -r f; do
    i=$((i + 1))
    name=${f#"$FIXTURES"/}
    name=${name%.xml}
    res=$tmp/$i.res
    if [ ! -s "$res" ]; then
        echo "not ok $i - $name"
        echo "# no result (the case was interrupted)"
        continue
    fi
    status=$(head -1 "$res")
    if [ "$status" = ok ]; then
        agree=$((agree + 1))
        echo "ok $i - $name: $(sed -n 2p "$res")"
    else
        echo "not ok $i - $name"
        tail -n +2 "$res" | sed 's/^/# /'
    fi
done < "$tmp/cases"
fixed_ok=0
i=0
while read -r f; do
    i=$((i + 1))
    name=${f#"$FIXTURES"/}
    name=${name%.xml}
    res=$tmp/$i.fixres
    n=$((total + i))
    if [ -s "$res" ] && [ "$(head -1 "$res")" = ok ]; then
        fixed_ok=$((fixed_ok + 1))
        echo "ok $n - fix $name: $(sed -n 2p "$res")"
    else
        echo "not ok $n - fix $name"
        [ -s "$res" ] && tail -n +2 "$res" | sed 's/^/# /'
    fi
done < "$tmp/cases"
echo "# agreement: $agree/$total, fixed output accepted: $fixed_ok/$total ($(( $(date +%s) - start_time ))s, $JOBS in parallel)"
[ $agree = $total ] && [ $fixed_ok = $total ]
