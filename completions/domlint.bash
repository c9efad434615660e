# bash completion for domlint                                -*- shell-script -*-
#
# Options from 'domlint --help', rule ids for --disable/--enable from
# 'domlint --list-rules' (asked of the domlint being completed, so a newer
# rule set needs no change here), *.xml files and directories as operands.

_domlint_rules()
{
    "${1:-domlint}" --list-rules 2>/dev/null | while IFS=' ' read -r id _; do
        printf '%s\n' "$id"
    done
    printf '%s\n' all
}

_domlint()
{
    local cur prev words cword split
    _init_completion -s || return

    case $prev in
        -h | --help | -V | --version | --list-rules)
            return
            ;;
        -f | --format)
            COMPREPLY=($(compgen -W 'text json sarif' -- "$cur"))
            return
            ;;
        --color)
            COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
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
            _filedir -d
            return
            ;;
    esac

    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '--format= --werror --fix --in-place --diff
            --disable= --enable= --list-rules --no-schema --schema-dir=
            --machine-db= --color= --version --help -f -i -V -h' -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi

    # operands: domain XML files, directories (expanded by domlint), or -
    _filedir xml
} &&
    complete -F _domlint domlint

# ex: filetype=sh
