#!/bin/sh
# record.sh - record the QMP sessions that tests/fake-qemu.sh replays
#
#   sh record.sh QEMU DOMLINT MACHINE...
#
# Runs `DOMLINT probe --list` against QEMU through a wrapper that copies
# each session's commands and replies, then writes one MACHINE.qmp per
# machine into this directory: the greeting on the first line, then one
# line per command, "COMMAND<TAB>REPLY", without the "id" members (the
# replayer answers by command, not by order).  The discovery start
# ("-machine none") and the probe of "none" share none.qmp.  QEMU's own
# -version answer goes to version.txt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
QEMU=$1
DOMLINT=$2
shift 2
logs=$(mktemp -d "${TMPDIR:-/tmp}/record-qmp.XXXXXX")
trap 'rm -rf "$logs"' EXIT INT TERM

cat >"$logs/qemu" <<WRAP
#!/bin/sh
machine=
prev=
for a; do [ "\$prev" = -machine ] && machine=\$a; prev=\$a; done
log=$logs/\$machine.\$\$
tee "\$log.in" | timeout 60 "$QEMU" "\$@" | tee "\$log.out"
WRAP
chmod +x "$logs/qemu"

list=
for m; do list="$list${list:+,}$m"; done
"$DOMLINT" probe --qemu="$logs/qemu" --jobs=1 --machine="$list" --list >"$logs/list.txt"
"$QEMU" -version >"$here/version.txt"

for m in "$@"; do
    out=$here/$m.qmp
    : >"$out.tmp"
    for log in "$logs/$m".*.in; do
        [ -e "$log" ] || continue
        # reply N+1 (after the greeting, events left out) answers command N
        awk -v replies="${log%.in}.out" '
            function strip(s) { gsub(/, "id": "dl-[0-9]+"/, "", s); gsub(/,"id":"dl-[0-9]+"/, "", s); return s }
            BEGIN {
                while ((getline line < replies) > 0)
                    if (line !~ /^\{"event"/ && line !~ /^\{"timestamp"/)
                        reply[n++] = line
                print reply[0] > "/dev/stderr"
            }
            { print strip($0) "\t" strip(reply[NR]) }
        ' "$log" 2>"$logs/greeting" >>"$out.tmp"
    done
    { cat "$logs/greeting"; awk '!seen[$0]++' "$out.tmp"; } >"$out"
    rm -f "$out.tmp"
done
echo "recorded: $* ($(cat "$here/version.txt" | head -n 1))"
