# lib.sh - what every TAP script of tests/ shares; each sources it first:
#     . "$(dirname "$0")/lib.sh"
# POSIX sh (some scripts run under dash).  Sourcing only defines things and
# sets the paths; nothing is printed and no trap is set until a script asks.
#
# Paths: top_srcdir, top_builddir (set by 'make check'; by hand, the
# directory above tests/ and its build/), DOMLINT (the built binary),
# FIXTURES, and DOMLINT_DATA_DIR (the source tree's data unless set), so a
# script also runs by hand outside make.
#
# TAP: ok, not_ok, check, skip, skip_all, bail_out, plan, done_testing; the
# test number is $n and the failures $failed.
#
# Also: a temporary directory removed on exit (make_tmp), the fixture lists,
# the golden-file loop of golden.sh and fix.sh, the slow-test switch
# (DOMLINT_SKIP_SLOW) and the libvirt oracle: can it run here, which one
# (the host's libvirt or a Debian release root), and its lock.  What libvirt
# itself needs (root, virsh, an embed root) is in libvirt-env.sh, which the
# oracle program libvirt-oracle.sh uses without the TAP part.

here=$(cd "$(dirname "$0")" && pwd)
test_name=${0##*/}
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
top_builddir=${top_builddir:-$top_srcdir/build}
if [ -d "$top_builddir" ]; then
    top_builddir=$(cd "$top_builddir" && pwd)
fi
DOMLINT=${DOMLINT:-$top_builddir/domlint}
FIXTURES=$top_srcdir/fixtures
DOMLINT_DATA_DIR=${DOMLINT_DATA_DIR:-$top_srcdir/data}
LC_ALL=C
export DOMLINT_DATA_DIR LC_ALL

. "$top_srcdir/tests/libvirt-env.sh"

# ---------------------------------------------------------------- TAP
n=0
failed=0
planned=

# plan N: the plan up front (scripts that know their count); done_testing
# then checks it instead of printing one
plan() {
    planned=$1
    echo "1..$1"
}

# diag [FILE...]: the files (or standard input) as TAP comment lines
diag() {
    sed 's/^/#   /' "$@"
}

ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}

# not_ok DESC [DETAIL...]: a failure; each DETAIL (any number of lines)
# follows as comment lines
not_ok() {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
    shift
    local detail
    for detail in "$@"; do
        [ -z "$detail" ] || printf '%s\n' "$detail" | diag
    done
}

# check DESC PROBLEMS: ok when PROBLEMS (one per line) is empty, else a
# failure listing them
check() {
    if [ -z "$2" ]; then
        ok "$1"
    else
        not_ok "$1" "$2"
    fi
}

# skip REASON, or skip DESC REASON: a test that could not run here, said on
# stderr too
skip() {
    n=$((n + 1))
    if [ $# -gt 1 ]; then
        echo "ok $n - $1 # SKIP $2"
    else
        echo "ok $n # SKIP $1"
    fi
    echo "$test_name: SKIP $1${2:+: $2}" >&2
}

# skip_all REASON: the whole script cannot run here; says so and exits
skip_all() {
    echo "1..0 # SKIP $1"
    echo "$test_name: SKIPPED: $1" >&2
    exit 0
}

bail_out() {
    echo "Bail out! $1"
    exit 99
}

# done_testing [HINT]: the plan when none was given, a comment counting the
# failures (with HINT: what to do), exit status 0 when none failed
done_testing() {
    if [ -z "$planned" ]; then
        echo "1..$n"
    elif [ "$n" != "$planned" ]; then
        echo "Bail out! planned $planned tests, ran $n"
    fi
    if [ "$failed" != 0 ]; then
        echo "# $failed of $n tests failed${1:+; $1}"
        exit 1
    fi
    exit 0
}

# need_domlint: bail out unless domlint is built
need_domlint() {
    [ -x "$DOMLINT" ] || bail_out "domlint is not built: $DOMLINT"
}

# ---------------------------------------------------------------- files
# make_tmp: $tmp, a fresh directory removed on exit (made writable first:
# some tests take permissions away); an interrupt exits 99.  A script that
# has more to undo sets at_exit to a command first.
at_exit=
make_tmp() {
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/${test_name%.sh}.XXXXXX") || bail_out "mktemp failed"
    trap lib_cleanup EXIT
    trap 'exit 99' INT TERM HUP
}
lib_cleanup() {
    [ -z "$at_exit" ] || eval "$at_exit"
    chmod -R u+rwx "$tmp" 2>/dev/null
    rm -rf "$tmp"
}

# killer_shim SO: the LD_PRELOAD fault-injection shim tests/killer.c built
# as SO with $CC (cc when that is not installed); the compiler's messages in
# $tmp/killer.err
killer_shim() {
    local cc=${CC:-cc}
    command -v "${cc%% *}" >/dev/null 2>&1 || cc=cc
    $cc -shared -fPIC -o "$1" "$here/killer.c" -ldl 2> "$tmp/killer.err"
}

# fixture_files [--corpus]: every fixture (fixtures/**/*.xml but the
# *.fixed.xml outputs), absolute, sorted; with --corpus also every case of
# ../shared/corpus/public when ../shared is beside the project
fixture_files() {
    {
        find "$FIXTURES" -name '*.xml' ! -name '*.fixed.xml'
        if [ "${1:-}" = --corpus ] && [ -d "$top_srcdir/../shared/corpus/public" ]; then
            ls "$top_srcdir"/../shared/corpus/public/*.xml
        fi
    } | sort
}

# have_jsonschema: whether python3-jsonschema is there to check JSON reports
have_jsonschema() {
    /usr/bin/python3 -c 'import jsonschema' 2>/dev/null
}

# report_schema_problems REPORT [PYTHON]: why the JSON report REPORT does
# not follow schemas/domlint-report.schema.json (or fails PYTHON's asserts
# on 'report'): the end of python's complaint; nothing when it does
report_schema_problems() {
    /usr/bin/python3 - "$top_srcdir/schemas/domlint-report.schema.json" "$1" "${2:-}" 2>&1 <<'PY' | tail -n 5
import json, sys, jsonschema
schema, report = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.validate(report, schema)
exec(sys.argv[3])
PY
}

# display_name FILE: FILE relative to the source tree, or shared/...
display_name() {
    echo "$1" | sed "s|^$top_srcdir/||; s|^.*/shared/|shared/|"
}

# ---------------------------------------------------------------- goldens
# golden_mode [-u]: $mode, check or, with -u, update (rewrite the goldens
# from the current domlint, like libxml2's runtest -u); else a usage error
golden_mode() {
    mode=check
    case ${1:-} in
        -u) mode=update ;;
        '') ;;
        *) echo "usage: $test_name [-u]" >&2; exit 2 ;;
    esac
}

