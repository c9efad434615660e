#!/bin/sh
# layout-libvirt-debian13.sh - layout-libvirt.sh against the libvirt of Debian trixie
# (its root from shared/tools/debian-root trixie), with domlint's --target for
# that release; skipped, and says so, where the root is missing.
. "$(dirname "$0")/lib.sh"
exec "$here/layout-libvirt.sh" --release=trixie "$@"
