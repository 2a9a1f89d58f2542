# bash completion for octavo: commands, each command's options, manifest
# keys after -M, and books (book.yaml, Markdown files, folders).
# Installed as share/bash-completion/completions/octavo.

_octavo_keys="title= subtitle= author= contributors= language= identifier=
    date= publisher= rights= description= subjects= series= series-index=
    cover= stylesheet= default-stylesheet= fonts= toc-depth= image-resolution=
    page-list= toc= title-page= labels= chapters="

_octavo()
{
    local cur prev cmd opts
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    COMPREPLY=()
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "new build check preview help --help
            --version" -- "$cur"))
        return
    fi
    cmd=${COMP_WORDS[1]}
    case $prev in
    --epub)
        COMPREPLY=($(compgen -f -X '!*.epub' -- "$cur") $(compgen -d -- "$cur"))
        return ;;
    --pdf)
        COMPREPLY=($(compgen -f -X '!*.pdf' -- "$cur") $(compgen -d -- "$cur"))
        return ;;
    --output)
        COMPREPLY=($(compgen -f -X '!*.@(epub|pdf)' -- "$cur") $(compgen -d -- "$cur"))
        return ;;
    -o)
        if [ "$cmd" = build ]; then
            COMPREPLY=($(compgen -f -X '!*.@(epub|pdf)' -- "$cur") $(compgen -d -- "$cur"))
        else
            COMPREPLY=($(compgen -d -- "$cur"))
        fi
        return ;;
    --out-dir|--data-dir)
        COMPREPLY=($(compgen -d -- "$cur"))
        return ;;
    -M|--meta)
        compopt -o nospace 2>/dev/null
        COMPREPLY=($(compgen -W "$_octavo_keys" -- "$cur"))
        return ;;
    --toc-depth)
        COMPREPLY=($(compgen -W "1 2 3 4 5 6" -- "$cur"))
        return ;;
    --pages|--dpi|--title|--author|--language)
        return ;;
    esac
    case $cmd in
    help)
        COMPREPLY=($(compgen -W "new build check preview" -- "$cur"))
        return ;;
    build)
        opts="--epub --pdf -o --output --out-dir --watch -w" ;;
    preview)
        opts="-o --out-dir --pages --dpi" ;;
    new)
        opts="--title --author --language --quiet -q --help -h" ;;
    esac
    case $cmd in
    build|check|preview)
        opts="$opts -M --meta --toc-depth --no-toc --no-title-page
            --data-dir --quiet -q --verbose -v --help -h" ;;
    esac
    if [ "${cur#-}" != "$cur" ]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [ "$cmd" = new ]; then
        COMPREPLY=($(compgen -d -- "$cur"))
    else
        COMPREPLY=($(compgen -f -X '!*.yaml' -- "$cur")
                   $(compgen -f -X '!*.yml' -- "$cur")
                   $(compgen -f -X '!*.md' -- "$cur")
                   $(compgen -f -X '!*.markdown' -- "$cur")
                   $(compgen -d -- "$cur"))
    fi
}
complete -o filenames -F _octavo octavo
