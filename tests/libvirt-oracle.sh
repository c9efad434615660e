#!/bin/bash
# libvirt-oracle.sh [--start] [--dump] FILE
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
# --start: disk images need to exist.  Sources under
# /tmp/domlint-fixture-images/ are created (empty raw, or a small qcow2 when the
# driver says qcow2); any other source file is redirected into the run's
# temporary directory.  No QEMU started here outlives this script.

set -u

usage() { echo "usage: libvirt-oracle.sh [--start] [--dump] FILE" >&2; exit 2; }
infra() { echo "libvirt-oracle.sh: $*" >&2; exit 2; }

START=0
DUMP=0
while [ $# -gt 0 ]; do
    case $1 in
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
reason=$(libvirt_missing)
[ -z "$reason" ] || infra "$reason"
IMAGES=/tmp/domlint-fixture-images
prep=$(libvirt_prepare) || infra "$prep"

ROOT=$(mktemp -d "$BASE/r.XXXXXX") || infra "mktemp failed"
chmod 755 "$ROOT"
cp -a "$TPL/." "$ROOT/" || infra "cannot copy the template"

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

URI="qemu:///embed?root=$ROOT"
export LIBVIRT_LOG_OUTPUTS="3:file:$ROOT/libvirt.log"

# libvirt keeps QEMU's capabilities only while the host CPUID matches, and on
# some virtual machines CPUID differs between CPUs: on CPU 0 only, every run
# reuses the cache instead of probing QEMU again (3-4 s)
PIN=
if command -v taskset > /dev/null && taskset -c 0 true 2> /dev/null; then
    PIN="taskset -c 0"
fi

# virsh ARGS... inside a private mount namespace with our passwd/group
run_virsh() {
    $PIN unshare -m /bin/sh -c '
        ns=$1; shift
        mount --bind "$ns/passwd" /etc/passwd &&
        mount --bind "$ns/group" /etc/group &&
        exec virsh -q "$@"' sh "$NS" -c "$URI" "$@"
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
if [ $? -ne 0 ]; then
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
