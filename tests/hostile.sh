#!/bin/bash
# hostile.sh — domlint on broken, hostile and huge input.
#
# Every case runs domlint on one hostile input together with a small good
# domain (good.xml, one known disk-bus error) and asserts:
#   - no crash and no sanitizer report (the build may be ASan/UBSan),
#   - no hang (every run is under 'timeout'),
#   - the expected exit status: 2 when the input cannot be checked, 1 when
#     it is checked and has findings,
#   - for a failed input: exactly one line on stderr, naming the file,
#   - good.xml's finding is still in the output (the run went on),
# and, at the end, that no input file was modified.
#
# Large inputs are generated here, in a temporary directory, at test time.
#
# What happens for each input (domlint 0.1.0, ASan+UBSan build):
#
#   case                         exit  what domlint says
#   ---------------------------  ----  ---------------------------------------
#   empty file                     2   "empty file"
#   symlink *.xml -> directory     2   "is a directory" (found by dir expansion)
#   dir with subdir named x.xml    1   x.xml/ is recursed into, its files checked
#   unreadable directory           2   "cannot read directory: ... Permission denied"
#   unreadable file (nobody/000)   2   "cannot open: Permission denied"
#   dangling symlink               2   "dangling symbolic link"
#   FIFO (named, or found as *.xml) 2  "not a regular file (a FIFO, socket or device is not read)"
#   invalid UTF-8                  2   "file is not valid UTF-8"
#   NUL bytes                      2   "file contains NUL bytes; it is not XML text"
#   UTF-16                         2   "UTF-16 is not supported; convert the file to UTF-8 (...)"
#   non-domain root <html>         2   "root element is <html>, not <domain>: ..."
#   entity -> /etc/passwd          2   "document declares or references XML entities ..."
#   entity -> http URL             2   same; strace: no open of /etc/passwd, no connect()
#   DTD -> local file              2   "document refers to an external DTD; domlint never loads one"
#   DTD -> http URL                2   same
#   billion laughs                 2   "document declares or references XML entities ..."
#   100 MB in one attribute        2   "file is larger than 8 MiB" (read stops at 8 MiB)
#   100 000 nested elements        2   "elements are nested deeper than 256 levels"
#   100 000 devices                0   checked; about 25 s, almost all of it in
#                                      libxml2's RELAX NG validation, which is
#                                      quadratic in the number of <devices>
#                                      children (0.6 s with --no-schema)
#   machine of 10 000 characters   1   [machine-type] "QEMU 7.2 has no machine
#                                      type '...'", the whole name quoted (a
#                                      10 160-character line)
#   PCI address hex out of range   1   [pci-address-syntax] "slot='0x40' is out of range"
#   PCI address decimal too big    1   [pci-address-syntax] "slot='32' is out of range"
#   PCI address negative           1   [pci-address-syntax] "slot='-1' is not a number"
#   PCI address not a number       1   [pci-address-syntax] "slot='zz' is not a number"
#   PCI address overflow           1   [pci-address-syntax] "...='99999999999999999999999' is not a number"
#   PCI bus > 0xff, function 8     1   [pci-address-syntax] "... is out of range"
#   drive bus -1, unit 2^32+1      1   [schema] only: "Extra element devices in
#                                      interleave" at <devices>, line 5
#   drive unit -1, --no-schema     0   NOTHING: not reported (bug, test fails)
#   drive unit 0x1, --no-schema    0   NOTHING: not reported (bug, test fails)
#   drive controller 2^66, --no-schema 0  NOTHING: not reported (bug, test fails)
#
# (end of table)
#
# Output is TAP.  Environment: as for every script (tests/lib.sh);
# HOSTILE_BIG=0 leaves out the three large generated inputs.

set -u
. "$(dirname "$0")/lib.sh"
BIG=${HOSTILE_BIG:-1}

need_domlint
make_tmp
# the unreadable-file cases run as nobody, who must reach the good file
chmod 755 "$tmp"
in=$tmp/in        # inputs: must not change
out=$tmp/out      # what domlint printed
mkdir -p "$in" "$out"
chmod 755 "$in" "$out"

# ------------------------------------------------------------ the table
sed -n '/^# What happens for each input/,/^# (end of table)/p' "$0"

# ------------------------------------------------------------ inputs
HEAD="<domain type='kvm'>
  <name>t</name>
  <memory>1048576</memory>
  <os><type arch='x86_64' machine='MACHINE'>hvm</type></os>
  <devices>"
