#!/bin/bash
# host.sh - --host: every resource a domain needs, looked for on a host built in a directory
#
# DOMLINT_HOST_ROOT points --host at $tmp/root, which this script fills the
# way a host is: files, directories, sysfs entries (a bridge, PCI devices
# and their drivers, IOMMU groups, hugepages, NUMA nodes), a hugetlbfs line
# in proc/mounts, programs in usr/bin, a UNIX socket, and device nodes
# (symbolic links to /dev/null, a character device every machine has).
# Each rule gets a domain whose resources are there (no host-* finding) and
# one whose resources are not (the finding, naming the resource, at its
# line).  Also: a FIFO where a socket or image should be is reported
# without being opened (the run ends), nothing happens without --host, the
# config key 'host' turns it on, and nothing in the root is changed.  TAP.
set -u
. "$(dirname "$0")/lib.sh"
make_tmp
need_domlint

root=$tmp/root
export DOMLINT_HOST_ROOT=$root
export PATH=/usr/bin:/bin
mk() { mkdir -p "$root/$1"; }
put() { mkdir -p "$root/$(dirname "$1")" && printf '%s' "${2:-x}" > "$root/$1"; }

# ---- the host
put img/disk.raw
put img/good.qcow2 "$(printf 'QFI\373rest')"
put img/raw-named.qcow2 "not a qcow2 header"
put boot/vmlinuz
put boot/initrd
put fw/CODE.fd
put fw/VARS.fd
mk nvram
mk share
put usr/bin/qemu-system-x86_64 '#!/bin/sh'
put usr/bin/swtpm '#!/bin/sh'
put usr/bin/numad '#!/bin/sh'
put etc/qemu-ifup '#!/bin/sh'
chmod +x "$root"/usr/bin/* "$root/etc/qemu-ifup"
put etc/not-executable '#!/bin/sh'
mk dev/input
for node in kvm vhost-vsock vhost-net input/event3; do ln -s /dev/null "$root/dev/$node"; done
mk sys/class/net/br0/bridge
mk sys/class/net/eth9
mk sys/bus/pci/drivers/vfio-pci
mk sys/bus/pci/drivers/e1000e
mk sys/bus/pci/devices/0000:01:00.0
mk sys/bus/pci/devices/0000:02:00.0
ln -s ../../drivers/vfio-pci "$root/sys/bus/pci/devices/0000:01:00.0/driver"
ln -s ../../drivers/e1000e "$root/sys/bus/pci/devices/0000:02:00.0/driver"
mk sys/kernel/iommu_groups/7
mk sys/kernel/mm/hugepages/hugepages-2048kB
put sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 1024
put proc/mounts "hugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0"
mk sys/devices/system/node/node0
mk sys/fs/selinux
put run/libvirt/virtsecretd-sock
mk tmp
mkfifo "$root/tmp/fifo"
have_socket=
if command -v python3 > /dev/null 2>&1 &&
    python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$root/tmp/peer.sock" 2>/dev/null; then
    have_socket=1
fi

# the guest's arch that KVM here cannot run
case $(uname -m) in
x86_64) foreign=aarch64 machine=virt ;;
*) foreign=x86_64 machine=q35 ;;
esac

# dom NAME DEVICES [TOP] [TYPE] [ARCH MACHINE]: $tmp/NAME.xml
dom() {
    cat > "$tmp/$1.xml" <<EOF
<domain type='${4:-qemu}'>
  <name>t</name>
  <memory unit='MiB'>1024</memory>
  ${3:-}
  <os>
    <type arch='${5:-x86_64}' machine='${6:-q35}'>hvm</type>
  </os>
  <devices>
    $2
  </devices>
</domain>
EOF
}

# lint NAME [OPTIONS...]: the --host findings of $tmp/NAME.xml in $tmp/out
lint() {
    local name=$1
    shift
    timeout 20 "$DOMLINT" --color=never --no-schema --format=text-short --host "$@" "$tmp/$name.xml" > "$tmp/all" 2>&1
    grep ' \[host-[a-z-]*\]$' "$tmp/all" > "$tmp/out"
}
# clean NAME DESC: no host-* finding
clean() {
    lint "$1"
    check "$2: no host finding" "$(cat "$tmp/out")"
}
# finds NAME RULE PATTERN DESC: a [RULE] finding matching PATTERN (grep -E)
finds() {
    lint "$1"
    if grep "\[$2\]\$" "$tmp/out" | grep -qE -- "$3"; then
        ok "$4: [$2] $3"
    else
        not_ok "$4: wanted [$2] matching '$3'" "$(cat "$tmp/all")"
    fi
}

# ---- host-file
dom file-good "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/img/good.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='disk'><source file='/img/disk.raw'/><target dev='vdb' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><source file='/img/gone.iso' startupPolicy='optional'/><target dev='sda' bus='sata'/></disk>
    <filesystem type='mount'><source dir='/share'/><target dir='tag'/></filesystem>" \
    "" qemu
sed -i "s|<type arch|<kernel>/boot/vmlinuz</kernel><initrd>/boot/initrd</initrd><loader readonly='yes' type='pflash'>/fw/CODE.fd</loader><nvram template='/fw/VARS.fd'>/nvram/t_VARS.fd</nvram>\n    <type arch|" "$tmp/file-good.xml"
clean file-good "files present (qcow2 image, raw image, optional missing cdrom, kernel, initrd, loader, NVRAM to be made, shared dir)"
dom file-bad "<disk type='file' device='disk'><source file='/img/missing.raw'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/img/raw-named.qcow2'/><target dev='vdb' bus='virtio'/></disk>
    <disk type='file' device='disk'><source file='/tmp/fifo'/><target dev='vdc' bus='virtio'/></disk>
    <filesystem type='mount'><source dir='/nowhere'/><target dir='tag'/></filesystem>"
sed -i "s|<type arch|<kernel>/boot/missing-vmlinuz</kernel><nvram template='/fw/missing.fd'>/no/dir/t_VARS.fd</nvram>\n    <type arch|" "$tmp/file-bad.xml"
finds file-bad host-file "^[^:]*:[0-9]+:[0-9]+: error: disk image '/img/missing.raw' does not exist on this host" "missing image, at its line"
finds file-bad host-file "disk image '/img/raw-named.qcow2' is not a qcow2 image" "qcow2 driver on a raw image"
finds file-bad host-file "disk image '/tmp/fifo' is a FIFO on this host, not a regular file" "a FIFO as image, not opened"
finds file-bad host-file "kernel '/boot/missing-vmlinuz' does not exist" "missing kernel"
finds file-bad host-file "NVRAM template '/fw/missing.fd' does not exist" "missing NVRAM template"
finds file-bad host-file "NVRAM file '/no/dir/t_VARS.fd' does not exist and libvirt cannot make it: its directory '/no/dir'" "NVRAM directory missing"
finds file-bad host-file "shared directory '/nowhere' does not exist" "missing shared directory"

# ---- host-block-device
block=$(find /dev -maxdepth 1 -type b 2>/dev/null | head -n 1)
if [ -n "$block" ]; then
    ln -s "$block" "$root/dev/blk0"
    dom block-good "<disk type='block' device='disk'><source dev='/dev/blk0'/><target dev='vda' bus='virtio'/></disk>"
    clean block-good "block device present"
else
    skip "no block device on this machine to stand for one"
fi
dom block-bad "<disk type='block' device='disk'><source dev='/dev/sdzz'/><target dev='vda' bus='virtio'/></disk>
    <disk type='block' device='disk'><source dev='/img/disk.raw'/><target dev='vdb' bus='virtio'/></disk>"
finds block-bad host-block-device "block device '/dev/sdzz' does not exist" "missing block device"
finds block-bad host-block-device "block device '/img/disk.raw' is a regular file on this host, not a block device" "regular file as block device"

# ---- host-device-node
dom node-good "<input type='passthrough' bus='virtio'><source evdev='/dev/input/event3'/></input>
    <vsock model='virtio'><cid auto='yes'/></vsock>
    <interface type='user'><model type='virtio'/><driver name='vhost'/></interface>"
clean node-good "evdev, vhost-vsock and vhost-net present"
rm "$root/dev/vhost-vsock" "$root/dev/vhost-net"
dom node-bad "<input type='passthrough' bus='virtio'><source evdev='/dev/input/event9'/></input>
    <vsock model='virtio'><cid auto='yes'/></vsock>
    <interface type='user'><model type='virtio'/><driver name='vhost'/></interface>
    <graphics type='egl-headless'/>"
finds node-bad host-device-node "input device '/dev/input/event9' does not exist" "missing evdev"
finds node-bad host-device-node "vhost-vsock device '/dev/vhost-vsock' does not exist" "missing /dev/vhost-vsock"
finds node-bad host-device-node "vhost-net device '/dev/vhost-net' does not exist" "missing /dev/vhost-net with driver name='vhost'"
finds node-bad host-device-node "OpenGL needs a render node, and this host has none in '/dev/dri'" "egl-headless without /dev/dri"
ln -s /dev/null "$root/dev/vhost-vsock"
ln -s /dev/null "$root/dev/vhost-net"

# ---- host-emulator
dom emu-good "<emulator>/usr/bin/qemu-system-x86_64</emulator>"
clean emu-good "emulator present"
dom emu-pathless ""
clean emu-pathless "no <emulator>: qemu-system-x86_64 found in PATH"
dom emu-bad "<emulator>/etc/not-executable</emulator>"
finds emu-bad host-emulator "emulator '/etc/not-executable' is not executable" "emulator not executable"
dom emu-arch "" "" qemu sparc SS-5
finds emu-arch host-emulator "no emulator for arch 'sparc' on this host: 'qemu-system-sparc' is not in PATH" "no emulator for the arch"

# ---- host-kvm
dom kvm-good "" "" kvm "$(uname -m)" q35
case $(uname -m) in
x86_64 | aarch64 | ppc64le | s390x)
    clean kvm-good "type='kvm' for the host's arch, /dev/kvm present"
    rm "$root/dev/kvm"
    finds kvm-good host-kvm "KVM device '/dev/kvm' does not exist" "no /dev/kvm"
    ln -s /dev/null "$root/dev/kvm"
    dom kvm-foreign "" "" kvm "$foreign" "$machine"
    finds kvm-foreign host-kvm "cannot run a '$foreign' guest on this '$(uname -m)' host" "a foreign arch"
    # without <type arch> libvirt takes the host's, whatever domlint's x86_64 default
    sed "s/ arch='$foreign'//" "$tmp/kvm-foreign.xml" > "$tmp/kvm-archless.xml"
    clean kvm-archless "type='kvm' without <type arch>: the host's arch"
    ;;
*) skip "host-kvm: this machine's arch $(uname -m) is not in the test's list" ;;
esac

# ---- host-network
dom net-good "<interface type='bridge'><source bridge='br0'/><model type='virtio'/></interface>
    <interface type='direct'><source dev='eth9' mode='bridge'/><model type='virtio'/></interface>"
clean net-good "bridge and macvtap device present"
dom net-bad "<interface type='bridge'><source bridge='br9'/><model type='virtio'/></interface>
    <interface type='bridge'><source bridge='eth9'/><model type='virtio'/></interface>"
finds net-bad host-network "bridge 'br9' does not exist on this host \(no '/sys/class/net/br9'\)" "missing bridge"
finds net-bad host-network "network device 'eth9' exists on this host but is not a bridge" "not a bridge"

# ---- host-pci-device
pci() { printf "<hostdev mode='subsystem' type='pci' managed='%s'><source><address domain='0x0000' bus='%s' slot='0x00' function='0x0'/></source></hostdev>" "$1" "$2"; }
dom pci-good "$(pci no 0x01) $(pci yes 0x02)"
clean pci-good "VFIO, a device on vfio-pci and a managed one"
dom pci-bad "$(pci no 0x02) $(pci yes 0x03)"
finds pci-bad host-pci-device "PCI device 0000:02:00.0 is bound to 'e1000e' on this host, and managed='yes' is not set" "bound to another driver, not managed"
finds pci-bad host-pci-device "PCI device 0000:03:00.0 does not exist on this host" "missing PCI device"
rmdir "$root/sys/kernel/iommu_groups/7"
finds pci-good host-pci-device "this host cannot pass devices through: it has no VFIO" "no IOMMU group"
mk sys/kernel/iommu_groups/7

# ---- host-hugepages
dom huge-good "" "<memoryBacking><hugepages><page size='2048' unit='KiB'/></hugepages></memoryBacking>"
clean huge-good "hugetlbfs, 2 MiB pages, 1024 free for 1 GiB"
dom huge-small "" "<memoryBacking><hugepages><page size='4' unit='KiB'/></hugepages></memoryBacking>"
dom huge-bad "" "<memoryBacking><hugepages><page size='1' unit='GiB'/></hugepages></memoryBacking>"
finds huge-bad host-hugepages "this host has no hugepages of 1048576 KiB" "page size the host lacks"
put sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 10
finds huge-good host-hugepages "this host has 10 free hugepages of 2048 KiB, the guest's 1048576 KiB of memory need 512" "too few free"
put proc/mounts "proc /proc proc rw 0 0"
finds huge-good host-hugepages "no hugetlbfs is mounted on this host" "no hugetlbfs mounted"
clean huge-small "a page of the ordinary size is no hugepage"
put proc/mounts "hugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0"
put sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 1024

# ---- host-numa
dom numa-good "" "<numatune><memory mode='strict' nodeset='0'/></numatune>"
clean numa-good "NUMA node 0 present"
dom numa-bad "" "<numatune><memory mode='strict' nodeset='0-1'/></numatune>"
finds numa-bad host-numa "NUMA node 1 of nodeset '0-1' does not exist" "missing NUMA node"

# ---- host-socket
if [ -n "$have_socket" ]; then
    dom sock-good "<serial type='unix'><source mode='connect' path='/tmp/peer.sock'/></serial>
    <serial type='unix'><source mode='bind' path='/tmp/listen.sock'/></serial>"
    clean sock-good "the peer socket is there, the listening one has its directory"
else
    skip "host-socket: python3 cannot make a UNIX socket here"
fi
dom sock-bad "<serial type='unix'><source mode='connect' path='/tmp/none.sock'/></serial>
    <channel type='unix'><source mode='connect' path='/tmp/fifo'/><target type='virtio' name='a.b'/></channel>
    <serial type='unix'><source mode='bind' path='/no/dir/x.sock'/></serial>
    <interface type='vhostuser'><source type='unix' path='/tmp/vu.sock' mode='client'/><model type='virtio'/></interface>"
finds sock-bad host-socket "serial socket '/tmp/none.sock' does not exist" "missing peer socket"
finds sock-bad host-socket "channel socket '/tmp/fifo' is a FIFO on this host, not a UNIX socket" "a FIFO as socket, not opened"
finds sock-bad host-socket "serial socket '/no/dir/x.sock' cannot be made: its directory '/no/dir' does not exist" "listening socket without directory"
finds sock-bad host-socket "vhost-user socket '/tmp/vu.sock' does not exist" "missing vhost-user peer"

# ---- host-service
secret="<disk type='network' device='disk'><source protocol='rbd' name='pool/img'><host name='h'/><auth username='u'><secret type='ceph' usage='x'/></auth></source><target dev='vda' bus='virtio'/></disk>"
dom svc-good "$secret
    <tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>
    <interface type='ethernet'><script path='/etc/qemu-ifup'/><model type='virtio'/></interface>" \
    "<vcpu placement='auto'>1</vcpu><seclabel type='dynamic' model='selinux'/>"
clean svc-good "secret daemon, swtpm, script, numad, SELinux present"
rm "$root/usr/bin/swtpm" "$root/usr/bin/numad" "$root/run/libvirt/virtsecretd-sock"
rmdir "$root/sys/fs/selinux"
dom svc-bad "$secret
    <tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>
    <interface type='ethernet'><script path='/etc/not-executable'/><model type='virtio'/></interface>" \
    "<vcpu placement='auto'>1</vcpu><seclabel type='dynamic' model='selinux'/>"
finds svc-bad host-service "a <secret> needs libvirt's secret driver, and this host runs neither virtsecretd nor libvirtd" "no secret daemon"
finds svc-bad host-service "the TPM emulator needs swtpm, and it is not in PATH" "no swtpm"
finds svc-bad host-service "interface script '/etc/not-executable' is not executable" "script not executable"
finds svc-bad host-service "placement='auto' asks numad" "no numad"
finds svc-bad host-service "security driver 'selinux' is not active on this host" "no SELinux"

# ---- off unless asked, the config key, nothing changed
timeout 20 "$DOMLINT" --color=never --no-schema --format=text-short "$tmp/file-bad.xml" > "$tmp/all" 2>&1
check "without --host: no host finding" "$(grep '\[host-' "$tmp/all")"
mkdir -p "$tmp/conf"
cp "$tmp/file-bad.xml" "$tmp/conf/vm.xml"
printf '[domlint]\nhost = true\n' > "$tmp/conf/.domlint.conf"
timeout 20 "$DOMLINT" --color=never --no-schema --format=text-short "$tmp/conf/vm.xml" > "$tmp/all" 2>&1
grep -q "missing.raw.*\[host-file\]" "$tmp/all" && : > "$tmp/all"
check "host = true in .domlint.conf: the host findings" "$(cat "$tmp/all")"
printf '[domlint]\nhost = sometimes\n' > "$tmp/conf/.domlint.conf"
timeout 20 "$DOMLINT" --color=never --no-schema "$tmp/conf/vm.xml" > "$tmp/all" 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q "\.domlint\.conf:2: 'host' takes true or false, not 'sometimes'" "$tmp/all" && : > "$tmp/all"
check "host = sometimes: exit 2 naming the line" "$(cat "$tmp/all")"
# every domain of this script checked once more: no name, size, mode, mtime or ctime changes
find "$root" -printf '%p %y %s %m %T@ %C@\n' | sort > "$tmp/before"
timeout 60 "$DOMLINT" --color=never --no-schema --host "$tmp"/*.xml > /dev/null 2>&1
find "$root" -printf '%p %y %s %m %T@ %C@\n' | sort > "$tmp/after"
check "the host root is left as it was (reads only)" "$(diff "$tmp/before" "$tmp/after")"

done_testing
