#!/bin/sh
# layout-libvirt-debiansid.sh - layout-libvirt.sh against the libvirt of Debian sid
# (its root from shared/tools/debian-root sid), with domlint's --target for
# that release; skipped, and says so, where the root is missing.
. "$(dirname "$0")/lib.sh"
exec "$here/layout-libvirt.sh" --release=sid "$@"