TAIL="  </devices>
</domain>"

# head MACHINE: the first five lines of a domain of that machine type
head5() {
    printf '%s\n' "${HEAD/MACHINE/$1}"
}

{ head5 pc-q35-7.2
  printf "    <disk type='file' device='cdrom'>\n      <target dev='hdc' bus='ide'/>\n    </disk>\n"
  printf '%s\n' "$TAIL"; } > "$in/good.xml"
GOOD_FINDING="good.xml:6:5: error: disk 'hdc' uses bus='ide'"

: > "$in/empty.xml"
printf '<domain type="kvm"><name>\377\376</name></domain>\n' > "$in/bad-utf8.xml"
printf '<domain type="kvm"><name>a\000b</name></domain>\n' > "$in/nul.xml"
printf '\377\376<\000d\000o\000m\000a\000i\000n\000/\000>\000' > "$in/utf16.xml"
printf '<html><body/></html>\n' > "$in/not-domain.xml"
ln -s "$tmp/nonexistent/x.xml" "$in/dangling.xml"

cat > "$in/xxe-file.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE domain [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
<domain type='kvm'><name>&x;</name></domain>
EOF
cat > "$in/xxe-http.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE domain [ <!ENTITY x SYSTEM "http://127.0.0.1:9/secret"> ]>
<domain type='kvm'><name>&x;</name></domain>
EOF
cat > "$in/dtd-file.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE domain SYSTEM "/etc/passwd">
<domain type='kvm'><name>x</name></domain>
EOF
cat > "$in/dtd-http.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE domain PUBLIC "-//domlint//hostile//EN" "http://127.0.0.1:9/domain.dtd">
<domain type='kvm'><name>x</name></domain>
EOF
cat > "$in/laughs.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE domain [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<domain type='kvm'><name>&i;</name></domain>
EOF

# directories: a symlink named *.xml to a directory is picked up by the
# expansion as a file; a real subdirectory named x.xml is recursed into
mkdir -p "$in/tree/x.xml" "$in/emptydir"
cp "$in/good.xml" "$in/tree/a.xml"
cp "$in/good.xml" "$in/tree/x.xml/inner.xml"
# a FIFO given by name and one found as *.xml in a directory: never opened for
# a blocking read (nothing ever writes to them)
mkfifo "$in/fifo.xml"
mkdir -p "$in/withfifo"
mkfifo "$in/withfifo/pipe.xml"
cp "$in/good.xml" "$in/withfifo/a.xml"
mkdir -p "$in/linked"
ln -s "$in/emptydir" "$in/linked/y.xml"
cp "$in/good.xml" "$in/linked/a.xml"
mkdir -p "$in/locked"
cp "$in/good.xml" "$in/locked/a.xml"
cp "$in/good.xml" "$in/locked.xml"

{ head5 "pc-q35-$(printf '%*s' 9993 '' | tr ' ' x)"; printf '%s\n' "$TAIL"; } > "$in/long-machine.xml"

# pci_case NAME ATTRS: a virtio NIC whose PCI address (line 9) has ATTRS
pci_case() {
    { head5 pc-q35-7.2
      printf "    <interface type='network'>\n      <source network='default'/>\n      <model type='virtio'/>\n"
      printf "      <address type='pci' %s/>\n" "$2"
      printf "    </interface>\n"
      printf '%s\n' "$TAIL"; } > "$in/$1.xml"
}
pci_case pci-hex-range "domain='0x0000' bus='0x00' slot='0x40' function='0x0'"
pci_case pci-dec-range "domain='0' bus='0' slot='32' function='0'"
pci_case pci-negative "domain='0x0000' bus='0x00' slot='-1' function='0x0'"
pci_case pci-not-number "domain='0x0000' bus='0x00' slot='zz' function='0x0'"
pci_case pci-overflow "domain='0x0000' bus='0x00' slot='99999999999999999999999' function='0x0'"
pci_case pci-overflow64 "domain='0x0000' bus='18446744073709551617' slot='0x01' function='0x0'"
pci_case pci-bus-range "domain='0x0000' bus='0x100' slot='0x01' function='0x0'"
pci_case pci-function-8 "domain='0x0000' bus='0x00' slot='0x05' function='0x8'"
pci_case pci-hex-garbage "domain='0x0000' bus='0x00' slot='0x' function='0x0'"
{ head5 pc-i440fx-7.2
  printf "    <disk type='file' device='disk'>\n      <target dev='hda' bus='ide'/>\n"
  printf "      <address type='drive' controller='0' bus='-1' target='0' unit='4294967297'/>\n"
  printf "    </disk>\n"
  printf '%s\n' "$TAIL"; } > "$in/drive-range.xml"
