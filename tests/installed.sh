#!/bin/bash
# installed.sh — the tool as 'make install' lays it out.
#
# Runs 'make install DESTDIR=<tmp>' in the build tree, then checks that the
# binary, the library, its header and domlint.pc, the knowledge base, the
# manual page and the bash completion are in place, and uses them:
#   - the installed binary (LD_LIBRARY_PATH = the installed lib directory)
#     with the installed knowledge base gives a fixture's golden output;
#   - a program built against the installed header and library (flags from
#     the installed domlint.pc) runs;
#   - domlint topology --format=html finds the installed stylesheet;
#   - the manual page names every option of --help (and topology --help) and every rule of
#     --list-rules, and renders without warnings;
#   - the bash completion parses, and completes rule ids (with the
#     bash-completion package when it is installed, else without);
#   - a page per rule and an index are in $(docdir)/rules, valid and
#     escaped HTML, and what the installed domlint links (--explain's URL,
#     SARIF's helpUri and informationUri) are those files.
#
# Output is TAP.  Environment: as for every script (tests/lib.sh); MAKE, CC
# and SANITIZER_CFLAGS (set by 'make check').

set -u
. "$(dirname "$0")/lib.sh"
MAKE=${MAKE:-make}
CC=${CC:-cc}
SANITIZER_CFLAGS=${SANITIZER_CFLAGS:-}

[ -f "$top_builddir/Makefile" ] || bail_out "not configured: $top_builddir"

make_tmp
dest=$tmp/root

plan 12

# ------------------------------------------------------------ 1: install
# MAKEFLAGS from the outer 'make check' would carry its -j and jobserver
if env -u MAKEFLAGS -u MFLAGS $MAKE -C "$top_builddir" install DESTDIR="$dest" > "$tmp/install.log" 2>&1; then
    ok "make install DESTDIR=..."
else
    not_ok "make install DESTDIR=..." "$(tail -n 20 "$tmp/install.log")"
    bail_out "make install failed"
fi

# one installed file: find_one NAME-PATTERN [find options]
find_one() {
    find "$dest" "$@" -print 2> /dev/null | sort | head -n 1
}
bin=$(find_one -path '*/bin/domlint' -type f)
lib=$(find_one -name 'libdomlint.so' )
header=$(find_one -path '*/include/domlint.h' -type f)
pc=$(find_one -path '*/pkgconfig/domlint.pc' -type f)
machines=$(find_one -path '*/domlint/machines' -type d)
rng=$(find_one -path '*/domlint/schemas/machines.rng' -type f)
man=$(find_one -path '*/man1/domlint.1' -type f)
completion=$(find_one -path '*/bash-completion/completions/domlint' -type f)
pages=$(find_one -path '*/doc/domlint/rules' -type d)

# ------------------------------------------------------------ 2: layout
p=""
for what in bin lib header pc machines rng man completion pages; do
    [ -n "${!what}" ] || p="$p${p:+
}no installed $what"
done
if [ -n "$machines" ]; then
    count=$(find "$machines" -name '*.xml' | wc -l)
    srccount=$(find "$top_srcdir/data/machines" -name '*.xml' | wc -l)
    [ "$count" = "$srccount" ] || p="$p${p:+
}$count knowledge-base files installed, $srccount in the source tree"
fi
check "binary, library, header, domlint.pc, knowledge base, man page, completion, rule pages installed" "$p"

libdir=$(dirname "${lib:-/nonexistent/x}")
# every run below reads the data as installed under DESTDIR, not the
# source tree's that the other tests use
DOMLINT_DATA_DIR=$(dirname "${machines:-/nonexistent/x}")
export DOMLINT_DATA_DIR
run_installed() {
    LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$bin" "$@"
}

# ------------------------------------------------------------ 3: golden
# the installed binary, its library and knowledge base: a fixture's golden
# output (see golden.sh: the one-line form), with the libvirt schema as installed on the host
fixture=pci/duplicate-address
p=""
if [ -z "$bin" ] || [ -z "$machines" ]; then
    p="nothing to run"
