#!/bin/sh
# layout-libvirt.sh [--release=SUITE] [FILE...] — `domlint --fix --layout` writes the layout libvirt itself chooses.
#
# With --release=SUITE (bullseye, trixie, sid) the libvirt of that Debian
# release root decides, domlint is run with that release's --target, and
# the files' QEMU 7.2 machine types become the release's newest first (as
# differential.sh does); without, the host's libvirt 9.0 and debian-12.
#
# For every fixture and every case of ../shared/corpus/public that --fix
# repairs (exit 0), libvirt's embedded QEMU driver defines both
#   A = domlint --fix FILE          (addresses left to libvirt)
#   B = domlint --fix --layout FILE (every address and added controller written)
# and the devices of the two definitions must be the same, address for
# address, option for option.  Compared: each device element of
# `virsh dumpxml --inactive` as one line, sorted (libvirt lists the controllers
# it adds itself after the written ones, so the order may differ); left out:
# the MAC addresses and the UUID libvirt generates at random.  B must also be
# accepted by libvirt, which the comparison implies.  One difference is on
# purpose and skipped with its reason: where libvirt would give an added root
# port a chassis (its index) that a written port already has, --layout takes
# a free one, because QEMU refuses two ports with the same chassis and slot.
#
# Needs root, virsh and QEMU (tests/libvirt-env.sh); otherwise skips, loudly.
# TAP for automake's tap-driver.  Environment: as for every script
# (tests/lib.sh); DOMLINT_SKIP_SLOW (skip, for distcheck: the same test ran
# before it).
set -u
. "$(dirname "$0")/lib.sh"

if release_option "${1:-}"; then
    shift
fi

skip_slow "libvirt layout comparison"
need_domlint
oracle_require "$RELEASE"
make_tmp

if [ $# -gt 0 ]; then
    # the files given (e.g. ../shared/bench/corpus/*.xml), for a measurement
    for f in "$@"; do echo "$f"; done > "$tmp/all"
else
    fixture_files --corpus > "$tmp/all"
fi

# the devices of a libvirt definition, one per line, sorted
devices() {
    awk '
        function flush() { if (cur != "") print cur; cur = "" }
        /^  <devices>/ { in_dev = 1; next }
        /^  <\/devices>/ { flush(); in_dev = 0; next }
        !in_dev { next }
        /^    <[^\/]/ { flush() }
        /<mac address=/ { next }
        { sub(/^ +/, ""); cur = cur $0 }
        END { flush() }' "$1" | sort
}

# compare_one N FILE: writes "ok"/"not ok"/"skip" lines to $tmp/N.result
compare_one() {
    i=$1 f=$2 d=$tmp/$i
    mkdir -p "$d"
    if [ -n "$RELEASE_QEMU" ]; then
        release_machines "$f" "$d/in.xml"
        f=$d/in.xml
    fi
    "$DOMLINT" --no-schema --target="$TARGET" --fix "$f" > "$d/a.xml" 2> /dev/null
    ra=$?
    "$DOMLINT" --no-schema --target="$TARGET" --fix --layout "$f" > "$d/b.xml" 2> "$d/report"
    rb=$?
    if [ $ra != $rb ]; then
        echo "not ok|--fix exits $ra but --fix --layout $rb" > "$d/result"
        return
    fi
    if [ $ra != 0 ]; then
        echo "skip|--fix leaves errors (exit $ra)" > "$d/result"
        return
    fi
    if ! "$ORACLE" $ORACLE_ARGS --dump "$d/a.xml" > "$d/a.def" 2> "$d/a.err"; then
        echo "skip|libvirt rejects --fix output too: $(head -n 1 "$d/a.def" "$d/a.err" | tr '\n' ' ')" > "$d/result"
        return
    fi
    if ! "$ORACLE" $ORACLE_ARGS --dump "$d/b.xml" > "$d/b.def" 2> "$d/b.err"; then
        echo "not ok|libvirt rejects the --layout output: $(head -n 1 "$d/b.def" "$d/b.err" | tr '\n' ' ')" > "$d/result"
        return
    fi
    devices "$d/a.def" > "$d/a.dev"
    devices "$d/b.def" > "$d/b.dev"
    dup=$(grep -E "model='pcie-(root-port|switch-downstream-port)'" "$d/a.dev" |
          sed -nE "s/.*<target chassis='([0-9]+)'.*/\1/p" | sort | uniq -d | head -n 1)
    if [ -n "$dup" ] && ! cmp -s "$d/a.dev" "$d/b.dev"; then
        # libvirt's chassis = index collides with a written one: QEMU would
        # refuse that, so --layout takes a free chassis on purpose
        echo "skip|libvirt's own layout gives two ports chassis $dup, which QEMU refuses; --layout differs on purpose" > "$d/result"
        return
    fi
    if cmp -s "$d/a.dev" "$d/b.dev"; then
        echo "ok|" > "$d/result"
    else
        echo "not ok|libvirt lays the devices out differently: $(diff "$d/a.dev" "$d/b.dev" | head -n 6 | tr '\n' ' ')" > "$d/result"
    fi
}

# two at a time: each case is two libvirt definitions
i=0
while read -r f; do
    i=$((i + 1))
    compare_one $i "$f" &
    if [ $((i % 2)) = 0 ]; then
        wait
    fi
done < "$tmp/all"
wait

plan $i
i=0
while read -r f; do
    i=$((i + 1))
    name=$(display_name "$f")
    result=$(cat "$tmp/$i/result" 2>/dev/null || echo "not ok|no result")
    verdict=${result%%|*}
    why=${result#*|}
    case $verdict in
        ok) ok "layout as libvirt: $name" ;;
        skip) skip "layout as libvirt: $name" "$why" ;;
        *) not_ok "layout as libvirt: $name" "$why" ;;
    esac
done < "$tmp/all"
done_testing