# drive_case NAME ATTRS: an IDE disk whose drive address (line 8) has ATTRS
drive_case() {
    { head5 pc-i440fx-7.2
      printf "    <disk type='file' device='disk'>\n      <target dev='hda' bus='ide'/>\n"
      printf "      <address type='drive' %s/>\n" "$2"
      printf "    </disk>\n"
      printf '%s\n' "$TAIL"; } > "$in/$1.xml"
}
drive_case drive-negative "controller='0' bus='0' target='0' unit='-1'"
drive_case drive-hex "controller='0' bus='0' target='0' unit='0x1'"
drive_case drive-overflow "controller='99999999999999999999' bus='0' target='0' unit='0'"

if [ "$BIG" != 0 ]; then
    # 100 MB of text in one attribute
    { printf "<domain type='kvm'><name x='"
      head -c 104857600 /dev/zero | tr '\0' a
      printf "'>t</name></domain>\n"; } > "$in/big-attr.xml"
    # 100 000 nested elements
    awk 'BEGIN { printf "<domain type=\"kvm\">"
                 for (i = 0; i < 100000; i++) printf "<a>"
                 for (i = 0; i < 100000; i++) printf "</a>"
                 print "</domain>" }' > "$in/deep.xml"
    # 100 000 devices, all valid: PS/2 mice
    { head5 pc-q35-7.2
      awk 'BEGIN { for (i = 0; i < 100000; i++) print "    <input type=\"mouse\" bus=\"ps2\"/>" }'
      printf '%s\n' "$TAIL"; } > "$in/many-devices.xml"
fi

touch "$tmp/stamp"
sleep 1

# ------------------------------------------------------------ helpers
if [ "$BIG" != 0 ]; then
    plan 35
else
    plan 32
fi

# show FILE: the first lines of FILE as TAP comments (cut to 300 columns)
show() {
    head -n 8 "$1" | cut -c1-300 | sed 's/^/#     /'
}

# Runs of domlint: PREFIX is prepended to the command (setpriv, strace),
# LIMIT is the timeout in seconds.  Sets rc, and leaves $out/NAME.{out,err}.
PREFIX=()
LIMIT=60
SHOW_RE=
run() {
    local name=$1
    shift
    local start=$SECONDS
    (cd "$in" && timeout -k 5 "$LIMIT" "${PREFIX[@]}" "$DOMLINT" --color=never --quiet "$@") \
        > "$out/$name.out" 2> "$out/$name.err"
    rc=$?
    elapsed=$((SECONDS - start))
}

# problems NAME EXPECT_RC: common assertions; prints one problem per line
problems() {
    local name=$1 want=$2
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        echo "timed out after ${LIMIT}s"
    elif [ "$rc" != "$want" ]; then
        echo "exit status $rc, expected $want"
    fi
    if grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|Segmentation fault|Aborted' "$out/$name.err"; then
        echo "sanitizer or crash report on stderr"
    fi
    if ! grep -qF "$GOOD_FINDING" "$out/$name.out"; then
        echo "good.xml, checked in the same run, lost its finding"
    fi
}

# fails_cleanly DESC NAME FILE [ARGS...]: FILE cannot be checked: exit 2, one
# line on stderr naming FILE, and good.xml still checked
fails_cleanly() {
    local desc=$1 name=$2 file=$3
    shift 3
    run "$name" "$@"
    local p
    p=$(problems "$name" 2)
    local lines
    lines=$(grep -c '' "$out/$name.err")
    [ "$lines" = 1 ] || p="$p${p:+
}stderr has $lines lines, expected 1"
    grep -qF -- "$file" "$out/$name.err" || p="$p${p:+
}stderr does not name '$file'"
    report "$desc" "$name" "$p"
}

# has_finding DESC NAME RULE_REGEX FILE [ARGS...]: FILE is checked and has a
# finding of a rule matching RULE_REGEX: exit 1, nothing on stderr
has_finding() {
    local desc=$1 name=$2 rules=$3 file=$4
    shift 4
    run "$name" "$@"
    local p
    p=$(problems "$name" 1)
    [ -s "$out/$name.err" ] && p="$p${p:+
}unexpected output on stderr"
    grep -qE "^$file:[0-9]+(:[0-9]+)?: error: .*\[($rules)\]\$" "$out/$name.out" || p="$p${p:+
}no error of rule '$rules' for $file"
    SHOW_RE="\[($rules)\]\$"
    report "$desc" "$name" "$p"
    SHOW_RE=
}

