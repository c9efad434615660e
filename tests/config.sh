#!/bin/bash
# config.sh - .domlint.conf: found walking up, the command line wins, errors name FILE:LINE.
#
# Each checked file uses the first .domlint.conf above it (standard input:
# above the current directory), or --config=FILE; --no-config reads none.
# Files under different config files in one run are each checked with
# their own; config files that disagree on 'format' are a usage error.  A
# bad key, value or line is exit 2 with one line naming FILE:LINE.  The
# sample is a file with one warning (pci-multifunction) and no error.  TAP.
set -u
. "$(dirname "$0")/lib.sh"
SAMPLE=$FIXTURES/pci/function2-without-function0.xml
RULE=pci-multifunction
make_tmp
need_domlint
# fail DESC: a failure showing domlint's output
fail() { not_ok "$1" "$(cat "$tmp/out" "$tmp/err")"; }

# a repository: r/a (werror) with r/a/deep below it, r/b (the rule off), r/plain (none)
repo=$tmp/r
mkdir -p "$repo/a/deep/er" "$repo/b" "$repo/plain"
for d in a/deep/er b plain; do cp "$SAMPLE" "$repo/$d/vm.xml"; done
printf '[domlint]\n# warnings fail here\nwerror = true\n' > "$repo/a/.domlint.conf"
printf '[domlint]\ndisable = %s\n' "$RULE" > "$repo/b/.domlint.conf"
# nothing above the repository may take part
printf '[domlint]\n' > "$tmp/.domlint.conf"

# run WANT_EXIT DESC ARGS...: the exit status, stdout in out, stderr in err
run() {
    local want=$1 desc=$2
    shift 2
    (cd "$repo" && "$DOMLINT" --color=never "$@") > "$tmp/out" 2> "$tmp/err"
    local rc=$?
    if [ "$rc" = "$want" ]; then return 0; fi
    echo "# exit $rc, wanted $want" >> "$tmp/err"
    return 1
}
has() { grep -q -- "$1" "$tmp/out" "$tmp/err"; }
hasnt() { ! has "$1"; }
# usage DESC PATTERN: exit 2 and one line on stderr matching PATTERN
one_line() { [ "$(grep -c . "$tmp/err")" = 1 ] && grep -q -- "$1" "$tmp/err"; }

# ---- discovery
if run 1 x a/deep/er/vm.xml && has "\[$RULE\]"; then
    ok "two directories below r/a: its werror=true makes the warning fail (exit 1)"
else fail "discovery walking up to r/a"; fi
if run 0 x plain/vm.xml && has "\[$RULE\]"; then
    ok "r/plain has none above it but an empty one: the warning, exit 0"
else fail "a directory without a config of its own"; fi
if (cd "$repo/a/deep" && "$DOMLINT" --color=never - < "$SAMPLE") > "$tmp/out" 2> "$tmp/err"; [ $? = 1 ]; then
    ok "standard input uses the config above the current directory"
else fail "standard input and the current directory's config"; fi
printf '[domlint]\ndisable = %s\n' "$RULE" > "$repo/a/deep/.domlint.conf"
if run 0 x a/deep/er/vm.xml && hasnt "\[$RULE\]"; then
    ok "the nearest config wins, and only it is read (r/a's werror does not apply)"
else fail "the first config found stops the walk"; fi
rm "$repo/a/deep/.domlint.conf"

# ---- precedence: the command line wins
if run 0 x --enable="$RULE" b/vm.xml && has "\[$RULE\]"; then
    ok "--enable on the command line over the config's disable"
else fail "--enable over disable"; fi
printf '[domlint]\nenable = %s\ndisable = all\nformat = json\n' "$RULE" > "$repo/b/.domlint.conf"
if run 0 x --disable="$RULE" b/vm.xml && hasnt "\[$RULE\]" && hasnt '"rule"' && has '"files"'; then
    ok "--disable on the command line over the config's enable; the config's format=json"
else fail "--disable over enable, format from the config"; fi
if run 0 x --format=text b/vm.xml && has "vm.xml:22:7: warning: .*\[$RULE\]"; then
    ok "--format=text over the config's format=json"
else fail "--format over format"; fi
printf '[domlint]\ndisable = %s\n' "$RULE" > "$repo/b/.domlint.conf"

# ---- --no-config and --config
if run 0 x --no-config b/vm.xml && has "\[$RULE\]"; then
    ok "--no-config: r/b's disable is not read"
else fail "--no-config"; fi
if run 1 x --config=a/.domlint.conf b/vm.xml plain/vm.xml && [ "$(grep -c "\[$RULE\]" "$tmp/out")" = 2 ]; then
    ok "--config=FILE for every file, instead of the ones found"
else fail "--config=FILE"; fi
if run 2 x --config=nowhere.conf b/vm.xml && one_line "nowhere.conf: cannot read"; then
    ok "--config naming no file: exit 2, $(cat "$tmp/err")"
