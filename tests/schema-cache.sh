#!/bin/sh
# schema-cache.sh - the flattened copy of libvirt's schema (src/schemacache.c)
# gives the same findings as the schema itself, and is made again whenever it
# could be wrong: a schema file changed, the copy damaged.  Where no copy can
# be kept (the cache directory cannot be made) or the schema cannot be
# flattened, the schema itself is compiled.  "Off" below is a cache home
# under a regular file, which even root cannot create.  TAP for automake's
# tap-driver.
set -u
. "$(dirname "$0")/lib.sh"
SCHEMAS=${DOMLINT_TEST_SCHEMAS:-/usr/share/libvirt/schemas}
make_tmp

[ -f "$SCHEMAS/domain.rng" ] || skip_all "libvirt's schemas are not installed ($SCHEMAS/domain.rng)"
plan 9

# the inputs: every fixture, the shared conformance corpus when it is there,
# and fixtures broken in ways the schema catches
inputs=$tmp/inputs
mkdir "$inputs"
find "$top_srcdir/fixtures" -name '*.xml' | sort > "$tmp/list"
corpus=$top_srcdir/../shared/corpus/public
[ -d "$corpus" ] || corpus=$top_srcdir/../../shared/corpus/public
[ -d "$corpus" ] && find "$corpus" -name '*.xml' | sort >> "$tmp/list"
i=0
for f in "$top_srcdir"/fixtures/*/*.xml; do
    case $f in *.fixed.xml) continue ;; esac
    i=$((i + 1))
    sed -e 's/<memory/<memroy/; s/<\/memory>/<\/memroy>/' "$f" > "$inputs/mem-$i.xml"
    sed -e 's/<address /<address bogus="1" /' "$f" > "$inputs/attr-$i.xml"
    sed -e 's/<devices>/<devices><disk type="file"\/>/' "$f" > "$inputs/disk-$i.xml"
    sed -e "s/type='pci'/type='pci' slot='0x1z'/" "$f" > "$inputs/slot-$i.xml"
done
find "$inputs" -name '*.xml' | sort >> "$tmp/list"
count=$(wc -l < "$tmp/list")

touch "$tmp/file"
off=$tmp/file/cache        # cannot be created: no copy
on=$tmp/cache
copy() { ls "$on"/domlint/schema-*.flat 2>/dev/null; }
# lint SCHEMA_DIR CACHE_HOME OUT: every input, one process
lint() {
    XDG_CACHE_HOME=$2 "$DOMLINT" -j 1 --schema-dir "$1" $(cat "$tmp/list") > "$3" 2>&1
    echo "# exit $? over $count files" >> "$3"
}

# 1. the copy is made, and says what it was made from
lint "$SCHEMAS" "$on" "$tmp/first"
f=$(copy)
if [ -n "$f" ] && head -1 "$f" | grep -q '^domlint-schema-cache 1 [1-9]' &&
   sed -n 2p "$f" | grep -q " $SCHEMAS/domain.rng\$" && grep -q "/domaincommon.rng\$" "$f"; then
    ok "a flattened copy is cached: $(basename "$f"), $(grep -c ' /' "$f") source files"
else
    not_ok "no flattened copy of $SCHEMAS/domain.rng in $on/domlint"
    ls -l "$on/domlint" 2>&1 | diag
fi

# 2. the same findings with the copy as with the schema itself
lint "$SCHEMAS" "$off" "$tmp/off"
lint "$SCHEMAS" "$on" "$tmp/second"
schema_findings=$(grep -c '\[schema\]' "$tmp/off")
if [ "$schema_findings" -gt 0 ] && cmp -s "$tmp/off" "$tmp/first" && cmp -s "$tmp/off" "$tmp/second"; then
    ok "$count files: the same findings with and without the copy ($schema_findings schema findings)"
else
    not_ok "$count files: findings differ with the copy ($schema_findings schema findings without)"
    diff "$tmp/off" "$tmp/second" | head -20 | diag
fi

# 3. a current copy is read, not made again
before=$(stat -c '%i %Y.%y' "$f")
lint "$SCHEMAS" "$on" "$tmp/third"
if [ "$(stat -c '%i %Y.%y' "$f")" = "$before" ]; then
    ok "a current copy is used as it is"
else
    not_ok "the copy was written again although nothing changed"
fi

# 4. a schema file that changes makes the copy stale: the change is seen
cp -r "$SCHEMAS" "$tmp/schemas"
lint "$tmp/schemas" "$on" "$tmp/copy-before"
sed -i 's/<element name="memory">/<element name="memoryx">/' "$tmp/schemas/domaincommon.rng"
lint "$tmp/schemas" "$on" "$tmp/copy-after"
lint "$tmp/schemas" "$off" "$tmp/copy-off"
if cmp -s "$tmp/copy-after" "$tmp/copy-off" && ! cmp -s "$tmp/copy-before" "$tmp/copy-after" &&
   grep -q "memory" "$tmp/copy-after"; then
    ok "an included file edited: the copy is made again and the edit counts"
else
    not_ok "an included file edited: the findings do not follow it"
    diff "$tmp/copy-off" "$tmp/copy-after" | head -10 | diag
fi

# 5. a damaged copy (cut short, or not a copy at all) is ignored and made again
for f in $(copy); do head -c 5000 "$f" > "$f.cut" && mv "$f.cut" "$f"; done
lint "$SCHEMAS" "$on" "$tmp/cut"
for f in $(copy); do echo 'domlint-schema-cache 1 12' > "$f"; echo garbage >> "$f"; done
lint "$SCHEMAS" "$on" "$tmp/garbage"
f=$(copy | head -1)
if cmp -s "$tmp/off" "$tmp/cut" && cmp -s "$tmp/off" "$tmp/garbage" &&
   head -1 "$f" | grep -q '^domlint-schema-cache 1 [1-9][0-9]'; then
    ok "a truncated or garbled copy is ignored and made again"
else
    not_ok "a damaged copy changed the findings or was not made again"
fi

# 6. no cache directory: nothing is written, the findings are the same
if [ ! -e "$tmp/file/cache" ] && cmp -s "$tmp/off" "$tmp/first"; then
    ok "an unwritable cache home: the schema itself is used"
else
    not_ok "an unwritable cache home changed something"
fi

# 7. a schema the flattener does not handle (an include with an override) is
#    compiled as it is, and that is remembered
cp -r "$SCHEMAS" "$tmp/override"
sed -i 's|<include href="domaincommon.rng"/>|<include href="domaincommon.rng"><define name="storageStartupPolicy"><empty/></define></include>|' \
    "$tmp/override/domainoverrides.rng"
rm -rf "$on"
lint "$tmp/override" "$on" "$tmp/override-on"
lint "$tmp/override" "$off" "$tmp/override-off"
f=$(copy)
if grep -q '<include href="domaincommon.rng"><define' "$tmp/override/domainoverrides.rng" &&
   cmp -s "$tmp/override-on" "$tmp/override-off" && [ -n "$f" ] &&
   head -1 "$f" | grep -q '^domlint-schema-cache 1 0$'; then
    ok "an include with overrides: no copy, the schema itself, recorded as such"
else
    not_ok "an include with overrides: $(head -1 "$f" 2>/dev/null)"
    diff "$tmp/override-off" "$tmp/override-on" | head -10 | diag
fi

# 8. a broken schema is reported as the schema, never as the copy
cp -r "$SCHEMAS" "$tmp/broken"
sed -i 's|<ref name="domain"/>|<ref name="nosuchdefine"/>|' "$tmp/broken/domain.rng"
one=$(ls "$top_srcdir"/fixtures/pci/*.xml | head -1)
XDG_CACHE_HOME=$on "$DOMLINT" --schema-dir "$tmp/broken" "$one" > "$tmp/broken-on" 2>&1
XDG_CACHE_HOME=$off "$DOMLINT" --schema-dir "$tmp/broken" "$one" > "$tmp/broken-off" 2>&1
if cmp -s "$tmp/broken-on" "$tmp/broken-off" && grep -q "$tmp/broken/domain.rng" "$tmp/broken-on" &&
   ! grep -q 'schema-.*\.flat' "$tmp/broken-on"; then
    ok "a schema that does not compile: the same message, naming domain.rng"
else
    not_ok "a schema that does not compile"
    diag "$tmp/broken-on"
fi

# 9. copies of schemas that are gone are removed when a copy is written
rm -rf "$tmp/schemas" "$tmp/override" "$tmp/broken"
cp -r "$SCHEMAS" "$tmp/fresh"
lint "$tmp/fresh" "$on" "$tmp/fresh-out"
left=$(copy | wc -l)
if [ "$left" = 1 ]; then
    ok "copies of removed schema directories are pruned"
else
    not_ok "$left copies left in the cache, expected 1"
fi

done_testing
