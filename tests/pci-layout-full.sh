#!/bin/bash
# pci-layout-full.sh - pci-layout quotes libvirt's own words when the
# topology is full (issue 11, defect 7).
#
# 300 virtio NICs without addresses on q35 need 300 pcie-root-ports; pcie-root
# has room for 240 (slots 1-30, eight to a slot), and libvirt stops at the
# 241st.  Its words: "a PCI slot is needed to connect a PCI controller
# model='pcie-root-port', ..." up to 11.3, "a PCIe slot is needed ..." in
# 12.8; for a release in between (Fedora 43's 11.6) they are not known, and
# domlint does not quote.  Where the libvirt oracle runs (the host's 9.0 and
# the Debian roots), its message is compared with domlint's quote.  TAP.
set -u
. "$(dirname "$0")/lib.sh"
make_tmp

{
    printf "<domain type='kvm'>\n  <name>full</name>\n  <memory unit='MiB'>1024</memory>\n  <vcpu>1</vcpu>\n"
    printf "  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n  <devices>\n"
    for _ in $(seq 300); do
        printf "    <interface type='user'><model type='virtio'/></interface>\n"
    done
    printf "  </devices>\n</domain>\n"
} > "$tmp/full.xml"

OLD="a PCI slot is needed to connect a PCI controller model='pcie-root-port', but none is available, and it cannot be automatically added"
NEW="a PCIe slot is needed to connect a PCI controller model='pcie-root-port', but none is available, and it cannot be automatically added"

plan 9

# the quote in domlint's pci-layout finding for TARGET, or nothing
quote() {
    "$DOMLINT" --no-schema --color=never --target="$1" "$tmp/full.xml" 2> /dev/null |
        grep '\[pci-layout\]' | sed -n 's/.*stops with "\(.*\)";.*/\1/p'
}

for t in debian-11 debian-12 debian-13 debian-sid; do
    want=$OLD
    [ "$t" = debian-sid ] && want=$NEW
    got=$(quote "$t")
    if [ "$got" = "$want" ]; then
        ok "$t: quotes \"${want%% is needed*}...\""
    else
        not_ok "$t: quotes \"$got\""
    fi
done

# libvirt 11.6: the words are not known, so no quote, but the same finding
out=$("$DOMLINT" --no-schema --color=never --target=fedora-43 "$tmp/full.xml" 2> /dev/null | grep '\[pci-layout\]')
if [ -n "$out" ] && ! echo "$out" | grep -q '"' && echo "$out" | grep -q "no slot is left for the pcie-root-port 241"; then
    ok "fedora-43 (libvirt 11.6): no quote, names pcie-root-port 241"
else
    not_ok "fedora-43 (libvirt 11.6): $out"
fi

# the oracle's words, where it runs: the host's libvirt, and each Debian root
if [ -n "${DOMLINT_SKIP_SLOW:-}" ]; then
    for r in debian-12 debian-11 debian-13 debian-sid; do
        skip "$r oracle: DOMLINT_SKIP_SLOW is set"
    done
    done_testing
fi

# against ORACLE-ARGS...: libvirt's message beside domlint's quote for $TARGET
against() {
    local said
    said=$("$ORACLE" "$@" "$tmp/full.xml" 2>&1 | sed -n 's/^ERROR: \(internal error: \)\{0,1\}//p' | head -n 1)
    if [ -z "$said" ]; then
        skip "$TARGET oracle: no verdict"
    elif [ "$said" = "$(quote "$TARGET")" ]; then
        ok "$TARGET oracle: libvirt says what domlint quotes"
    else
        not_ok "$TARGET oracle: libvirt says \"$said\", domlint quotes \"$(quote "$TARGET")\""
    fi
}

for suite in "" bullseye trixie sid; do
    if oracle_find "$suite"; then
        against $ORACLE_ARGS
    else
        skip "$TARGET oracle: $oracle_missing"
    fi
done
done_testing
