#!/bin/bash
# devices-vs-qemu.sh - the device catalogue against every real QEMU here.
#
# data/devices/devices.xml says, per QEMU device, which arches have it in
# which releases (<exists arches since-qemu before-qemu>).  For the host's
# qemu-system-* binaries and those of every Debian release root
# (shared/tools/debian-root, as the differential tests use them), this test
# lists what `-device help` offers and compares it, device by device and
# arch by arch, with what the catalogue says for that binary's release and
# arches (<emulator arches>), and the network devices -device help lists
# with the catalogue's <nic-devices> of that release.  One TAP line per binary; a difference names
# the device, the arch and both sides.  Binaries or roots that are missing
# are skipped, and say so.  The catalogue is read by an independent reader
# here (python3), not by domlint, so the loader is checked too.
#
# Environment: as for every script (tests/lib.sh); DOMLINT_DEBIAN_ROOT_DIR.

set -u
. "$(dirname "$0")/lib.sh"
CATALOGUE=$top_srcdir/data/devices/devices.xml

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
make_tmp

# compare BINARY VERSION HELPFILE: prints one line per difference
compare() {
    python3 - "$CATALOGUE" "$1" "$2" "$3" <<'PY'
import sys, xml.etree.ElementTree as ET
cat, binary, version, helpfile = sys.argv[1:]
def v(s): return tuple(int(x) for x in s.split('.')[:2])
have = set()
for line in open(helpfile, errors='replace'):
    if line.startswith('name "'):
        have.add(line.split('"')[1])
root = ET.parse(cat).getroot()
measured = root.find('measured').get('arches').split()
emu = [e for e in root.findall('emulator') if e.get('binary') == binary]
if not emu:
    print(f"no <emulator binary='{binary}'>"); sys.exit(0)
arches = [a for a in emu[0].get('arches').split() if a in measured]
seen = set()
for q in root.iter('qemu'):
    dev = q.get('device')
    if dev in seen:
        continue
    seen.add(dev)
    exists = q.findall('exists')
    if not exists:
        continue
    for arch in arches:
        says = False
        for e in exists:
            if arch not in e.get('arches').split():
                continue
            since, before = e.get('since-qemu'), e.get('before-qemu')
            if (not since or v(version) >= v(since)) and (not before or v(version) < v(before)):
                says = True
        if says != (dev in have):
            print(f"{dev} for {arch}: catalogue says {'present' if says else 'absent'}, "
                  f"-device help {'has' if dev in have else 'lacks'} it")
# the network devices (names and aliases) of a measured release, exactly
nics, section = set(), None
for line in open(helpfile, errors='replace'):
    if line.endswith('devices:\n'):
        section = line.strip()
    elif section == 'Network devices:' and line.startswith('name "'):
        parts = line.split('"')
        nics.add(parts[1])
        if ', alias "' in line:
            nics.add(line.split(', alias "')[1].split('"')[0])
for n in root.findall('nic-devices'):
    if n.get('binary') != binary or v(n.get('qemu')) != v(version):
        continue
    listed = set(n.get('names').split())
    for extra in sorted(listed - nics):
        print(f"network device {extra}: in <nic-devices qemu='{n.get('qemu')}'>, not in -device help")
    for missing in sorted(nics - listed):
        print(f"network device {missing}: in -device help, not in <nic-devices qemu='{n.get('qemu')}'>")
PY
}

# check_binary LABEL BINARY VERSION CMD...: one TAP line for one qemu-system binary
check_binary() {
    local label=$1 binary=$2 version=$3
    shift 3
    if ! "$@" -device help > "$tmp/help" 2>/dev/null || ! grep -q '^name "' "$tmp/help"; then
        not_ok "$label: -device help failed"
        return
    fi
    compare "$binary" "$version" "$tmp/help" > "$tmp/diff"
    if [ -s "$tmp/diff" ]; then
        not_ok "$label (QEMU $version): $(wc -l < "$tmp/diff") differences"
        diag "$tmp/diff"
    else
        ok "$label (QEMU $version): every device of the catalogue as measured"
    fi
}

BINARIES="x86_64 aarch64 arm ppc64 s390x riscv64 loongarch64"

for b in $BINARIES; do
    bin=$(command -v "qemu-system-$b") || { skip "host qemu-system-$b is not installed"; continue; }
    ver=$("$bin" -version 2>/dev/null | sed -n 's/^QEMU emulator version \([0-9]*\.[0-9]*\).*/\1/p')
    check_binary "host qemu-system-$b" "$b" "$ver" "$bin"
done

missing=$(release_roots_missing)
if [ -n "$missing" ]; then
    skip "$missing: other releases not compared"
else
    while read -r suite root target qemu; do
        for b in $BINARIES; do
            if [ ! -x "$root/usr/bin/qemu-system-$b" ]; then
                skip "$suite has no qemu-system-$b"
                continue
            fi
            root_wrapper "$root" "qemu-system-$b" "$tmp/$suite-$b"
            check_binary "$suite qemu-system-$b" "$b" "$qemu" "$tmp/$suite-$b"
        done
    done <<< "$(release_roots)"
fi
done_testing