report() {
    local desc=$1 name=$2 p=$3
    if [ -z "$p" ]; then
        local said
        said=$(cat "$out/$name.err" "$out/$name.out" | grep -v '^good\.xml:' | grep -E -- "${SHOW_RE:-.}" | head -n 1 | cut -c1-150)
        ok "$desc (exit $rc, ${elapsed}s): $said"
    else
        not_ok "$desc" "$p" "stdout:"
        show "$out/$name.out"
        echo "#   stderr:"
        show "$out/$name.err"
    fi
}

# ------------------------------------------------------------ cases
fails_cleanly "empty file" empty empty.xml empty.xml good.xml
fails_cleanly "invalid UTF-8" utf8 bad-utf8.xml bad-utf8.xml good.xml
fails_cleanly "NUL bytes" nul nul.xml nul.xml good.xml
fails_cleanly "UTF-16 with a byte-order mark" utf16 utf16.xml utf16.xml good.xml
fails_cleanly "non-domain root element" notdomain not-domain.xml not-domain.xml good.xml
fails_cleanly "dangling symbolic link" dangling dangling.xml dangling.xml good.xml
fails_cleanly "symlink named *.xml to a directory, found by expansion" linked linked/y.xml linked good.xml
fails_cleanly "billion laughs" laughs laughs.xml laughs.xml good.xml
fails_cleanly "a FIFO named on the command line" fifo fifo.xml fifo.xml good.xml
fails_cleanly "a FIFO named *.xml, found by expansion" withfifo withfifo/pipe.xml withfifo good.xml

# a directory holding a subdirectory named x.xml: recursed into, not opened
run tree tree good.xml
p=$(problems tree 1)
[ -s "$out/tree.err" ] && p="$p${p:+
}unexpected output on stderr"
grep -qF "tree/x.xml/inner.xml:6:5: error:" "$out/tree.out" || p="$p${p:+
}tree/x.xml/inner.xml was not checked"
grep -qF "tree/a.xml:6:5: error:" "$out/tree.out" || p="$p${p:+
}tree/a.xml was not checked"
report "directory with a subdirectory named x.xml" tree "$p"

# unreadable file and directory: as nobody when root (root reads anything)
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv > /dev/null; then
        PREFIX=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    elif command -v runuser > /dev/null; then
        PREFIX=(runuser -u nobody --)
    else
        PREFIX=(false)
    fi
fi
if [ "${PREFIX[0]:-}" = false ]; then
    skip "unreadable file" "running as root without setpriv or runuser"
    skip "unreadable directory" "running as root without setpriv or runuser"
else
    chmod 000 "$in/locked.xml" "$in/locked"
    fails_cleanly "unreadable file" unreadable locked.xml locked.xml good.xml
    fails_cleanly "unreadable directory" unreadable-dir locked locked good.xml
    chmod 755 "$in/locked"
    chmod 644 "$in/locked.xml"
fi
PREFIX=()

# external entities and DTDs: refused, and nothing is opened or fetched
if strace -f -o /dev/null true 2> /dev/null; then
    have_strace=1
else
    have_strace=0
