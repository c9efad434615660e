#!/bin/sh
# targets.sh - every release's machine types, on a bare machine and on their own platform
#
# For each family with versioned types (i440fx, q35, ARM virt, pSeries,
# s390 CCW) and each release with a real oracle here (QEMU 5.2, 7.2, 10.0,
# 11.1), a minimal domain with that release's newest type must be:
#   - clean (exit 0) with no --target on a machine without QEMU or libvirt
#     (DOMLINT_HOST=none: the newest release known is the target), where an
#     old type may only get a deprecation warning;
#   - clean without a single finding with --target of its own platform;
#   - an error naming the release that has it on the platform before it.
# Then the named platforms: every one of --list-targets resolves, and its
# aliases name a type of that platform.  Speaks TAP.
. "$(dirname "$0")/lib.sh"
need_domlint
make_tmp
unset DOMLINT_TARGET

# domain ARCH MACHINE > file
domain() {
    case $1 in
        s390x) emu=s390x ;;
        ppc64) emu=ppc64 ;;
        aarch64) emu=aarch64 ;;
        *) emu=x86_64 ;;
    esac
    cat <<XML
<domain type='qemu'>
  <name>t</name>
  <memory unit='MiB'>512</memory>
  <os><type arch='$1' machine='$2'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-$emu</emulator>
  </devices>
</domain>
XML
}

# release platform previous-platform
for rel in "5.2 debian-11 -" "7.2 debian-12 debian-11" "10.0 debian-13 debian-12" "11.1 debian-sid debian-13"; do
    set -- $rel
    v=$1 platform=$2 before=$3
    for fam in "x86_64 pc-i440fx-" "x86_64 pc-q35-" "aarch64 virt-" "ppc64 pseries-" "s390x s390-ccw-virtio-"; do
        arch=${fam% *} machine=${fam#* }$v
        f=$tmp/$machine.xml
        domain "$arch" "$machine" > "$f"
        DOMLINT_HOST=none "$DOMLINT" --no-schema --color=never --format=text-short "$f" > "$tmp/out" 2>&1
        rc=$?
        if [ $rc = 0 ] && ! grep -v -e 'deprecated in QEMU' -e ': note: suggestion: use ' "$tmp/out" | grep -q .; then
            ok "$machine: clean on a bare machine (newest known release)"
        else
            not_ok "$machine: clean on a bare machine (exit $rc)"; diag "$tmp/out"
        fi
        "$DOMLINT" --no-schema --color=never --format=text-short --target="$platform" "$f" > "$tmp/out" 2>&1
        rc=$?
        if [ $rc = 0 ] && [ ! -s "$tmp/out" ]; then
            ok "$machine: no finding with --target=$platform"
        else
            not_ok "$machine: no finding with --target=$platform (exit $rc)"; diag "$tmp/out"
        fi
        [ "$before" = - ] && continue
        "$DOMLINT" --no-schema --color=never --format=text-short --target="$before" "$f" > "$tmp/out" 2>&1
        rc=$?
        if [ $rc = 1 ] && grep -q "\\[machine-type\\]" "$tmp/out" && grep -q "needs QEMU $v or later" "$tmp/out"; then
            ok "$machine: with --target=$before an error that names QEMU $v"
        else
            not_ok "$machine: with --target=$before an error that names QEMU $v (exit $rc)"; diag "$tmp/out"
        fi
    done
done

"$DOMLINT" --list-targets > "$tmp/list" 2>&1 || not_ok "--list-targets runs"
for platform in $(awk 'NR > 1 && NF > 3 && $1 ~ /-/ {print $1}' "$tmp/list"); do
    "$DOMLINT" --target="$platform" --version > "$tmp/out" 2>&1
    rc=$?
    if [ $rc = 0 ] && grep -q "^target: .*($platform: " "$tmp/out"; then
        ok "--target=$platform resolves: $(sed -n 's/^target: //p' "$tmp/out")"
    else
        not_ok "--target=$platform resolves (exit $rc)"; diag "$tmp/out"
    fi
    domain x86_64 q35 > "$tmp/q35.xml"
    "$DOMLINT" --no-schema --format=json --target="$platform" "$tmp/q35.xml" > "$tmp/json" 2>&1
    machine=$(sed -n 's/^ *"machine" : "\(.*\)",$/\1/p' "$tmp/json" | head -n 1)
    case $machine in
        pc-q35-*) ok "--target=$platform: alias q35 is $machine" ;;
        *) not_ok "--target=$platform: alias q35 names a q35 type (got '$machine')"; diag "$tmp/json" | head -20 ;;
    esac
done

# the JSON report records the target, and follows its schema
domain x86_64 q35 > "$tmp/q35.xml"
"$DOMLINT" --no-schema --format=json --target=rhel-9.6 "$tmp/q35.xml" > "$tmp/report.json" 2>&1
if have_jsonschema; then
    check "the JSON report records the target and follows schemas/domlint-report.schema.json" \
        "$(report_schema_problems "$tmp/report.json" 't = report["target"]
assert t["platform"] == "rhel-9.6" and t["vendor"] == "rhel" and t["qemu"]["version"] == "9.1", t')"
else
    skip "python3-jsonschema not installed: the JSON report was not checked against its schema"
fi

done_testing