# golden MODE CASES RUN PREFIX SUFFIX...: the loop of golden.sh and fix.sh.
# CASES is a file of fixture names (relative to fixtures/, without .xml),
# one a line; for each, RUN NAME writes what domlint makes of it into
# $tmp/actual.SUFFIX for every SUFFIX (".expected", ".fixed.xml"), to be
# compared with fixtures/NAME.SUFFIX.  MODE check: one test a case, named
# PREFIX NAME, a failure showing the diff; MODE update (-u): the golden
# files that differ are rewritten, each named, and nothing is tested.
golden() {
    local mode=$1 cases=$2 run=$3 prefix=$4 changed=0 files=0 name suffix want missing diffs
    shift 4
    while read -r name; do
        "$run" "$name" < /dev/null
        missing= diffs=
        for suffix in "$@"; do
            want=$FIXTURES/$name$suffix
            files=$((files + 1))
            if [ "$mode" = update ]; then
                cmp -s "$want" "$tmp/actual$suffix" && continue
                cp "$tmp/actual$suffix" "$want"
                echo "updated: fixtures/$name$suffix"
                changed=$((changed + 1))
            elif [ ! -f "$want" ]; then
                missing="$missing${missing:+, }fixtures/$name$suffix"
            elif ! cmp -s "$want" "$tmp/actual$suffix"; then
                diffs="$diffs${diffs:+
}$(diff -u --label "$name$suffix" --label "$name$suffix (actual)" "$want" "$tmp/actual$suffix")"
            fi
        done
        [ "$mode" = update ] && continue
        if [ -n "$missing" ]; then
            not_ok "$prefix$name" "$missing missing: create with tests/$test_name -u and review"
        else
            check "$prefix$name" "$diffs"
        fi
    done < "$cases"
    [ "$mode" = update ] && echo "$changed of $files golden files changed"
    return 0
}

# ---------------------------------------------------------------- slow tests
# skip_slow WHAT: make distcheck sets DOMLINT_SKIP_SLOW: a slow test (WHAT,
# minutes) has already run in the developer tree, so the dist copy skips it
skip_slow() {
    [ -z "${DOMLINT_SKIP_SLOW:-}" ] ||
        skip_all "DOMLINT_SKIP_SLOW is set (make distcheck): $1 (already run by make check)"
}