else fail "--config=missing"; fi

# ---- several configs in one run
for j in 1 2; do
    if run 1 x -j "$j" a/deep/er/vm.xml b/vm.xml plain/vm.xml &&
       [ "$(grep -c "\[$RULE\]" "$tmp/out")" = 2 ] && hasnt "b/vm.xml"; then
        ok "-j $j: three files, three configs, each checked with its own (exit 1 from r/a's werror)"
    else fail "-j $j, several configs"; fi
done
if run 1 x -j 2 . && [ "$(grep -c "\[$RULE\]" "$tmp/out")" = 2 ] && hasnt "b/vm.xml"; then
    ok "a directory argument: each file found with its own config"
else fail "a directory with several configs"; fi
printf '[domlint]\nformat = json\n' > "$repo/plain/.domlint.conf"
printf '[domlint]\nformat = sarif\n' > "$repo/b/.domlint.conf"
if run 2 x b/vm.xml plain/vm.xml && one_line "sets format 'sarif', .* sets 'json'.*--format"; then
    ok "configs that disagree on format: exit 2, $(cat "$tmp/err")"
else fail "format conflict"; fi
if run 0 x --format=text b/vm.xml plain/vm.xml; then
    ok "... and --format settles it"
else fail "format conflict settled by --format"; fi
rm "$repo/plain/.domlint.conf"

# ---- values that take part in checking
mkdir "$repo/b/rng"
printf '[domlint]\nschema-dir = rng\n' > "$repo/b/.domlint.conf"
if run 0 x b/vm.xml && has "libvirt schema '$repo/b/rng/domain.rng' is not installed"; then
    ok "a relative schema-dir is relative to the config's directory"
else fail "relative schema-dir"; fi
printf '[domlint]\ntarget = debian-11\n' > "$repo/b/.domlint.conf"
# (debian-11 has no pc-i440fx-7.2: exit 1)
(cd "$repo" && env -u DOMLINT_TARGET "$DOMLINT" --format=json b/vm.xml) > "$tmp/out" 2> "$tmp/err"
if grep -q '"platform" : "debian-11"' "$tmp/out"; then
    ok "target from the config"
else fail "target from the config"; fi
if (cd "$repo" && DOMLINT_TARGET=debian-12 "$DOMLINT" --format=json b/vm.xml) > "$tmp/out" 2> "$tmp/err" &&
   grep -q '"platform" : "debian-12"' "$tmp/out"; then
    ok "DOMLINT_TARGET over the config's target"
else fail "DOMLINT_TARGET over target"; fi
if (cd "$repo" && "$DOMLINT" --target=debian-13 --format=json b/vm.xml) > "$tmp/out" 2> "$tmp/err" &&
   grep -q '"platform" : "debian-13"' "$tmp/out"; then
    ok "--target over the config's target"
else fail "--target over target"; fi

# ---- bad files: exit 2, one line, FILE:LINE
bad() {
    local desc=$1 text=$2 line=$3 word=$4
    printf "$text" > "$repo/b/.domlint.conf"
    if DOMLINT_TARGET= run 2 x b/vm.xml && one_line "b/.domlint.conf:$line: .*$word"; then
        ok "$desc: exit 2, $(cat "$tmp/err")"
    else fail "$desc"; fi
}
bad "unknown key, near one" '[domlint]\n# a comment\n\ndisabel = x\n' 4 "unknown key 'disabel' (did you mean 'disable'?)"
bad "unknown key" '[domlint]\nlevel = 3\n' 2 "unknown key 'level' (the keys are disable, enable"
bad "werror not a boolean" '[domlint]\nwerror = maybe\n' 2 "'werror' takes true or false"
bad "spare-ports out of range" '[domlint]\ntarget = debian-12\nspare-ports = 300\n' 3 "'spare-ports' takes a number"
bad "unknown rule id" '[domlint]\ndisable = pci-root, pci-rot\n' 2 "unknown rule 'pci-rot'"
bad "unknown format" '[domlint]\nformat = xml\n' 2 "'format' takes text, text-short, json or sarif"
bad "schema-dir that is not a directory" '[domlint]\nschema-dir = nowhere\n' 2 "'schema-dir' .* is not a directory"
bad "unknown target" '[domlint]\n\ntarget = debian-99\n' 3 "target: 'debian-99'"
bad "unknown group" '[domlint]\nwerror = true\n[lint]\nx = 1\n' 3 "unknown group '\[lint\]'"
bad "a line that is no key" '[domlint]\nwerror = true\ngarbage\n' 3 "garbage"
bad "a key outside any group" 'werror = true\n' 1 "group"
if run 2 x --no-config --config=a/.domlint.conf b/vm.xml && one_line "choose one of --config and --no-config"; then
    ok "--config with --no-config: exit 2"
else fail "--config with --no-config"; fi

done_testing
