#!/bin/sh
# fake-qemu.sh - a qemu-system-x86_64 that replays recorded QMP sessions
#
# Started as domlint starts QEMU ("-machine NAME ... -qmp stdio"), it
# prints the greeting of NAME.qmp and answers each command on standard
# input with the reply recorded for it (see record.sh; the "id" members are
# left out, which QMP allows).  A command that was not recorded gets a QMP
# error, a machine that was not recorded fails to start as QEMU would, and
# "-version" prints version.txt.  The recordings are the files beside this
# script, or FAKE_QEMU_DATA.  Used by tests/test-probe.c.
data=${FAKE_QEMU_DATA:-$(cd "$(dirname "$0")" && pwd)}
machine=
prev=
for a; do
    if [ "$a" = -version ]; then
        exec cat "$data/version.txt"
    fi
    if [ "$prev" = -machine ]; then
        machine=$a
    fi
    prev=$a
done
if [ ! -f "$data/$machine.qmp" ]; then
    echo "qemu-system-x86_64: unsupported machine type '$machine' (not recorded)" >&2
    exit 1
fi
exec awk -W interactive -v file="$data/$machine.qmp" '
    BEGIN {
        FS = "\t"
        getline greeting < file
        while ((getline line < file) > 0) {
            tab = index(line, "\t")
            reply[substr(line, 1, tab - 1)] = substr(line, tab + 1)
        }
        print greeting
        fflush()
    }
    {
        key = $0
        sub(/,"id":"[^"]*"/, "", key)
        if (key in reply)
            print reply[key]
        else
            print "{\"error\": {\"class\": \"GenericError\", \"desc\": \"fake-qemu: this command was not recorded\"}}"
        fflush()
    }
'