# ---------------------------------------------------------------- oracle
# oracle_find [SUITE]: the libvirt that gives the verdicts: the host's (no
# SUITE; domlint's --target debian-12) or that of the Debian release root
# SUITE (bullseye, trixie, sid; made by shared/tools/debian-root).  Sets
# ORACLE (the program), ORACLE_ARGS (its --root), TARGET, RELEASE_QEMU (the
# release's QEMU version, empty for the host) and SCHEMA_ARGS (the release's
# own libvirt schema).  When it cannot run here: returns 1 with the reason in
# oracle_missing.  Otherwise it takes the oracle lock first.
oracle_find() {
    local oracle_root
    ORACLE=$top_srcdir/tests/libvirt-oracle.sh
    TARGET=debian-12 ORACLE_ARGS= RELEASE_QEMU= SCHEMA_ARGS=
    if [ -z "${1:-}" ]; then
        oracle_missing=$(libvirt_missing)
    else
        TARGET=$(release_list | awk -v s="$1" '$1 == s { print $2 }')
        oracle_root=$(release_roots | awk -v s="$1" '$1 == s { print $2 }')
        RELEASE_QEMU=$(release_roots | awk -v s="$1" '$1 == s { print $4 }')
        if [ -z "$oracle_root" ]; then
            oracle_missing="no $1 root (shared/tools/debian-root $1 makes it)"
        else
            oracle_missing=$(libvirt_missing_in "$oracle_root")
            ORACLE_ARGS=--root=$oracle_root
            if [ -f "$oracle_root/usr/share/libvirt/schemas/domain.rng" ]; then
                SCHEMA_ARGS=--schema-dir=$oracle_root/usr/share/libvirt/schemas
            fi
        fi
    fi
    [ -z "$oracle_missing" ] || return 1
    oracle_lock
}

# oracle_require [SUITE]: oracle_find, or the whole test skipped saying why
oracle_require() {
    oracle_find "${1:-}" || skip_all "libvirt QEMU driver not available: $oracle_missing"
}

# oracle_lock: one user of the libvirt oracle at a time on this machine
# (DOMLINT_ORACLE_LOCK, by default /tmp/domlint-oracle.lock), held until the
# script ends.  Its children inherit it (DOMLINT_ORACLE_LOCKED); a caller
# that already holds it sets DOMLINT_ORACLE_LOCKED=1 itself.
oracle_lock() {
    local lock=${DOMLINT_ORACLE_LOCK:-/tmp/domlint-oracle.lock}
    [ -z "${DOMLINT_ORACLE_LOCKED:-}" ] || return 0
    command -v flock >/dev/null || return 0
    exec 9>>"$lock" || return 0
    # 'flock LOCK make check' above us holds it already: waiting would never end
    if ! lock_held_above "$lock" && ! flock -n 9; then
        echo "$test_name: waiting for $lock" >&2
        flock 9
    fi
    DOMLINT_ORACLE_LOCKED=1
    export DOMLINT_ORACLE_LOCKED
}

# lock_held_above FILE: whether one of this shell's ancestors holds a flock
# on FILE (the holders are in /proc/locks, by inode)
lock_held_above() {
    local inode holders p h
    inode=$(stat -c %i "$1" 2>/dev/null) || return 1
    holders=$(awk -v i="$inode" '$2 == "FLOCK" { split($6, f, ":"); if (f[3] == i) print $5 }' /proc/locks 2>/dev/null)
    [ -n "$holders" ] || return 1
    p=$PPID
    while [ "${p:-0}" -gt 1 ]; do
        for h in $holders; do
            [ "$h" = "$p" ] && return 0
        done
        p=$(sed -n 's/^PPid:[[:space:]]*//p' "/proc/$p/status" 2>/dev/null)
    done
    return 1
}

# release_option ARG: whether ARG is --release=SUITE (then the caller shifts
# it), with SUITE in $RELEASE (empty otherwise)
release_option() {
    RELEASE=
    case $1 in
        --release=*) RELEASE=${1#--release=}; return 0 ;;
    esac
    return 1
}

# release_machines FILE OUT: FILE with its QEMU 7.2 machine types made
# $RELEASE_QEMU's (as the shared public-debian* corpora are), so that a
# release's rules are tried, not only its machine list
release_machines() {
    sed -E "s/(machine=['\"](pc-i440fx|pc-q35|virt|pseries|s390-ccw-virtio))-7\.2(['\"])/\1-$RELEASE_QEMU\3/" \
        "$1" > "$2"
}

# release_roots_missing: why the Debian release roots cannot be used here
# (none made, or not root); nothing when they can
release_roots_missing() {
    if [ -z "$(release_roots)" ]; then
        echo "no Debian release roots (shared/tools/debian-root bullseye|trixie|sid)"
    elif [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null 2>&1; then
        echo "release roots need root and unshare"
    fi
}

# root_wrapper ROOT BIN FILE: FILE, a program that runs ROOT's /usr/bin/BIN
# inside ROOT, in a private mount namespace with /dev and /proc (a QMP
# socket it was given is inherited)
root_wrapper() {
    {
        echo '#!/bin/sh'
        echo "exec unshare -m --propagation private /bin/sh -c 'r=\$1; shift; mount --rbind /dev \"\$r/dev\" && mount -t proc proc \"\$r/proc\" && exec chroot \"\$r\" /usr/bin/$2 \"\$@\"' sh \"$1\" \"\$@\""
    } > "$3"
    chmod +x "$3"
}
