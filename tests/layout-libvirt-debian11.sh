#!/bin/sh
# layout-libvirt-debian11.sh - layout-libvirt.sh against the libvirt of Debian bullseye
# (its root from shared/tools/debian-root bullseye), with domlint's --target for
# that release; skipped, and says so, where the root is missing.
exec "$(dirname "$0")/layout-libvirt.sh" --release=bullseye "$@"
