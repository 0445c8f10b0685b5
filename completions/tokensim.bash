# bash completion for tokensim: commands, each command's options, scenario
# files (*.yaml, *.yml) and the key paths --set takes. The commands and
# options come from tokensim itself (--complete-commands, --complete-options
# CMD, read from its option tables) and the key paths from `tokensim keys`,
# so the completion follows the program it completes. Items of a list
# (plans, features...) appear as index 0: --set accepts a name or an index.
# Installed as share/bash-completion/completions/tokensim.

# The key paths of `tokensim keys` that take a value, as PATH=.
_tokensim_keys() {
    "$1" keys 2> /dev/null | awk -F'|' 'NR > 2 && $3 !~ /section|list/ {
        gsub(/[ `]/, "", $2); gsub(/\[\]/, ".0", $2); print $2 "=" }'
}

_tokensim() {
    local prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} cword=$COMP_CWORD
    local prev=
    [ "$cword" -gt 0 ] && prev=${COMP_WORDS[cword - 1]}
    # --name=value: bash splits at '=' (COMP_WORDBREAKS), giving --name = value
    if [ "$cur" = "=" ]; then
        cur=
    elif [ "$prev" = "=" ] && [ "$cword" -gt 1 ]; then
        prev=${COMP_WORDS[cword - 2]}
    fi
    COMPREPLY=()
    if [ "$cword" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$("$prog" --complete-commands 2> /dev/null) help -h --help -V --version" -- "$cur"))
        return 0
    fi
    local cmd=${COMP_WORDS[1]}
    if [ "$cmd" = help ]; then
        [ "$cword" -eq 2 ] && COMPREPLY=($(compgen -W "$("$prog" --complete-commands 2> /dev/null)" -- "$cur"))
        return 0
    fi
    local opts
    opts=$("$prog" --complete-options "$cmd" 2> /dev/null) || return 0
    # the value of an option that takes one
    case $prev in
    -D | --set)
        compopt -o nospace 2> /dev/null
        COMPREPLY=($(compgen -W "$(_tokensim_keys "$prog")" -- "$cur"))
        return 0
        ;;
    -o | --out)
        COMPREPLY=($(compgen -d -- "$cur"))
        return 0
        ;;
    --stat)
        COMPREPLY=($(compgen -W "mean p5" -- "$cur"))
        return 0
        ;;
    -*)
        # other options with a value: nothing to offer but files
        if printf '%s\n' "$opts" | grep -qE -- "(^| )$prev="; then
            COMPREPLY=($(compgen -f -- "$cur"))
            return 0
        fi
        ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(printf '%s\n' "$opts" | tr ' ' '\n' | sed 's/=$//')" -- "$cur"))
        return 0
    fi
    if [ "$cmd" = catalog ] && [ "$cword" -eq 2 ]; then
        COMPREPLY=($(compgen -W "list show import" -- "$cur"))
        return 0
    fi
    case $cmd in
    fit | catalog) COMPREPLY=($(compgen -f -- "$cur")) ;;
    keys) ;;
    *)
        # scenario files and the folders that may hold them
        compopt -o filenames 2> /dev/null
        COMPREPLY=($(compgen -f -X '!*.yaml' -- "$cur") $(compgen -f -X '!*.yml' -- "$cur") \
            $(compgen -d -- "$cur"))
        [ "$cmd" = replay ] && COMPREPLY=($(compgen -f -- "$cur"))
        ;;
    esac
    return 0
}
complete -F _tokensim tokensim
