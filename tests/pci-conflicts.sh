#!/bin/bash
# pci-conflicts.sh - many devices on one PCI address (issue 11, defect 8).
#
# N virtio NICs all at 0000:01:00.0 on q35: N-1 conflicts.  Up to what the
# topology can hold, each says "remove this <address>"; past it (pcie-root
# takes 240 pcie-root-ports, one device each), one more error says the
# topology is full, why and what gives room, and each conflict points at
# it instead of suggesting a removal that cannot help; after --fix the
# conflicts that are left say the same.  Every finding keeps its XPath
# (interface[N]).  The inputs are made here; how fast 5k/20k/70k conflicts
# are checked is bench/run's business, not this test's.  TAP.
set -u
. "$(dirname "$0")/lib.sh"
make_tmp

# nics N: a q35 domain with N virtio NICs, all at 0000:01:00.0
nics() {
    printf "<domain type='kvm'>\n  <name>conflicts</name>\n  <memory unit='MiB'>1024</memory>\n  <vcpu>1</vcpu>\n"
    printf "  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n  <devices>\n"
    printf "    <controller type='pci' index='0' model='pcie-root'/>\n"
    printf "    <controller type='pci' index='1' model='pcie-root-port'/>\n"
    for _ in $(seq "$1"); do
        printf "<interface type='user'><model type='virtio'/><address type='pci' bus='1' slot='0'/></interface>\n"
    done
    printf "  </devices>\n</domain>\n"
}

# lint FILE: domlint's text report of FILE in $tmp/out
lint() {
    "$DOMLINT" --no-schema --color=never "$@" > "$tmp/out" 2>&1
}
count() { grep -c -- "$1" "$tmp/out"; }

plan 8

nics 100 > "$tmp/fits.xml"
lint "$tmp/fits.xml"
c=$(count "error: .*already uses \[pci-address-conflict\]")
if [ "$c" = 99 ] && [ "$(count 'topology is full')" = 0 ] &&
   [ "$(count 'suggestion: remove this <address> so libvirt assigns a free one')" = 99 ]; then
    ok "100 NICs on one address: 99 conflicts, each suggests removing the address"
else
    not_ok "100 NICs on one address: $c conflicts" "$(head -n 3 "$tmp/out")"
fi

nics 1001 > "$tmp/full.xml"
lint "$tmp/full.xml"
c=$(count "error: .*already uses \[pci-address-conflict\]")
[ "$c" = 1000 ] && ok "1001 NICs on one address: 1000 conflicts" || not_ok "1001 NICs on one address: $c conflicts"
full=$(grep 'error: the PCI topology is full' "$tmp/out")
if [ "$(echo "$full" | grep -c .)" = 1 ] && echo "$full" | grep -q "1000 devices share a PCI address" &&
   echo "$full" | grep -q "a PCI slot is needed to connect a PCI controller model='pcie-root-port'" &&
   echo "$full" | grep -q "1002 devices want a PCI slot" && echo "$full" | grep -q "240 ports"; then
    ok "one 'topology is full' error: how many share, libvirt's words, slots and ports"
else
    not_ok "the 'topology is full' error: $full"
fi
if [ "$(count 'suggestion: no slot is free for it: the PCI topology is full (see the error at line 6)')" = 1000 ] &&
   [ "$(count 'suggestion: remove this <address>')" = 0 ]; then
    ok "each conflict points at the full topology, none suggests removing its address"
else
    not_ok "the conflicts' suggestions"
fi
if grep -q "suggestion: make room behind the root ports: a pcie-switch-upstream-port" "$tmp/out"; then
    ok "the full topology says what gives room"
else
    not_ok "the full topology says nothing about what gives room"
fi

# the XPath of the last conflict, counted among 1001 <interface> siblings
"$DOMLINT" --no-schema --format=json "$tmp/full.xml" > "$tmp/json" 2> /dev/null
if grep -q '"/domain/devices/interface\[1001\]/address"' "$tmp/json" &&
   grep -q '"/domain/devices/interface\[1\]/address"' "$tmp/json"; then
    ok "JSON: the conflicts' XPaths are interface[1] to interface[1001]"
else
    not_ok "JSON: no interface[1001] XPath"
fi

# --fix: what fits is placed, and what is left says why
"$DOMLINT" --no-schema --fix "$tmp/full.xml" > "$tmp/fixed.xml" 2> /dev/null
lint "$tmp/fixed.xml"
left=$(count "error: .*already uses \[pci-address-conflict\]")
if [ "$left" -gt 0 ] && [ "$left" -lt 1000 ] && [ "$(count 'error: the PCI topology is full')" = 1 ]; then
    ok "after --fix: $left conflicts left, and the topology is full"
else
    not_ok "after --fix: $left conflicts left, $(count 'topology is full') 'full' errors"
fi

nics 5001 > "$tmp/5k.xml"
lint "$tmp/5k.xml"
c=$(count "error: .*already uses \[pci-address-conflict\]")
if [ "$c" = 5000 ] && grep -q "error: the PCI topology is full: 5000 devices share" "$tmp/out"; then
    ok "5001 NICs on one address: 5000 conflicts, topology full"
else
    not_ok "5001 NICs on one address: $c conflicts"
fi
done_testing
