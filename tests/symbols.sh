#!/bin/bash
# symbols.sh - libdomlint.so exports the public API and nothing else.
#
# Three lists must agree: the functions src/domlint.h declares, the symbols
# src/libdomlint.syms exports, and what 'nm -D --defined-only' finds in the
# built library (every one at the syms file's version).  TAP.
set -u
. "$(dirname "$0")/lib.sh"
lib=$top_builddir/.libs/libdomlint.so
make_tmp
plan 4

# a declaration is 'TYPE domlint_NAME(' at the start of a line or after a
# return type on the line before; typedefs and struct members are not
sed -e 's|/\*.*\*/||' "$top_srcdir/src/domlint.h" |
    grep -oE '(^|[ *])domlint_[a-z0-9_]+\(' | grep -oE 'domlint_[a-z0-9_]+' |
    LC_ALL=C sort -u > "$tmp/header"
sed -e 's/#.*//' "$top_srcdir/src/libdomlint.syms" | grep -oE '^ *domlint_[a-z0-9_]+;' |
    tr -d ' ;' | LC_ALL=C sort -u > "$tmp/syms"
version=$(grep -oE '^DOMLINT_[0-9.]+' "$top_srcdir/src/libdomlint.syms" | tail -n 1)

check "src/libdomlint.syms lists exactly the functions of src/domlint.h" \
    "$(LC_ALL=C comm -3 "$tmp/header" "$tmp/syms" | sed -e 's/^\t/only in libdomlint.syms: /' -e '/^only/!s/^/only in domlint.h: /')"

if [ ! -f "$lib" ] || ! command -v nm > /dev/null; then
    for what in "nm -D lists only domlint_*" "every export in libdomlint.syms" "exports carry the version node"; do
        skip "$what" "no $lib or no nm"
    done
    done_testing
fi
nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' > "$tmp/nm"
sed 's/@.*//' "$tmp/nm" | LC_ALL=C sort -u > "$tmp/exported"
check "nm -D --defined-only lists only domlint_* symbols" "$(grep -v '^domlint_' "$tmp/exported")"
check "the library exports every symbol of libdomlint.syms, and no other" \
    "$(LC_ALL=C comm -3 "$tmp/syms" "$tmp/exported")"
check "every export is at version $version" "$(grep -v "@@$version\$" "$tmp/nm")"
done_testing
