#!/bin/bash
# libvirt-oracle.sh [--root=CHROOT] [--start] [--dump] FILE
#
# Asks libvirt's embedded QEMU driver (qemu:///embed, no daemon, nothing
# listening) for its verdict on one domain XML file.
#
#   prints  OK                 libvirt accepted it ('virsh define --validate';
#                              with --start also 'start --paused' + 'destroy')
#           ERROR: <message>   libvirt (or QEMU, with --start) rejected it
#           with --dump, OK is followed by libvirt's definition of the domain
#           (virsh dumpxml --inactive: every address assigned, defaults filled)
#   exit    0 OK, 1 rejected, 2 could not ask (usage, not root, no virsh...)
#
# How it runs here (Debian's libvirt 9.0 without libvirt-daemon-system):
# - as root, privileged driver, inside a private mount namespace (unshare -m)
#   in which a copy of /etc/passwd and /etc/group that knows 'libvirt-qemu'
#   is bind-mounted; the real /etc files are never touched;
# - qemu.conf: QEMU runs as root, no ownership changes, stdio_handler=file
#   (no virtlogd);
# - every run gets a fresh embed root, so runs can go in parallel and nothing
#   stays defined; the QEMU capability cache is kept in a template directory
#   under ${TMPDIR:-/tmp} (the first run probes each emulator, 2-4 s each);
# - libvirt's own log goes to a file so that only virsh's 'error:' reaches us.
#
# --root=CHROOT: ask the libvirt and QEMU of another Debian release instead,
# installed in CHROOT (made by shared/tools/debian-root SUITE, which marks a
# finished one with .domlint-ready).  virsh then runs in a private mount
# namespace whose root is CHROOT (pivot_root, so that libvirt's own per-QEMU
# mount namespace works as on the host), with /proc, /sys and /dev, this
# script's state directory and the fixture images mounted at the same paths,
# and the chroot's passwd/group with libvirt-qemu added.  Nothing stays
# mounted when virsh ends.
#
# --start: disk images need to exist.  Sources under
# /tmp/domlint-fixture-images/ are created (empty raw, or a small qcow2 when the
# driver says qcow2); any other source file is redirected into the run's
# temporary directory.  No QEMU started here outlives this script.

set -u

usage() { echo "usage: libvirt-oracle.sh [--root=CHROOT] [--start] [--dump] FILE" >&2; exit 2; }
infra() { echo "libvirt-oracle.sh: $*" >&2; exit 2; }

START=0
DUMP=0
CHROOT=
while [ $# -gt 0 ]; do
    case $1 in
        --root=*) CHROOT=${1#--root=} ;;
        --start) START=1 ;;
        --dump) DUMP=1 ;;
        -h|--help) usage ;;
        --) shift; break ;;
        -*) usage ;;
        *) break ;;
    esac
    shift
