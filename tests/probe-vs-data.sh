#!/bin/sh
# probe-vs-data.sh - the shipped knowledge base against every QEMU here
#
# Probes every machine type of each installed qemu-system-{x86_64,aarch64,
# ppc64,ppc,s390x} with `domlint probe --compare` and fails, naming the fact, for
# every family where QEMU and data/machines disagree: machine lists, aliases
# and canonical names, QEMU's default machine, root bus, builtin PCI
# functions (slot.function and device), builtin floppy controller, PCI
# controller models.  A binary that is not installed is skipped loudly.
# Differences that data/machines/README.md documents as deliberate (the data
# follows libvirt there, marked by <root qemu=>) are listed but do not fail.
# Then the same for the QEMU of every Debian release root that
# shared/tools/debian-root made (Debian 11, 13, sid: QEMU 5.2, 10.0, 11.1),
# run inside the root through a small wrapper; `domlint probe --compare`
# loads the knowledge for that binary's own release, so every release's
# ranges are checked against a real QEMU of that release.  Differences that
# data/machines/README.md documents for one release are listed in
# RELEASE_EXPECTED below and do not fail.
# Speaks TAP.

. "$(dirname "$0")/lib.sh"

# make distcheck sets DOMLINT_SKIP_SLOW=1: this test (about 45 s) has
# already run in the developer tree by 'make check'
skip_slow "slow QEMU probe comparison"

# each binary is compared with the knowledge of its own release, whatever
# target the test environment sets for the other tests
unset DOMLINT_TARGET
DB=$top_srcdir/data/machines

# Deliberate divergences (extended regexps over "FAMILY: fact" lines), read
# from the data: a family whose <root> carries qemu="MODEL" follows libvirt's
# root where QEMU's own root bus is MODEL (data/machines/README.md explains
# each), so exactly that root difference is expected on its machines.
# <root> elements are read whole even when they span lines.
root_regexp() {
    # FILE -> "FAMILY: machine 'X': root bus is QEMU in QEMU (...), DATA in ..."
    id=$(basename "$1" .xml)
    root=$(tr '\n' ' ' <"$1" | grep -o '<root [^>]*>' | head -n 1)
    qemu=$(printf '%s\n' "$root" | sed -n 's/.* qemu="\([^"]*\)".*/\1/p')
    model=$(printf '%s\n' "$root" | sed -n 's/.* model="\([^"]*\)".*/\1/p')
    [ -n "$qemu" ] || return 0
    printf '%s\n' "^$id: machine '[^']*': root bus is $qemu in QEMU \\(.*\\), $model in the knowledge base\$"
}
EXPECTED=$(for f in "$DB"/*.xml; do root_regexp "$f"; done | paste -s -d '|' -)
# Release-specific divergences (data/machines/README.md, "Releases"): Debian
# 11's QEMU was built with Xen (the data describes builds without it); QEMU
# 5.2's PowerNV put PHB root ports on its root bus, which libvirt does not
# use either; from 9.0 on powernv10 and powernv10-rainier both claim the
# alias 'powernv', and QEMU's hash order decides which one wins.
RELEASE_EXPECTED="^xenfv: |^powernv: machine 'powernv[89]': (root bus is pcie-root in QEMU|QEMU has 'pnv-phb[34]-root-port' at 00:00.0)|^powernv: alias 'powernv' is 'powernv10-rainier' in QEMU"
# no documented divergence: a pattern that matches no line
EXPECTED=${EXPECTED:-'^$'}

[ -x "$DOMLINT" ] || skip_all "domlint not built at $DOMLINT"
make_tmp


# check_binary NAME [PATH]: NAME labels the results (and the temporary files)
check_binary() {
    bin=$1
    path=${2:-$1}
    out=$tmp/$bin.out
    if ! command -v "$path" >/dev/null 2>&1; then
        skip "$bin is not installed: its families were not compared with a real QEMU"
        return
    fi
    "$DOMLINT" probe --qemu="$path" --machine-db="$DB" --compare >"$out" 2>"$tmp/$bin.err"
    rc=$?
    if [ $rc -eq 2 ]; then
        not_ok "$bin: domlint probe could not run"
        diag <"$tmp/$bin.err"
        return
    fi
    grep '^differs ' "$out" | sed 's/^differs //' >"$tmp/$bin.diffs"
    for family in $(sed -n 's/^checked //p' "$out"); do
        grep "^$family: " "$tmp/$bin.diffs" | grep -v ' was not compared: ' >"$tmp/f" || true
        grep -E "$EXPECTED" "$tmp/f" >"$tmp/expected" || true
        grep -v -E "$EXPECTED" "$tmp/f" >"$tmp/unexpected" || true
        if [ -s "$tmp/unexpected" ]; then
            not_ok "$bin: family $family agrees with QEMU"
            diag <"$tmp/unexpected"
        else
            ok "$bin: family $family agrees with QEMU"
        fi
        if [ -s "$tmp/expected" ]; then
            echo "# documented divergence (data/machines/README.md):"
            diag <"$tmp/expected"
        fi
    done
    grep '^(default): ' "$tmp/$bin.diffs" >"$tmp/f" || true
    if [ -s "$tmp/f" ]; then not_ok "$bin: default machine"; diag <"$tmp/f"; else ok "$bin: default machine"; fi
    grep ' was not compared: ' "$tmp/$bin.diffs" >"$tmp/f" || true
    if [ -s "$tmp/f" ]; then
        skip "$bin: $(wc -l <"$tmp/f") machine types could not be started here and were not compared"
        diag <"$tmp/f"
    fi
    grep '^(none): ' "$tmp/$bin.diffs" | sed "s/^(none): machine '\([^']*\)'.*/\1/" >"$tmp/f" || true
    if [ -s "$tmp/f" ]; then
        skip "$bin: $(wc -l <"$tmp/f") machine types belong to no family (domlint warns about them): $(tr '\n' ' ' <"$tmp/f")"
    fi
}

