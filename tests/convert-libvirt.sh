#!/bin/sh
# convert-libvirt.sh [DIR...] — `domlint convert` gives domains libvirt starts, and is stable.
#
# Without DIR (what make check runs): every golden conversion of
# fixtures/convert (a case that converts, not --diff) is accepted by libvirt
# and starts paused under QEMU (tests/libvirt-oracle.sh --start).
#
# With DIR...: the proof, on every i440fx and q35 domain (x86_64, i686) of
# the corpora DIR whose verdicts.tsv label is OK (about 7 minutes of the
# oracle for public and libvirt-tests:
#   tests/convert-libvirt.sh ../shared/corpus/public ../shared/corpus/libvirt-tests):
#   B  = convert A to the other family (--machine=q35 or pc)
#   B is clean under `domlint check` (exit 0), libvirt defines it and QEMU
#   starts it paused (only defined when A's label is of the define stage:
#   QEMU would wait for a vhost-user peer);
#   A1 = convert B back, B1 = A1 converted again, A2 = B1 back: A1 and A2
#   must be byte-identical (converting back and forth is stable).
# A domain convert refuses (exit 1: a device the target cannot have) is a
# skip with the reason, not a failure.  Disk images the domain names that do
# not exist here are replaced, for the start only, by stand-ins in the test's
# own directory: an empty file, or an empty image of the <driver type> the
# disk names (qemu-img); a missing block device becomes such a file, since
# the disk's backend is not what the proof is about; so is an <interface
# type='network'> (the embedded driver has no network driver), which user
# networking stands in for.  With
# CONVERT_PROOF_HOST=1 the domains whose label is an ERROR only because
# their disk images are missing here (host.tsv) are proved too: A itself must
# start with the stand-ins (else a skip), then B must.  The oracle lock is
# taken for each call, not for the run.  Per-file results go to
# $CONVERT_PROOF (a TSV) when set.
#
# Needs root, virsh and QEMU (tests/libvirt-env.sh); otherwise skips, loudly.
# TAP for automake's tap-driver; DOMLINT_SKIP_SLOW skips it.
set -u
. "$(dirname "$0")/lib.sh"

skip_slow "libvirt convert proof"
need_domlint
oracle_missing=$(libvirt_missing)
[ -z "$oracle_missing" ] || skip_all "libvirt QEMU driver not available: $oracle_missing"
ORACLE=$top_srcdir/tests/libvirt-oracle.sh
LOCK=${DOMLINT_ORACLE_LOCK:-/tmp/domlint-oracle.lock}
TARGET=debian-12
make_tmp

for dir in "$@"; do
    [ -f "$dir/verdicts.tsv" ] || skip_all "no corpus with a verdicts.tsv at $dir"
done
out=${CONVERT_PROOF:-$tmp/proof.tsv}
printf 'file\tfrom\tto\tconvert\tcheck\tlibvirt\tstable\tdetail\n' > "$out"

# the domains: DIR FILE MACHINE STAGE, i440fx or q35 on x86, labelled OK
for dir in "$@"; do
    awk -F'\t' -v d="$dir" '$4 == "OK" && ($3 == "x86_64" || $3 == "i686") &&
        $2 ~ /^(pc|pc-i440fx-.*|q35|pc-q35-.*)$/ { print d "\t" $1 "\t" $2 "\t" $5 }' "$dir/verdicts.tsv"
    [ "${CONVERT_PROOF_HOST:-}" = 1 ] && [ -f "$dir/host.tsv" ] || continue
    awk -F'\t' -v d="$dir" 'NR == FNR { if ($3 ~ /^disk image/) img[$1] = 1; next }
        ($1 in img) && $4 == "ERROR" && ($3 == "x86_64" || $3 == "i686") &&
        $2 ~ /^(pc|pc-i440fx-.*|q35|pc-q35-.*)$/ { print d "\t" $1 "\t" $2 "\thost" }' \
        "$dir/host.tsv" "$dir/verdicts.tsv"
done > "$tmp/list"

# start_copy FILE: FILE as $tmp/start.xml, each disk file it names that is
# missing here replaced by a stand-in of ours of the disk's <driver type>
start_copy() {
    mkdir -p "$tmp/img"
    python3 - "$1" "$tmp/start.xml" "$tmp/img" <<'PY'
import os, subprocess, sys, zlib
import xml.etree.ElementTree as ET
src, dst, imgdir = sys.argv[1:4]
tree = ET.parse(src)
for disk in tree.iter("disk"):
    source = disk.find("source")
    if source is None:
        continue
    path = source.get("file")
    # (a LUN must stay a block device: no stand-in, it does not start here)
    if disk.get("type") == "block" and disk.get("device") != "lun" and source.get("dev") and not os.path.exists(source.get("dev")):
        # a block device we will not create: a file stands in, the backend is not what is proved
        path = source.attrib.pop("dev")
        disk.set("type", "file")
    elif not path or os.path.exists(path):
        continue
    driver = disk.find("driver")
    fmt = driver.get("type", "raw") if driver is not None else "raw"
    stand_in = os.path.join(imgdir, "%08x.%s" % (zlib.crc32(path.encode()), fmt))
    if not os.path.exists(stand_in):
        if fmt in ("qcow2", "qed", "vmdk", "vdi", "vpc", "vhdx"):
            subprocess.run(["qemu-img", "create", "-q", "-f", fmt, stand_in, "16M"], check=False)
        else:
            open(stand_in, "w").close()
    source.set("file", stand_in)
# a libvirt network needs a network driver the embedded one lacks: user networking stands in
for iface in tree.iter("interface"):
    source = iface.find("source")
    if iface.get("type") == "network" and source is not None:
        iface.set("type", "user")
        iface.remove(source)
tree.write(dst)
PY
}

