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
# Environment: as for every script (tests/lib.sh); DIFF_JOBS (default 2)
# cases run in parallel.

set -u
. "$(dirname "$0")/lib.sh"

skip_slow "slow libvirt differential test"
if release_option "${1:-}"; then
    shift
fi
JOBS=${DIFF_JOBS:-2}

need_domlint
# --- is libvirt's QEMU driver usable here?  (for a release: its root's)
oracle_require "$RELEASE"

make_tmp
# only our own background jobs; each oracle kills the QEMU it started
at_exit='for p in $(jobs -p); do kill "$p" 2>/dev/null; done; wait 2>/dev/null'

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
[ $? = 0 ] ||
    skip_all "libvirt QEMU driver not available: the embedded driver rejects a minimal domain: $(echo "$probe" | tr '\n' ' ')"

# --- the cases
if [ $# -gt 0 ]; then
    for f in "$@"; do readlink -f "$f"; done > "$tmp/cases"
else
    fixture_files > "$tmp/cases"
fi
total=$(wc -l < "$tmp/cases")

# run_case I FILE: writes $tmp/I.res: line 1 "ok"/"not ok"/"agree"/..., then comments
run_case() {
    local i=$1 f=$2 res=$tmp/$1.res
    local side=${f%.xml}.libvirt stricter= dl lv lvmsg rc out
    [ -f "$side" ] && grep -qE "^[[:space:]]*stricter:[[:space:]]*start([[:space:]]+$TARGET)?[[:space:]]*\$" "$side" &&
        stricter=start
    if [ -n "$RELEASE" ]; then
        release_machines "$f" "$tmp/$i.xml"
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

plan $((2 * total))
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

# report SUFFIX PREFIX: a test a case, from $tmp/I.SUFFIX: its first line
# "ok" or not, the second the end of the description, the rest diagnostics
report() {
    local suffix=$1 prefix=$2 i=0 f name res
    while read -r f; do
        i=$((i + 1))
        name=${f#"$FIXTURES"/}
        name=${name%.xml}
        res=$tmp/$i.$suffix
        if [ ! -s "$res" ]; then
            not_ok "$prefix$name" "no result (the case was interrupted)"
        elif [ "$(head -1 "$res")" = ok ]; then
            ok "$prefix$name: $(sed -n 2p "$res")"
        else
            not_ok "$prefix$name" "$(tail -n +2 "$res")"
        fi
    done < "$tmp/cases"
}
report res ""
agree=$((total - failed))
report fixres "fix "
fixed_ok=$((total - (failed - (total - agree))))
echo "# agreement: $agree/$total, fixed output accepted: $fixed_ok/$total ($(( $(date +%s) - start_time ))s, $JOBS in parallel)"
done_testing
