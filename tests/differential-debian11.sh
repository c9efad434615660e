#!/bin/sh
# differential-debian11.sh - the differential test against the libvirt and QEMU
# of Debian bullseye (its root from shared/tools/debian-root bullseye), with domlint's
# --target for that release; skipped, and says so, where the root is missing.
exec "$(dirname "$0")/differential.sh" --release=bullseye "$@"