else
    (cd "$top_srcdir/fixtures/$(dirname "$fixture")" &&
        run_installed --color=never --format=text-short --machine-db="$machines" "$(basename "$fixture").xml"
        echo "exit: $?") > "$tmp/golden.out" 2>&1
    if ! diff -u "$top_srcdir/fixtures/$fixture.expected" "$tmp/golden.out" > "$tmp/golden.diff"; then
        p=$(head -n 30 "$tmp/golden.diff")
    fi
    # and the tool really loaded the installed files, not the source tree's
    if ! run_installed --machine-db="$machines" --version > /dev/null 2>&1; then
        p="$p${p:+
}installed domlint --version failed"
    fi
fi
check "installed domlint with the installed knowledge base: $fixture as golden" "$p"

# the installed stylesheet of domlint topology --format=html
p=""
if [ -z "$bin" ] || [ -z "$machines" ]; then
    p="nothing to run"
else
    # the fixture has a conflict: exit 1
    run_installed topology --format=html "$top_srcdir/fixtures/topology/conflict.xml" > "$tmp/topology.html" 2> "$tmp/topology.err"
    rc=$?
    if [ $rc -ne 1 ]; then
        p="installed domlint topology --format=html: exit $rc: $(head -n 3 "$tmp/topology.err")"
    elif ! grep -q 'class="dev written conflict"' "$tmp/topology.html"; then
        p="the installed stylesheet made no page with the conflict: $(head -c 300 "$tmp/topology.html")"
    fi
fi
check "installed domlint topology --format=html finds its installed stylesheet" "$p"

# ------------------------------------------------------------ 4: pkg-config
p=""
if [ -z "$pc" ]; then
    p="no domlint.pc"
elif ! command -v pkg-config > /dev/null; then
    p="pkg-config is not installed"
else
    pcdir=$(dirname "$pc")
    version=$(run_installed --version 2> /dev/null | sed -n '1s/^domlint //p')
    pcversion=$(PKG_CONFIG_PATH=$pcdir pkg-config --modversion domlint 2>&1)
    [ "$pcversion" = "$version" ] || p="pkg-config --modversion domlint: '$pcversion', domlint --version: '$version'"
    libs=$(PKG_CONFIG_PATH=$pcdir pkg-config --libs domlint 2>&1)
    case $libs in *-ldomlint*) ;; *) p="$p${p:+
}pkg-config --libs domlint: '$libs'" ;; esac
    PKG_CONFIG_PATH=$pcdir pkg-config --print-requires domlint | grep -q glib-2.0 ||
        p="$p${p:+
}domlint.pc does not require glib-2.0 (domlint.h includes glib.h)"
fi
check "domlint.pc: version, -ldomlint, requires glib-2.0" "$p"

# ------------------------------------------------------------ 5: compile
# a program against the installed header and library; the paths in the .pc
# are the final ones, so DESTDIR is put in front of them here
p=""
if [ -z "$pc" ] || [ -z "$header" ] || ! command -v pkg-config > /dev/null; then
    p="no domlint.pc, header or pkg-config"
else
    pcdir=$(dirname "$pc")
    includedir=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=includedir domlint)
    pclibdir=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=libdir domlint)
    [ -f "$dest$includedir/domlint.h" ] || p="includedir of domlint.pc ($includedir) has no domlint.h"
    [ "$dest$pclibdir" = "$libdir" ] || p="$p${p:+
}libdir of domlint.pc ($pclibdir) is not where the library is ($libdir)"
    cat > "$tmp/use.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <domlint.h>

int
main(int argc, char **argv)
{
    const domlint_rule_info *rule = domlint_rule_find("pci-address-conflict");

    if (argc < 2 || !rule)
        return 1;
    printf("%s %s\n", domlint_version(), rule->id);
    return strcmp(domlint_version(), argv[1]) != 0;
}
EOF
    # shellcheck disable=SC2046,SC2086
    if ! $CC $SANITIZER_CFLAGS -I"$dest$includedir" $(pkg-config --cflags glib-2.0) \
            -o "$tmp/use" "$tmp/use.c" -L"$libdir" -ldomlint $(pkg-config --libs glib-2.0) \
            > "$tmp/cc.log" 2>&1; then
        p="$p${p:+
}cannot build against the installed header and library:
$(head -n 10 "$tmp/cc.log")"
    elif ! LD_LIBRARY_PATH=$libdir "$tmp/use" "$(run_installed --version | sed -n '1s/^domlint //p')" > "$tmp/use.out" 2>&1; then
        p="$p${p:+
}the program built against libdomlint failed: $(head -n 3 "$tmp/use.out")"
    fi