# no DIR: the golden conversions, each accepted and started
if [ $# -eq 0 ]; then
    for report in "$FIXTURES"/convert/*.report; do
        base=${report%.report}
        case "$(tail -n 1 "$report") $(cat "$base.args")" in
            "exit: 0"*--diff*) continue ;;
            "exit: 0"*) echo "$base" ;;
        esac
    done > "$tmp/golden"
    plan "$(wc -l < "$tmp/golden")"
    while read -r base; do
        start_copy "$base.out"
        verdict=$(flock "$LOCK" "$ORACLE" --start "$tmp/start.xml" 2>&1 | head -1 | cut -c1-300)
        check "convert/${base##*/}.out: libvirt defines it, QEMU starts it" "${verdict#OK}"
    done < "$tmp/golden"
    done_testing
fi

conv() {
    "$DOMLINT" convert --target="$TARGET" -q --machine="$1" "$2" > "$3" 2> "$3.err"
}

while IFS="$(printf '\t')" read -r dir file machine stage; do
    case $machine in
        pc|pc-i440fx-*) to=q35 back=pc ;;
        *) to=pc back=q35 ;;
    esac
    a=$dir/$file
    name=${dir##*/}/$file
    if [ "$stage" = host ] && grep -q "mode=.server" "$a"; then
        # a server socket (vhost-user, a chardev) QEMU would wait on for a peer, holding the oracle
        printf '%s\t%s\t%s\thost\t-\t-\t-\t%s\n' "$name" "$machine" "$to" "QEMU would wait for a socket peer" >> "$out"
        skip "$name: QEMU would wait for a peer on its server socket"
        continue
    fi
    if [ "$stage" = host ]; then
        # labelled ERROR for its missing images: A must start with the stand-ins first
        start_copy "$a"
        verdict=$(flock "$LOCK" "$ORACLE" --start "$tmp/start.xml" 2>&1 | head -1 | cut -c1-200)
        if [ "$verdict" != OK ]; then
            printf '%s\t%s\t%s\thost\t-\t-\t-\t%s\n' "$name" "$machine" "$to" "A does not start here either: $verdict" >> "$out"
            skip "$name: the original does not start here either: $verdict"
            continue
        fi
        stage=start
    fi
    conv "$to" "$a" "$tmp/b.xml"
    rc=$?
    if [ $rc -eq 1 ]; then
        why=$(head -1 "$tmp/b.xml.err" | cut -c1-200)
        printf '%s\t%s\t%s\trefused\t-\t-\t-\t%s\n' "$name" "$machine" "$to" "$why" >> "$out"
        skip "$name: convert refuses: $why"
        continue
    fi
    if [ $rc -ne 0 ]; then
        why=$(head -1 "$tmp/b.xml.err")
        printf '%s\t%s\t%s\tfailed\t-\t-\t-\t%s\n' "$name" "$machine" "$to" "$why" >> "$out"
        not_ok "$name: convert exit $rc" "$why"
        continue
    fi
    "$DOMLINT" check --target="$TARGET" --format=text --no-excerpt -q "$tmp/b.xml" > "$tmp/check.txt" 2>&1
    crc=$?
    check=clean
    [ $crc -eq 0 ] || check=findings
    start_copy "$tmp/b.xml"
    # labelled at define (a vhost-user peer QEMU would wait for): defined only
    start=--start
    [ "$stage" = start ] || start=
    # shellcheck disable=SC2086 # no word when empty
    verdict=$(flock "$LOCK" "$ORACLE" $start "$tmp/start.xml" 2>&1 | head -1 | cut -c1-300)
    lv=OK
    [ "$verdict" = OK ] || lv=ERROR
    stable=no
    if conv "$back" "$tmp/b.xml" "$tmp/a1.xml" && conv "$to" "$tmp/a1.xml" "$tmp/b1.xml" &&
        conv "$back" "$tmp/b1.xml" "$tmp/a2.xml" && cmp -s "$tmp/a1.xml" "$tmp/a2.xml"; then
        stable=yes
    fi
    detail=
    [ $check = clean ] || detail="check: $(grep -m1 -E 'error|warning' "$tmp/check.txt" | cut -c1-200)"
    [ $lv = OK ] || detail="$detail libvirt: $verdict"
    printf '%s\t%s\t%s\tok\t%s\t%s\t%s\t%s\n' "$name" "$machine" "$to" "$check" "$lv" "$stable" "$detail" >> "$out"
    if [ $check = clean ] && [ $lv = OK ] && [ $stable = yes ]; then
        ok "$name: $machine -> $to clean, started, stable"
    else
        not_ok "$name: $machine -> $to check=$check libvirt=$lv stable=$stable" "$detail"
    fi
done < "$tmp/list"

awk -F'\t' 'NR > 1 { n++; if ($4 == "ok") c++; if ($5 == "clean") k++; if ($6 == "OK") s++; if ($7 == "yes") t++; if ($4 == "refused") r++; if ($4 == "host") h++ }
    END { printf "# %d domains: %d converted, %d refused, %d not started here even unconverted, %d clean, %d accepted+started, %d stable\n", n, c, r, h, k, s, t }' "$out"
done_testing
