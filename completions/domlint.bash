# bash completion for domlint                                -*- shell-script -*-
#
# Options from 'domlint --help', 'domlint probe --help' and 'domlint topology --help', rule ids for
# --disable/--enable from 'domlint --list-rules' (asked of the domlint being
# completed, so a newer rule set needs no change here), *.xml files and
# directories as operands.
#
# Works with or without the bash-completion package.  With it, this file is
# loaded on the first 'domlint <TAB>' from its completions directory.
# Without it, source it from ~/.bashrc:
#   . /usr/local/share/bash-completion/completions/domlint
# and the few helpers of the package it uses are replaced by simpler ones
# (words are split at blanks only: no quoting inside a word).

# bash-completion's _init_completion -s -n ':': words, cword, cur, prev
# (a word with ':' is one word), and
# --option=value split into prev=--option cur=value, split=true
_domlint_init()
{
    if declare -F _init_completion > /dev/null; then
        _init_completion -s -n :
        return
    fi
    # COMP_WORDS is broken at '=' and ':' too: read the line itself
    local line=${COMP_LINE:0:COMP_POINT}
    read -r -a words <<< "$line"
    [[ -z $line || $line == *[[:space:]] ]] && words+=("")
    cword=$((${#words[@]} - 1))
    cur=${words[cword]}
    prev=${words[cword - 1]-}
    split=false
    if [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
        split=true
    fi
    return 0
}

# bash-completion's _filedir [xml|-d]: *.xml files and directories, or
# directories only; added to COMPREPLY
_domlint_filedir()
{
    if declare -F _filedir > /dev/null; then
        _filedir "$@"
        return
    fi
    local IFS=$'\n'
    if [[ -z ${1-} ]]; then
        COMPREPLY+=($(compgen -f -- "$cur"))
    else
        COMPREPLY+=($(compgen -d -- "$cur"))
        [[ $1 != -d ]] && COMPREPLY+=($(compgen -f -X "!*.$1" -- "$cur"))
    fi
    compopt -o filenames 2> /dev/null
    return 0
}

# readline replaces only what follows the last ':' of the word (':' is in
# COMP_WORDBREAKS): drop what comes before it from each reply
_domlint_ltrim_colon()
{
    [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]] || return 0
    local before=${cur%"${cur##*:}"} i
    for i in "${!COMPREPLY[@]}"; do
        COMPREPLY[i]=${COMPREPLY[i]#"$before"}
    done
}

_domlint_rules()
{
    "${1:-domlint}" --list-rules 2>/dev/null | while IFS=' ' read -r id _; do
        printf '%s\n' "$id"
    done
    printf '%s\n' all
}

# --target: the platforms of 'domlint --list-targets', and the spec forms
_domlint_targets()
{
    "${1:-domlint}" --list-targets 2>/dev/null | awk 'NR > 1 && NF > 3 && $1 ~ /-/ { print $1 }'
    printf '%s\n' host newest qemu- libvirt-
}

# --qemu=BIN: a qemu-system-* from PATH, or a path
_domlint_qemu()
{
    if [[ $cur == */* ]]; then
        _domlint_filedir
    else
        COMPREPLY=($(compgen -c -- "${cur:-qemu-system-}" | grep '^qemu-system-' | sort -u))
    fi
}

# domlint probe [OPTION...]: asks a QEMU binary about its machine types
_domlint_probe()
{
    case $prev in
        -h | --help)
            return
            ;;
        --qemu)
            _domlint_qemu
            return
            ;;
        -o | --output)
            _domlint_filedir xml
            return
            ;;
        --machine-db)
            _domlint_filedir -d
            return
            ;;
        -m | --machine | --timeout | -j | --jobs)
            return
            ;;
    esac

    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '--qemu= --machine= --output= --machine-db=
            --timeout= --jobs= --compare --list --cached --help -m -o -j -h' -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
    fi
}

# domlint topology [OPTION...] FILE: the PCI tree
_domlint_topology()
{
    case $prev in
        -f | --format)
            COMPREPLY=($(compgen -W 'text json xml html' -- "$cur"))
            return
            ;;
        -t | --target)
            COMPREPLY=($(compgen -W "$(_domlint_targets "$1")" -- "$cur"))
            return
            ;;
        --schema-dir | --machine-db)
            _domlint_filedir -d
            return
            ;;
        --qemu)
            _domlint_qemu
            return
            ;;
        -h | --help | --disable | --enable)
            return
            ;;
    esac

    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '--format= --target= --disable= --enable= --no-schema
            --schema-dir= --machine-db= --qemu= --help -f -t -h' -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi
    _domlint_filedir xml
}

_domlint()
{
    local cur prev words cword split
    _domlint_init || return

    # the probe subcommand has options of its own
    local i
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} == probe ]]; then
            _domlint_probe
            return
        fi
        if [[ ${words[i]} == topology ]]; then
            _domlint_topology "$1"
            return
        fi
        [[ ${words[i]} != -* ]] && break
    done

    case $prev in
        -h | --help | -V | --version | --list-rules | --list-targets)
            return
            ;;
        -t | --target)
            COMPREPLY=($(compgen -W "$(_domlint_targets "$1")" -- "$cur"))
            [[ ${COMPREPLY-} == *- ]] && compopt -o nospace 2>/dev/null
            return
            ;;
        -f | --format)
            COMPREPLY=($(compgen -W 'text text-short json sarif' -- "$cur"))
            return
            ;;
        -j | --jobs)
            COMPREPLY=($(compgen -W "$(nproc 2>/dev/null || echo 1)" -- "$cur"))
            return
            ;;
        --color)
            COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
            return
            ;;
        --explain)
            COMPREPLY=($(compgen -W "$(_domlint_rules "$1" | grep -vx all)" -- "$cur"))
            return
            ;;
        --disable | --enable)
            # comma-separated lists: complete the last item
            local prefix="" item=$cur
            if [[ $cur == *,* ]]; then
                prefix=${cur%,*},
                item=${cur##*,}
            fi
            local IFS=$'\n'
            COMPREPLY=($(compgen -P "$prefix" -W "$(_domlint_rules "$1")" -- "$item"))
            compopt -o nospace 2>/dev/null
            [[ ${#COMPREPLY[@]} -eq 1 ]] && compopt +o nospace 2>/dev/null
            return
            ;;
        --schema-dir | --machine-db)
            _domlint_filedir -d
            return
            ;;
        --qemu)
            _domlint_qemu
            return
            ;;
        --connect)
            COMPREPLY=($(compgen -W 'qemu:///system qemu:///session qemu+ssh://' -- "$cur"))
            _domlint_ltrim_colon
            compopt -o nospace 2>/dev/null
            return
            ;;
    esac

    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '--format= --werror --jobs= --fix --in-place
            --diff --layout --spare-ports= --disable= --enable= --list-rules --explain= --no-schema --schema-dir=
            --machine-db= --qemu= --connect= --target= --list-targets --color= --version --help
            --no-excerpt --quiet --statistics --config= --no-config
            -f -j -i -t -q -V -h' -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi

    # operands: domain XML files, directories (expanded by domlint), or -;
    # 'probe' as the first operand is the subcommand
    _domlint_filedir xml
    if [[ $cword -eq 1 && probe == "$cur"* ]]; then
        COMPREPLY+=(probe)
    fi
    if [[ $cword -eq 1 && topology == "$cur"* ]]; then
        COMPREPLY+=(topology)
    fi
} &&
    complete -F _domlint domlint

# ex: filetype=sh