fi
check "a program builds and runs against the installed header and library" "$p"

# ------------------------------------------------------------ 5b: the example
# examples/lint.c, which the README shows, on a fixture with a conflict
p=""
if [ -z "$pc" ] || [ -z "$header" ] || ! command -v pkg-config > /dev/null; then
    p="no domlint.pc, header or pkg-config"
else
    # shellcheck disable=SC2046,SC2086
    if ! $CC $SANITIZER_CFLAGS -I"$dest$includedir" $(pkg-config --cflags glib-2.0) \
            -o "$tmp/lint" "$top_srcdir/examples/lint.c" -L"$libdir" -ldomlint $(pkg-config --libs glib-2.0) \
            > "$tmp/cc.log" 2>&1; then
        p="examples/lint.c does not build: $(head -n 10 "$tmp/cc.log")"
    else
        LD_LIBRARY_PATH=$libdir "$tmp/lint" "$top_srcdir/fixtures/pci/duplicate-address.xml" > "$tmp/lint.out" 2>&1
        rc=$?
        [ "$rc" = 1 ] || p="examples/lint.c exited $rc on pci/duplicate-address, not 1"
        grep -q 'error: .*\[pci-address-conflict\]$' "$tmp/lint.out" ||
            p="$p${p:+
}examples/lint.c did not report the conflict: $(head -n 3 "$tmp/lint.out")"
    fi
fi
check "examples/lint.c builds against the installed library and reports a conflict" "$p"

# ------------------------------------------------------------ 6: manual
p=""
if [ -z "$man" ] || [ -z "$bin" ]; then
    p="no manual page or binary"
else
    # every long option of --help, in the roff source (where '-' is '\-')
    sed 's/\\-/-/g' "$man" > "$tmp/man.txt"
    for opt in $({ run_installed --help; run_installed topology --help; } 2>&1 | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
        grep -qF -- "$opt" "$tmp/man.txt" || p="$p${p:+
}option $opt of --help is not in the manual"
    done
    for rule in $(run_installed --list-rules | awk '{ print $1 }'); do
        grep -qx "\\.B $rule" "$tmp/man.txt" || p="$p${p:+
}rule $rule of --list-rules has no paragraph in the manual"
    done
    if command -v groff > /dev/null; then
        warnings=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
        [ -z "$warnings" ] || p="$p${p:+
}groff: $warnings"
    fi
fi
check "manual page: every option and every rule, renders cleanly" "$p"

# ------------------------------------------------------------ 7: completion
p=""
if [ -z "$completion" ]; then
    p="no completion"
elif ! bash -n "$completion" 2> "$tmp/bash.log"; then
    p="bash -n: $(cat "$tmp/bash.log")"
fi
check "bash completion installed and parses" "$p"

# ------------------------------------------------------------ 8: completes
bc=""
for f in /usr/share/bash-completion/bash_completion /etc/bash_completion; do
    [ -f "$f" ] && { bc=$f; break; }
done
if [ -z "$completion" ] || [ -z "$bin" ]; then
    skip "bash completion completes rule ids" "no completion or binary installed"