fi
# no_access DESC NAME FILE: FILE fails cleanly and /etc/passwd is neither
# opened nor printed, and no socket is connected
no_access() {
    local desc=$1 name=$2 file=$3
    if [ "$have_strace" = 1 ]; then
        # LeakSanitizer cannot run under ptrace; libtool's wrapper script
        # (which runs ls, and so reads /etc/passwd) is bypassed
        PREFIX=(env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=open,openat,connect -o "$out/$name.strace")
        [ -x "$top_builddir/libtool" ] && PREFIX=("$top_builddir/libtool" --mode=execute "${PREFIX[@]}")
    fi
    run "$name" "$file" good.xml
    PREFIX=()
    local p
    p=$(problems "$name" 2)
    [ "$(grep -c '' "$out/$name.err")" = 1 ] || p="$p${p:+
}stderr is not one line"
    grep -qF -- "$file" "$out/$name.err" || p="$p${p:+
}stderr does not name '$file'"
    if grep -q 'root:' "$out/$name.out" "$out/$name.err"; then
        p="$p${p:+
}/etc/passwd content in the output"
    fi
    if [ "$have_strace" = 1 ]; then
        grep -F '/etc/passwd' "$out/$name.strace" | grep -vq ENOENT && p="$p${p:+
}/etc/passwd was opened: $(grep -F /etc/passwd "$out/$name.strace" | head -n 1)"
        grep -qF "\"$file\"" "$out/$name.strace" || p="$p${p:+
}the trace does not show $file being opened: it traced the wrong process"
        grep -q 'connect(' "$out/$name.strace" && p="$p${p:+
}a socket was connected: $(grep 'connect(' "$out/$name.strace" | head -n 1)"
        desc="$desc, strace: nothing opened or connected"
    else
        desc="$desc, no strace: output checked only"
    fi
    report "$desc" "$name" "$p"
}
no_access "external entity to /etc/passwd" xxe-file xxe-file.xml
no_access "external entity to an http URL" xxe-http xxe-http.xml
no_access "DTD pointing at a local file" dtd-file dtd-file.xml
no_access "DTD pointing at an http URL" dtd-http dtd-http.xml

# a machine type of 10 000 characters: checked, an unknown machine type
has_finding "machine attribute of 10 000 characters" long-machine machine-type long-machine.xml long-machine.xml good.xml

# numeric address fields: findings, not failures
has_finding "PCI slot out of range (hex)" pci-hex-range pci-address-syntax pci-hex-range.xml pci-hex-range.xml good.xml
has_finding "PCI slot out of range (decimal)" pci-dec-range pci-address-syntax pci-dec-range.xml pci-dec-range.xml good.xml
has_finding "PCI slot negative" pci-negative pci-address-syntax pci-negative.xml pci-negative.xml good.xml
has_finding "PCI slot not a number" pci-not-number pci-address-syntax pci-not-number.xml pci-not-number.xml good.xml
has_finding "PCI slot overflows 64 bits" pci-overflow pci-address-syntax pci-overflow.xml pci-overflow.xml good.xml
has_finding "PCI bus 2^64+1" pci-overflow64 pci-address-syntax pci-overflow64.xml pci-overflow64.xml good.xml
has_finding "PCI bus 0x100" pci-bus-range pci-address-syntax pci-bus-range.xml pci-bus-range.xml good.xml
has_finding "PCI function 8" pci-function-8 pci-address-syntax pci-function-8.xml pci-function-8.xml good.xml
has_finding "PCI slot '0x'" pci-hex-garbage pci-address-syntax pci-hex-garbage.xml pci-hex-garbage.xml good.xml
has_finding "drive address negative bus, unit 2^32+1" drive-range 'drive-address|schema' drive-range.xml drive-range.xml good.xml
# the same without the schema: domlint's own rule must see them (the
# schema is optional, and where it is missing nothing else would)
has_finding "drive unit -1, --no-schema" drive-negative drive-address drive-negative.xml --no-schema drive-negative.xml good.xml
has_finding "drive unit 0x1, --no-schema" drive-hex drive-address drive-hex.xml --no-schema drive-hex.xml good.xml
has_finding "drive controller overflow, --no-schema" drive-overflow drive-address drive-overflow.xml --no-schema drive-overflow.xml good.xml

if [ "$BIG" != 0 ]; then
    fails_cleanly "100 MB of text in one attribute" big-attr big-attr.xml big-attr.xml good.xml
    fails_cleanly "100 000 nested elements" deep deep.xml deep.xml good.xml
    # must be checked, not refused, in reasonable time
    LIMIT=120
    run many many-devices.xml good.xml
    LIMIT=60
    p=$(problems many 1)
    [ -s "$out/many.err" ] && p="$p${p:+
}unexpected output on stderr (many-devices.xml must be checked)"
    # the one expected line: schema validation is skipped above 5000 devices
    grep '^many-devices.xml:' "$out/many.out" | grep -qv 'warning: schema validation skipped' && p="$p${p:+
}findings for many-devices.xml, which is valid"
    grep -q 'warning: schema validation skipped' "$out/many.out" || p="$p${p:+
}no warning that schema validation was skipped"
    report "100 000 devices checked within 120s" many "$p"
fi

# nothing domlint read was changed
changed=$(find "$in" -newer "$tmp/stamp" ! -type d 2> /dev/null)
if [ -z "$changed" ]; then
    ok "no input file was modified"
else
    not_ok "no input file was modified" $changed
fi

done_testing