check_write() {
    bin=qemu-system-x86_64
    if ! command -v "$bin" >/dev/null 2>&1; then
        skip "$bin is not installed: knowledge writing not tested"
        return
    fi
    if "$DOMLINT" probe --qemu="$bin" --machine-db="$DB" -o "$tmp/kb" 2>"$tmp/w.err" &&
       [ -s "$tmp/kb/q35.xml" ] && [ -s "$tmp/kb/i440fx.xml" ]; then
        ok "$bin: probe writes a knowledge base that validates and loads"
    else
        not_ok "$bin: probe writes a knowledge base that validates and loads"
        diag <"$tmp/w.err"
    fi
}

# merge_into_copy BIN FILE SCRIPT: BIN probed and merged into a copy of the
# data whose FILE sed SCRIPT edited; the result in $tmp/merged, what it
# says in $tmp/merge.out and .err
merge_into_copy() {
    rm -rf "$tmp/kb-copy" "$tmp/merged"
    cp -r "$DB" "$tmp/kb-copy"
    sed -i "$3" "$tmp/kb-copy/$2"
    "$DOMLINT" probe --qemu="$1" --machine-db="$tmp/kb-copy" --merge -o "$tmp/merged" \
        >"$tmp/merge.out" 2>"$tmp/merge.err"
}
# merge_failed DESC: a failure showing what the merge said
merge_failed() {
    not_ok "$1" "$(cat "$tmp/merge.out" "$tmp/merge.err")"
}

# --merge: a release the data describes changes nothing; a type taken out of
# a copy of the data comes back, with the binary's release
check_merge() {
    label=$1 bin=$2 release=$3
    rm -rf "$tmp/merged"
    # a release root's known divergences (Debian 11's QEMU built with Xen) are not changes
    if "$DOMLINT" probe --qemu="$bin" --machine-db="$DB" --merge -o "$tmp/merged" \
            >"$tmp/merge.out" 2>"$tmp/merge.err" &&
       ! grep -v -E "${4:-^\$}" "$tmp/merge.out" | grep -q .; then
        ok "$label: --merge of its own release changes nothing${4:+ (known divergences of that build aside)}"
    else
        merge_failed "$label: --merge of its own release changes nothing"
    fi
    merge_into_copy "$bin" q35.xml "/<type name=\"pc-q35-$release\"/d"
    if grep -qx "q35: + pc-q35-$release, added in $release" "$tmp/merge.out" &&
       grep -q "<type name=\"pc-q35-$release\" added=\"$release\"/>" "$tmp/merged/q35.xml" &&
       xmllint --noout --relaxng "$top_srcdir/schemas/machines.rng" "$tmp/merged/q35.xml" 2>/dev/null; then
        ok "$label: --merge puts pc-q35-$release back into a copy that lacks it, and the file validates"
    else
        merge_failed "$label: --merge puts pc-q35-$release back into a copy that lacks it"
    fi
}

