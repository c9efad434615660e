#!/bin/sh
# fuzz/build.sh [OUTDIR] - build the libFuzzer harnesses with clang, ASan and UBSan.
# The library's sources (all but the command's: src/cli, src/show) are
# compiled into each harness (no libtool involved).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=${1:-$top/build-fuzz}
mkdir -p "$out"
CC=${FUZZ_CC:-clang}
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=gnu11"
# the values configure would give, for a build that runs from the source tree
cat > "$out/config.h" <<H
/* config.h for the fuzz build, written by fuzz/build.sh */
#define DOMLINT_PKGDATADIR "$top/data"
#define DOMLINT_SRCDIR "$top"
#define DOMLINT_LIBVIRT_SCHEMA_DIR "/usr/share/libvirt/schemas"
#define PACKAGE_VERSION "fuzz"
#define DOMLINT_LIBVIRT_LIBDIR ""
#define DOMLINT_DOC_URL "file://$top/doc/rules/"
H
pkgs="libxml-2.0 glib-2.0 gio-2.0 gmodule-2.0 json-glib-1.0"
lib=$(cd "$top" && find src -name "*.c" ! -path "src/cli/*" ! -path "src/show/*" ! -name connect.c | LC_ALL=C sort)
# shellcheck disable=SC2086
$CC $flags -I"$out" -I"$top/src" $(pkg-config --cflags $pkgs) \
    -o "$out/fuzz-domain" "$here/fuzz-domain.c" $(cd "$top" && echo $lib | sed "s|src/|$top/src/|g") \
    $(pkg-config --libs $pkgs)
$CC $flags -I"$out" -I"$top/src" $(pkg-config --cflags $pkgs) \
    -o "$out/fuzz-qmp" "$here/fuzz-qmp.c" $(cd "$top" && echo $lib | sed "s|src/|$top/src/|g") \
    $(pkg-config --libs $pkgs)
echo "built: $out/fuzz-domain $out/fuzz-qmp"
