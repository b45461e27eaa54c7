#!/bin/sh
# kheaders.sh DEST: the Linux UAPI headers for musl-gcc, installed from the
# pinned kernel source ($KSRC) itself, so that userland and kernel agree
# and the machine's linux-libc-dev plays no part.
set -eu
. "$(dirname "$0")/../lib.sh"
dest=${PREFIX:-$1}
[ -f "${KSRC:-}/Makefile" ] || die "kheaders: KSRC is not a kernel source tree (guest/inputs.sh sets it)"
obj=$(mktemp -d "$CACHE/work/kheaders-obj.XXXXXX")
make -C "$KSRC" O="$obj" ARCH=x86_64 INSTALL_HDR_PATH="$dest" headers_install >/dev/null
rm -rf "$obj"