# check_merge_board BIN: --merge on an unversioned board family (PowerNV):
# a board the binary has but the copy's list lacks becomes a <type added>,
# one the list has but the binary lacks leaves the list for a <type removed>
check_merge_board() {
    bin=$1
    merge_into_copy "$bin" powernv.xml \
        's|\(<machines arch="ppc64 ppc64le">powernv\) \(powernv8 powernv9\) powernv10<|\1 powernv7 \2<|'
    if grep -q "powernv7 powernv8" "$tmp/kb-copy/powernv.xml" &&
       grep -qx "powernv: + powernv10, added in $2" "$tmp/merge.out" &&
       grep -qx "powernv: powernv7 removed in $2 (or left out of this build)" "$tmp/merge.out" &&
       grep -q '<machines arch="ppc64 ppc64le">powernv powernv8 powernv9</machines>' "$tmp/merged/powernv.xml" &&
       grep -q '<type name="powernv7" arch="ppc64 ppc64le" removed="'"$2"'"/>' "$tmp/merged/powernv.xml" &&
       xmllint --noout --relaxng "$top_srcdir/schemas/machines.rng" "$tmp/merged/powernv.xml" 2>/dev/null; then
        ok "$bin: --merge of a board family: a missing board added, a gone one moved out of the list"
    else
        merge_failed "$bin: --merge of a board family: a missing board added, a gone one moved out of the list"
    fi
}

check_not_qemu() {
    printf '#!/bin/sh\nexec sleep 30\n' >"$tmp/hang"
    chmod +x "$tmp/hang"
    start=$(date +%s)
    "$DOMLINT" probe --qemu="$tmp/hang" --timeout=1 >/dev/null 2>"$tmp/cat.err"
    rc=$?
    end=$(date +%s)
    if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/cat.err")" -eq 1 ] && [ $((end - start)) -le 5 ]; then
        ok "a binary that hangs: one-line error, exit 2, within the time limit"
    else
        not_ok "a binary that hangs: one-line error, exit 2, within the time limit (rc=$rc)"
    fi
    diag <"$tmp/cat.err"
    "$DOMLINT" probe --qemu=/bin/echo >/dev/null 2>"$tmp/echo.err"
    rc=$?
    if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/echo.err")" -eq 1 ] && grep -q 'not QEMU' "$tmp/echo.err"; then
        ok "a binary that is not QEMU: one-line error, exit 2"
    else
        not_ok "a binary that is not QEMU: one-line error, exit 2 (rc=$rc)"
    fi
    diag <"$tmp/echo.err"
}

for bin in qemu-system-x86_64 qemu-system-aarch64 qemu-system-ppc64 qemu-system-ppc qemu-system-s390x; do
    check_binary "$bin"
done

roots=$(release_roots)
missing=$(release_roots_missing)
if [ -n "$missing" ]; then
    roots=
    skip "$missing: other releases not compared with a real QEMU"
else
    EXPECTED="$EXPECTED|$RELEASE_EXPECTED"
    for suite in $(echo "$roots" | awk '{print $1}'); do
        root=$(echo "$roots" | awk -v s="$suite" '$1 == s {print $2}')
        mkdir -p "$tmp/$suite"
        for bin in qemu-system-x86_64 qemu-system-aarch64 qemu-system-ppc64 qemu-system-ppc qemu-system-s390x; do
            [ -x "$root/usr/bin/$bin" ] || continue
            root_wrapper "$root" "$bin" "$tmp/$suite/$bin"
            check_binary "$suite-$bin" "$tmp/$suite/$bin"
        done
    done
fi
check_write
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
    v=$("$DOMLINT" --qemu=qemu-system-x86_64 --version 2>/dev/null | sed -n 's/^  qemu *\([0-9.]*\) .*/\1/p')
    [ -n "$v" ] && check_merge qemu-system-x86_64 qemu-system-x86_64 "$v"
fi
for suite in $(echo "$roots" | awk '{print $1}'); do
    v=$(echo "$roots" | awk -v s="$suite" '$1 == s {print $4}')
    [ -x "$tmp/$suite/qemu-system-x86_64" ] && check_merge "$suite-qemu-system-x86_64" "$tmp/$suite/qemu-system-x86_64" "$v" "$RELEASE_EXPECTED"
done
if command -v qemu-system-ppc64 >/dev/null 2>&1; then
    v=$("$DOMLINT" --qemu=qemu-system-ppc64 --version 2>/dev/null | sed -n 's/^  qemu *\([0-9]*\.[0-9]*\).*/\1/p')
    [ -n "$v" ] && check_merge_board qemu-system-ppc64 "$v"
fi
check_not_qemu
done_testing