done
[ $# -eq 1 ] || usage
FILE=$1
[ -r "$FILE" ] || infra "cannot read '$FILE'"

here=$(cd "$(dirname "$0")" && pwd)
. "$here/libvirt-env.sh"
if [ -n "$CHROOT" ]; then
    reason=$(libvirt_missing_in "$CHROOT")
    [ -z "$reason" ] || infra "$reason"
    CHROOT=$(readlink -f "$CHROOT")
    # state of one release: its own template (capability cache) and passwd
    BASE=$BASE/${CHROOT##*/}
    TPL=$BASE/template
    NS=$BASE/ns
else
    reason=$(libvirt_missing)
    [ -z "$reason" ] || infra "$reason"
fi
IMAGES=/tmp/domlint-fixture-images
prep=$(libvirt_prepare "$CHROOT") || infra "$prep"

libvirt_embed_root r || infra "$libvirt_error"

kill_our_qemu() {
    # only processes libvirt recorded in this run's root, and only if their
    # command line names this root
    local pf pid
    for pf in "$ROOT"/run/qemu/*.pid; do
        [ -f "$pf" ] || continue
        pid=$(cat "$pf" 2>/dev/null)
        case $pid in ''|*[!0-9]*) continue ;; esac
        if grep -qsF "$ROOT" "/proc/$pid/cmdline"; then
            kill -KILL "$pid" 2>/dev/null
        fi
    done
}
cleanup() {
    kill_our_qemu
    # keep a freshly probed capability cache for the next runs
    local c n
    for c in "$ROOT"/cache/qemu/capabilities/*.xml; do
        [ -f "$c" ] || continue
        n=${c##*/}
        # a cache libvirt found outdated was probed again: keep the new one
        cmp -s "$c" "$TPL/cache/qemu/capabilities/$n" && continue
        cp -p "$c" "$TPL/cache/qemu/capabilities/.$n.$$" 2>/dev/null &&
            mv -f "$TPL/cache/qemu/capabilities/.$n.$$" "$TPL/cache/qemu/capabilities/$n"
    done
    rm -rf "$ROOT"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

# libvirt keeps QEMU's capabilities only while the host CPUID matches, and on
# some virtual machines CPUID differs between CPUs: on CPU 0 only, every run
# reuses the cache instead of probing QEMU again (3-4 s)
LIBVIRT_PIN=
if command -v taskset > /dev/null && taskset -c 0 true 2> /dev/null; then
    LIBVIRT_PIN="taskset -c 0"
fi

# virsh ARGS... inside a private mount namespace with our passwd/group
run_virsh() {
    if [ -n "$CHROOT" ]; then
        run_virsh_in_root "$@"
        return
    fi
    libvirt_ns virsh -q -c "$URI" "$@"
}

# The same with CHROOT as the namespace's root.  Exit 90: the namespace
# could not be set up.
run_virsh_in_root() {
    mkdir -p "$IMAGES"
    $LIBVIRT_PIN unshare -m --propagation private /bin/sh -c '
        c=$1 base=$2 ns=$3 images=$4; shift 4
        mount --bind "$c" "$c" || exit 90
        mount --rbind /proc "$c/proc" && mount --rbind /sys "$c/sys" &&
            mount --rbind /dev "$c/dev" || exit 90
        mkdir -p "$c$base" "$c$images" "$c/.host-root" || exit 90
        mount --bind "$base" "$c$base" && mount --bind "$images" "$c$images" || exit 90
        mount --bind "$ns/passwd" "$c/etc/passwd" && mount --bind "$ns/group" "$c/etc/group" || exit 90
        cd "$c" && pivot_root . .host-root && cd / || exit 90
        umount -l /.host-root || exit 90
        PATH=/usr/sbin:/usr/bin:/sbin:/bin exec virsh -q "$@"' \
        sh "$CHROOT" "$BASE" "$NS" "$IMAGES" -c "$URI" "$@"
}

# libvirt's message(s) from virsh output on stdin, one line, without virsh's
# generic "Failed to define domain from ..." preamble
error_text() {
    awk '/^error: / { if (m != "") print m; m = substr($0, 8); next }
         m != "" && NF { m = m " " $0 }
         END { if (m != "") print m }' |
        grep -vE '^(Failed to (define|start|destroy) domain|failed to get domain|Requested operation is not valid: domain is not running)' |
        awk '!seen[$0]++' | paste -sd' ' -
}

IN=$ROOT/domain.xml
cp "$FILE" "$IN" || infra "cannot copy '$FILE'"

if [ $START = 1 ]; then
    mkdir -p "$ROOT/images" "$IMAGES"
    i=0
    for src in $(xmllint --xpath '//disk/source/@file' "$IN" 2>/dev/null |
                 sed -E 's/^ *file="([^"]*)"$/\1/'); do
        i=$((i + 1))
        case $src in
            "$IMAGES"/*) img=$src ;;
            *) img=$ROOT/images/$i-${src##*/}
               sed -i "s|file=['\"]$src['\"]|file='$img'|" "$IN" ;;
        esac
        [ -s "$img" ] && continue
        mkdir -p "${img%/*}"
        fmt=$(xmllint --xpath "string(//disk[source/@file='$img']/driver/@type)" "$IN" 2>/dev/null)
        if [ "$fmt" = qcow2 ]; then
            qemu-img create -q -f qcow2 "$img.$$" 64M >/dev/null 2>&1 && mv -f "$img.$$" "$img"
        else
            : >> "$img"
        fi
    done
fi

NAME=$(xmllint --xpath 'string(/domain/name)' "$IN" 2>/dev/null)

OUT=$(run_virsh define --validate "$IN" 2>&1)
RC=$?
[ $RC = 90 ] && infra "cannot set up the namespace of $CHROOT: $OUT"
if [ $RC -ne 0 ]; then
    MSG=$(printf '%s\n' "$OUT" | error_text)
    case $MSG in
        *"no connection driver available"*|*"Failed to connect"*|*"failed to connect"*)
            infra "libvirt QEMU driver unavailable: $MSG" ;;
    esac
    echo "ERROR: ${MSG:-virsh define failed without a message}"
    exit 1
fi
[ -n "$NAME" ] || NAME=$(printf '%s\n' "$OUT" | sed -nE "s/^Domain '(.*)' defined from .*/\1/p")

if [ $START = 1 ]; then
    # one virsh process: the embedded driver, and the QEMU it started, live
    # only as long as that process
    OUT=$(run_virsh "start --paused '$NAME'; destroy '$NAME'" 2>&1)
    kill_our_qemu
    if printf '%s\n' "$OUT" | grep -q '^error: '; then
        echo "ERROR: (start) $(printf '%s\n' "$OUT" | error_text)"
        exit 1
    fi
fi

echo OK
if [ $DUMP = 1 ]; then
    run_virsh dumpxml --inactive "$NAME" || infra "dumpxml failed"
fi
exit 0
