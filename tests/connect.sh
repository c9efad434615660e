#!/bin/bash
# connect.sh - 'domlint --connect=URI' against a real libvirt
#
# Uses libvirt's embedded QEMU driver (qemu:///embed?root=DIR: no daemon,
# nothing listening), set up the way tests/libvirt-oracle.sh does it: as
# root, in a private mount namespace where copies of /etc/passwd and
# /etc/group that know 'libvirt-qemu' are bind-mounted, with a qemu.conf
# that runs nothing as another user.  domlint makes the connection itself,
# so domlint runs inside that namespace.  The QEMU capability cache is
# shared with libvirt-oracle.sh (${TMPDIR:-/tmp}/dlo/template), so only the
# first run of either probes QEMU.
#
# Cases: a good q35 domain passes; an old machine type, a Xen disk bus on
# x86, a missing emulator, 4096 vCPUs and bhyve's video model are
# host-capabilities errors; an IDE disk on q35 is one disk-bus error with
# host-capabilities' word as its note; a bad URI is one line and exit 2.  Skipped,
# saying why, without root, virsh's QEMU driver, unshare or
# qemu-system-x86_64, and when DOMLINT_SKIP_SLOW is set (make distcheck).
# Speaks TAP.
#
# Environment: as for every script (tests/lib.sh).

set -u
. "$(dirname "$0")/lib.sh"

skip_slow "libvirt --connect test"
need_domlint
oracle_require
if "$DOMLINT" --connect=test:///default /dev/null 2>&1 | grep -q 'built without libvirt'; then
    skip_all "libvirt QEMU driver not available: this domlint was built without libvirt"
fi

# --- embed root and passwd/group copies
prep=$(libvirt_prepare) || bail_out "$prep"
libvirt_embed_root c || bail_out "$libvirt_error"
tmp=$ROOT/cases
mkdir -p "$tmp"
trap 'rm -rf "$ROOT"' EXIT
trap 'exit 99' INT TERM HUP
# a --qemu cache or anything else domlint might keep stays out of $HOME
export XDG_CACHE_HOME="$tmp/cache"

# domlint ARGS... inside a private mount namespace with our passwd/group;
# output in $tmp/out, exit status in $rc
run_domlint() {
    libvirt_ns "$DOMLINT" --color=never "$@" > "$tmp/out" 2>&1
    rc=$?
}

# domain NAME MACHINE EMULATOR VCPUS DISKBUS
domain() {
    cat > "$tmp/$1.xml" <<EOF
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>256</memory>
  <vcpu>$4</vcpu>
  <os><type arch='x86_64' machine='$2'>hvm</type></os>
  <devices>
    <emulator>$3</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='/var/lib/libvirt/images/$1.img'/>
      <target dev='$(case $5 in xen) echo xvda ;; ide) echo hda ;; *) echo vda ;; esac)' bus='$5'/>
    </disk>
    <video><model type='virtio'/></video>
  </devices>
</domain>
EOF
}

QEMU=$(command -v qemu-system-x86_64)
domain good q35 "$QEMU" 2 virtio
domain oldmachine pc-q35-2.3 "$QEMU" 2 virtio
domain xenbus q35 "$QEMU" 2 xen
domain noemulator q35 /usr/bin/qemu-system-nonexistent 2 virtio
domain manyvcpus q35 "$QEMU" 4096 virtio
domain idebus q35 "$QEMU" 2 ide
# a model libvirt knows (bhyve's) that its QEMU driver does not offer
sed "s/type='virtio'\/>/type='gop'\/>/" "$tmp/good.xml" > "$tmp/videogop.xml"

# fail DESC: a failure showing domlint's output
fail() { not_ok "$1" "$(cat "$tmp/out")"; }

# expect_error CASE PATTERN DESCRIPTION: exit 1, a host-capabilities error
# matching PATTERN that names the URI (a note when another rule reported the
# same element first)
expect_error() {
    run_domlint --connect="$URI" "$tmp/$1.xml"
    if [ "$rc" = 1 ] && grep -q "\(error\|note\): .*$2.*\[host-capabilities\]" "$tmp/out" &&
        grep "\[host-capabilities\]" "$tmp/out" | grep -qF "$URI"; then
        ok "$1: $3"
    else
        fail "$1: $3 (exit $rc, wanted 1 and a host-capabilities error matching '$2' naming the URI)"
    fi
}

run_domlint --connect="$URI" "$tmp/good.xml"
if [ "$rc" = 0 ] && ! grep -q 'host-capabilities' "$tmp/out"; then
    ok "good q35 domain: exit 0, no host-capabilities finding"
else
    fail "good q35 domain: exit $rc (wanted 0 and no host-capabilities finding)"
fi

expect_error oldmachine "machine type 'pc-q35-2.3' is not offered" "machine type pc-q35-2.3 is not offered by QEMU 7.2"
expect_error xenbus "disk bus 'xen' is not offered" "disk bus xen on x86_64"
expect_error noemulator "cannot run emulator '/usr/bin/qemu-system-nonexistent'" "missing emulator binary"
expect_error manyvcpus "4096 vCPUs are more than" "4096 vCPUs"
expect_error videogop "video model 'gop' is not offered" "video model gop (bhyve's) under QEMU"

# an IDE disk on q35: disk-bus explains it, and what libvirt at the URI says
# about the same disk is a note on that finding, not a second error
run_domlint --connect="$URI" "$tmp/idebus.xml"
if [ "$rc" = 1 ] && [ "$(grep -c ': error: ' "$tmp/out")" = 1 ] &&
    grep -q ': error: .*\[disk-bus\]' "$tmp/out" &&
    grep -q ": note: disk bus 'ide' is not offered .*\[host-capabilities\]" "$tmp/out"; then
    ok "idebus: one error (disk-bus), host-capabilities as its note"
else
    fail "idebus: exit $rc, wanted 1, one disk-bus error and a host-capabilities note"
fi

# every file of one run asks the same libvirt: both results in one go, and
# the same with two threads (one connection per thread)
run_domlint --connect="$URI" -j 2 "$tmp/good.xml" "$tmp/xenbus.xml"
if [ "$rc" = 1 ] && [ "$(grep -c '\[host-capabilities\]' "$tmp/out")" = 1 ]; then
    ok "two files, -j 2: one host-capabilities error, for the Xen disk"
else
    fail "two files, -j 2: exit $rc, wanted 1 and exactly one host-capabilities error"
fi

# cannot_connect URI DESC: a URI libvirt cannot open: exit 2, one line naming it
cannot_connect() {
    run_domlint --connect="$1" "$tmp/good.xml"
    lines=$(wc -l < "$tmp/out")
    if [ "$rc" = 2 ] && [ "$lines" = 1 ] && grep -q "^domlint: cannot connect to libvirt at '$1': " "$tmp/out"; then
        ok "$2"
    else
        fail "${2%%:*}: exit $rc with $lines lines (wanted 2 and one 'cannot connect' line)"
    fi
}
cannot_connect "qemu:///embed" "bad URI: exit 2, one line naming the URI"
cannot_connect "nosuchdriver:///x" "unknown URI scheme: exit 2, one line"

# without --connect the rule says nothing about the same domain
run_domlint "$tmp/xenbus.xml"
if ! grep -q 'host-capabilities' "$tmp/out"; then
    ok "without --connect: no host-capabilities finding"
else
    fail "without --connect the rule reported something"
fi

done_testing
