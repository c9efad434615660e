#!/bin/sh
# differential-debiansid.sh - the differential test against the libvirt and QEMU
# of Debian sid (its root from shared/tools/debian-root sid), with domlint's
# --target for that release; skipped, and says so, where the root is missing.
. "$(dirname "$0")/lib.sh"
exec "$here/differential.sh" --release=sid "$@"
