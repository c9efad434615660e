#!/bin/sh
# layout-libvirt-debian11.sh - layout-libvirt.sh against the libvirt of Debian bullseye
# (its root from shared/tools/debian-root bullseye), with domlint's --target for
# that release; skipped, and says so, where the root is missing.
. "$(dirname "$0")/lib.sh"
exec "$here/layout-libvirt.sh" --release=bullseye "$@"
