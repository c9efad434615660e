# libvirt-env.sh - what running libvirt's embedded QEMU driver needs: whether
# it can run here, the Debian release roots, the embed root and the mount
# namespace.  Sourced by tests/lib.sh (so by every TAP script) and by the
# oracle program libvirt-oracle.sh, which is no TAP script; the TAP side
# (skipping, choosing an oracle, its lock) is lib.sh's.

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

# The Debian releases shared/tools/debian-root can make a root of: "suite
# target qemu" per line (target: domlint's --target for that release; qemu:
# its QEMU release).
release_list() {
    printf '%s\n' "bullseye debian-11 5.2" "trixie debian-13 10.0" "sid debian-sid 11.1"
}

# The release roots that exist and are finished: "suite path target qemu"
# per line.
release_roots() {
    local parent=${DOMLINT_DEBIAN_ROOT_DIR:-/var/cache/domlint-oracle}
    release_list | while read -r suite target qemu; do
        [ -f "$parent/$suite/.domlint-ready" ] && echo "$suite $parent/$suite $target $qemu"
    done
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

# libvirt_embed_root NAME: a fresh embed root $BASE/NAME.XXXXXX, a copy of the
# template, in $ROOT, with its URI in $URI and libvirt's log kept inside it.
# Returns 1 with the reason in $libvirt_error.
libvirt_embed_root() {
    ROOT=$(mktemp -d "$BASE/$1.XXXXXX") || { libvirt_error="mktemp failed"; return 1; }
    chmod 755 "$ROOT"
    cp -a "$TPL/." "$ROOT/" || { libvirt_error="cannot copy the template"; return 1; }
    URI="qemu:///embed?root=$ROOT"
    LIBVIRT_LOG_OUTPUTS="3:file:$ROOT/libvirt.log"
    export LIBVIRT_LOG_OUTPUTS
}

# libvirt_ns CMD...: CMD inside a private mount namespace with our
# passwd/group ($NS), where the privileged embedded driver finds the
# libvirt-qemu user; $LIBVIRT_PIN (e.g. taskset -c 0) goes in front.
libvirt_ns() {
    ${LIBVIRT_PIN:-} unshare -m /bin/sh -c '
        ns=$1; shift
        mount --bind "$ns/passwd" /etc/passwd &&
        mount --bind "$ns/group" /etc/group &&
        exec "$@"' sh "$NS" "$@"
}
