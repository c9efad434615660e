#!/bin/bash
# completion.sh - the bash completion completes, without bash-completion
#
# Sources completions/domlint.bash in a bash that has not loaded the
# bash-completion package (its _init_completion and _filedir are not
# defined), sets COMP_LINE, COMP_POINT, COMP_WORDS and COMP_CWORD as bash
# does for a line (COMP_WORDS broken at '=' and ':' too) and checks
# COMPREPLY: rule ids after --disable/--enable/--explain (also inside a
# comma list), --format and --color values, long options, *.xml files and
# directories as operands, probe's options, a URI after --connect.  The
# same again with the package loaded, when it is installed (or
# BASH_COMPLETION_FILE names its bash_completion).  TAP.
set -u
. "$(dirname "$0")/lib.sh"
SCRIPT=$top_srcdir/completions/domlint.bash
make_tmp

need_domlint
# the completion asks 'domlint' (the command being completed) for its rules
mkdir "$tmp/bin" "$tmp/files" "$tmp/files/sub"
ln -s "$DOMLINT" "$tmp/bin/domlint"
touch "$tmp/files/vm.xml" "$tmp/files/notes.txt"

# BASH_COMPLETION_FILE: a bash_completion to try besides the installed one
bc=""
for f in ${BASH_COMPLETION_FILE:-} /usr/share/bash-completion/bash_completion /etc/bash_completion; do
    [ -f "$f" ] && { bc=$f; break; }
done

# complete WITH LINE: the replies, sorted, one per line; WITH is "" or the
# bash-completion file to load first
complete_line() {
    (cd "$tmp/files" && PATH=$tmp/bin:$PATH bash --norc --noprofile -c '
        [ -n "$1" ] && . "$1"
        . "$2" || exit 3
        [ -z "$1" ] && declare -F _init_completion _filedir > /dev/null && exit 4
        COMP_LINE=$3
        COMP_POINT=${#COMP_LINE}
        # as bash splits: at blanks, and "=" and ":" are words of their own
        read -r -a COMP_WORDS <<< "$(sed "s/[=:]/ & /g" <<< "$COMP_LINE")"
        [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _domlint domlint "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2> /dev/null
        printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$1" "$SCRIPT" "$2")
}

# expect WITH LABEL LINE WANT...: the replies are exactly WANT
expect() {
    local with=$1 label=$2 line=$3
    shift 3
    local got want
    got=$(complete_line "$with" "$line")
    want=$(printf '%s\n' "$@" | sort)
    if [ "$got" = "$want" ]; then
        ok "$label: '$line' -> $(echo $got)"
    else
        not_ok "$label: '$line'" "want: $(echo $want)" "got:  $(echo $got)"
    fi
}

cases() {
    local with=$1 label=$2
    expect "$with" "$label" "domlint --disable=pci-address-c" pci-address-conflict
    expect "$with" "$label" "domlint --disable pci-address-c" pci-address-conflict
    expect "$with" "$label" "domlint --disable=schema,pci-address-s" schema,pci-address-syntax
    expect "$with" "$label" "domlint --enable=disk-b" disk-bus
    expect "$with" "$label" "domlint --explain=pci-fix" pci-fixed-address
    expect "$with" "$label" "domlint --format=" json sarif text text-short
    expect "$with" "$label" "domlint -f j" json
    expect "$with" "$label" "domlint --color=" always auto never
    expect "$with" "$label" "domlint --expl" --explain=
    expect "$with" "$label" "domlint " probe sub topology vm.xml
    expect "$with" "$label" "domlint vm.xml s" sub
    expect "$with" "$label" "domlint probe --qe" --qemu=
    expect "$with" "$label" "domlint topology --format=" html json text xml
    expect "$with" "$label" "domlint --connect=qemu:///se" ///session
}

cases "" "no bash-completion"
if [ -n "$bc" ]; then
    cases "$bc" "with $bc"
else
    skip "bash-completion is not installed: completion with it not tried"
fi
done_testing