else
    # a wrapper named domlint that runs the installed binary
    mkdir -p "$tmp/path"
    printf '#!/bin/sh\nLD_LIBRARY_PATH=%s exec %s "$@"\n' "$libdir" "$bin" > "$tmp/path/domlint"
    chmod +x "$tmp/path/domlint"
    got=$(PATH=$tmp/path:$PATH bash -c '
        [ -n "$1" ] && . "$1" 2> /dev/null
        . "$2"
        COMP_WORDS=(domlint --disable pci-address-c)
        COMP_CWORD=2
        COMP_LINE="domlint --disable pci-address-c"
        COMP_POINT=${#COMP_LINE}
        _domlint domlint pci-address-c --disable 2> /dev/null
        printf "%s\n" "${COMPREPLY[@]}"' _ "$bc" "$completion")
    if [ "$got" = pci-address-conflict ]; then
        ok "bash completion completes rule ids (--disable pci-address-c -> $got; ${bc:-without bash-completion})"
    else
        not_ok "bash completion completes rule ids" "--disable pci-address-c completed to '$got'"
    fi
fi

# ------------------------------------------------------------ 9: rule pages
p=""
if [ -z "$pages" ] || [ -z "$bin" ]; then
    p="no rule pages or binary"
else
    for rule in $(run_installed --list-rules | awk '{ print $1 }'); do
        if [ ! -f "$pages/$rule.html" ]; then
            p="$p${p:+
}rule $rule has no page"
            continue
        fi
        grep -qF "<h1><code>$rule</code></h1>" "$pages/$rule.html" || p="$p${p:+
}$rule.html does not name the rule"
        grep -qF "href=\"$rule.html\"" "$pages/index.html" || p="$p${p:+
}index.html does not link $rule.html"
    done
    for target in $(grep -o 'href="[^"]*"' "$pages/index.html" | sed 's/^href="//; s/"$//'); do
        [ -f "$pages/$target" ] || p="$p${p:+
}index.html links $target, which is not installed"
    done
    if command -v xmllint > /dev/null; then
        for page in "$pages"/*.html; do
            out=$(xmllint --html --noout "$page" 2>&1)
            [ -z "$out" ] || p="$p${p:+
}$(basename "$page"): $(printf '%s\n' "$out" | head -n 1)"
        done
    fi
    # the example of the text, its markup escaped
    grep -qF "&lt;sound model='ich9'&gt;" "$pages/pci-address-conflict.html" || p="$p${p:+
}pci-address-conflict.html: the example is not there, escaped"
fi
check "rule pages: one per rule, an index linking them, HTML that parses, escaped" "$p"

# ------------------------------------------------------------ 10: links
# the configured base (by default file://$(docdir)/rules/) under DESTDIR
p=""
installed_file() {
    case $1 in
        file://*) [ -f "$dest${1#file://}" ] ;;
        *) return 1 ;;
    esac
}
if [ -z "$pages" ] || [ -z "$bin" ]; then
    p="no rule pages or binary"
else
    url=$(env -u DOMLINT_DOC_URL LD_LIBRARY_PATH="$libdir" "$bin" --explain=disk-bus | tail -n 1 | sed 's/^ *//')
    case $url in
        file://*/disk-bus.html) installed_file "$url" || p="--explain=disk-bus links $url: not an installed file" ;;
        */disk-bus.html) ;; # configure --with-doc-url: published elsewhere
        *) p="--explain=disk-bus does not end with its page's URL: '$url'" ;;
    esac
    (cd "$top_srcdir/fixtures/pci" &&
        env -u DOMLINT_DOC_URL LD_LIBRARY_PATH="$libdir" "$bin" --format=sarif --no-schema \
            --machine-db="$machines" duplicate-address.xml) > "$tmp/sarif.json" 2> /dev/null
    links=$(grep -oE '"(helpUri|informationUri)" : "[^"]*"' "$tmp/sarif.json" | sed 's/.*: "//; s/"$//')
    count=$(printf '%s\n' "$links" | grep -c .)
    rules=$(run_installed --list-rules | grep -c .)
    [ "$count" = $((rules + 1)) ] || p="$p${p:+
}SARIF has $count helpUri and informationUri, for $rules rules"
    for link in $links; do
        case $url in
            file://*) installed_file "$link" || p="$p${p:+
}SARIF links $link: not an installed file" ;;
        esac
    done
    link=$(DOMLINT_DOC_URL=https://docs.example/domlint LD_LIBRARY_PATH="$libdir" "$bin" --explain=disk-bus | tail -n 1 | sed 's/^ *//')
    [ "$link" = https://docs.example/domlint/disk-bus.html ] || p="$p${p:+
}with DOMLINT_DOC_URL=https://docs.example/domlint, --explain=disk-bus links '$link'"
fi
check "--explain and SARIF link the installed pages; DOMLINT_DOC_URL moves them" "$p"

done_testing
