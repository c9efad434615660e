# libvirt-env.sh - sourced by the tests that run libvirt's embedded QEMU
# driver (libvirt-oracle.sh, differential.sh, connect.sh): one place that
# says whether it can run here and prepares what it needs.

# Why libvirt's embedded QEMU driver cannot run here; nothing when it can.
libvirt_missing() {
    [ "$(id -u)" = 0 ] || { echo "not root (the privileged embedded driver needs root and unshare -m)"; return; }
    command -v virsh >/dev/null || { echo "virsh not installed"; return; }
    command -v unshare >/dev/null || { echo "unshare not installed"; return; }
    command -v xmllint >/dev/null || { echo "xmllint not installed"; return; }
    command -v qemu-system-x86_64 >/dev/null || { echo "qemu-system-x86_64 not installed"; return; }
    for d in /usr/lib/*/libvirt/connection-driver /usr/lib64/libvirt/connection-driver \
             /usr/lib/libvirt/connection-driver; do
        [ -e "$d/libvirt_driver_qemu.so" ] && return
    done
    echo "libvirt_driver_qemu.so not found (libvirt-daemon-driver-qemu not installed)"
}

# Why the libvirt of the release in chroot ROOT cannot run; nothing when it can.
libvirt_missing_in() {
    [ "$(id -u)" = 0 ] || { echo "not root (a chroot and unshare -m need root)"; return; }
    [ -f "$1/.domlint-ready" ] || { echo "no finished release root at $1 (shared/tools/debian-root SUITE makes one)"; return; }
    [ -x "$1/usr/bin/virsh" ] || { echo "$1 has no virsh"; return; }
    command -v unshare >/dev/null || { echo "unshare not installed"; return; }
    command -v xmllint >/dev/null || { echo "xmllint not installed"; return; }
}

# The release roots shared/tools/debian-root makes: "suite path target qemu"
# per line (target: domlint's --target for that release; qemu: its QEMU
# release), for the ones that exist and are finished.
release_roots() {
    local parent=${DOMLINT_DEBIAN_ROOT_DIR:-/var/cache/domlint-oracle} s
    for s in "bullseye debian-11 5.2" "trixie debian-13 10.0" "sid debian-sid 11.1"; do
        set -- $s
        [ -f "$parent/$1/.domlint-ready" ] && echo "$1 $parent/$1 $2 $3"
    done
}

# In a TAP test: report the whole test skipped, loudly, when the driver
# cannot run here (NAME is the test's name for the stderr line).
libvirt_require() {
    reason=$(libvirt_missing)
    [ -z "$reason" ] && return 0
    echo "1..0 # SKIP libvirt QEMU driver not available: $reason"
    echo "$1: SKIPPED: libvirt QEMU driver not available: $reason" >&2
    exit 0
}

# Make the embed-root template ($TPL) and the passwd/group copies with the
# libvirt-qemu user Debian's libvirt expects ($NS), under $BASE; with a
# chroot argument, from the chroot's own passwd/group.  Built in a
# scratch directory and renamed into place, so parallel first runs never see
# half-made files.  Prints a reason and returns 1 on failure.
BASE=${TMPDIR:-/tmp}/dlo   # short: UNIX socket paths live below it
TPL=$BASE/template
NS=$BASE/ns
libvirt_prepare() {
    if [ ! -f "$TPL/etc/qemu.conf" ]; then
        mkdir -p "$BASE" || { echo "cannot create $BASE"; return 1; }
        t=$(mktemp -d "$BASE/tpl.XXXXXX") || { echo "mktemp failed"; return 1; }
        mkdir -p "$t/etc" "$t/cache/qemu/capabilities"
        printf '%s\n' 'user = "root"' 'group = "root"' 'dynamic_ownership = 0' \
            'remember_owner = 0' 'stdio_handler = "file"' > "$t/etc/qemu.conf"
        mv -T "$t" "$TPL" 2>/dev/null || rm -rf "$t"
    fi
    if [ ! -f "$NS/group" ]; then
        mkdir -p "$BASE" || { echo "cannot create $BASE"; return 1; }
        t=$(mktemp -d "$BASE/ns.XXXXXX") || { echo "mktemp failed"; return 1; }
        etc=${1:-}/etc
        { cp "$etc/passwd" "$t/passwd" && cp "$etc/group" "$t/group"; } || { echo "cannot copy $etc/passwd"; return 1; }
        grep -q '^libvirt-qemu:' "$t/passwd" ||
            echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/nonexistent:/usr/sbin/nologin' >> "$t/passwd"
        grep -q '^libvirt-qemu:' "$t/group" || echo 'libvirt-qemu:x:64055:' >> "$t/group"
        grep -q '^kvm:' "$t/group" || echo 'kvm:x:64056:' >> "$t/group"
        mv -T "$t" "$NS" 2>/dev/null || rm -rf "$t"
    fi
    return 0
}
