#!/bin/sh
# kheaders.sh DEST: Linux UAPI headers for musl-gcc, which cannot see
# Debian's /usr/include (glibc's headers would win there).
set -eu
. "$(dirname "$0")/../lib.sh"
dest=${PREFIX:-$1}
[ -d /usr/include/linux ] || die "Linux UAPI headers missing: run 'make deps' (package linux-libc-dev)"
mkdir -p "$dest/include"
for d in linux asm-generic mtd misc rdma sound video xen; do
    cp -a "/usr/include/$d" "$dest/include/"
done
cp -a /usr/include/x86_64-linux-gnu/asm "$dest/include/asm"
