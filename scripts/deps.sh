#!/bin/sh
# Installs everything the build, `make run` and the tests need on Debian 12.
# Idempotent: a second run with nothing missing makes no network access.
set -eu

# Build tools and test bench tools. What goes into the image (the kernel
# source, regulatory.db, firmware, the Debian sources of the userland, the
# tools that write the images) is not among them (openssl here only makes
# the test world's certificates): the build fetches those
# by the exact versions guest/thirdparty/sources.lock pins, whatever this
# machine has installed.
PKGS="build-essential musl-tools autoconf automake libtool pkg-config bison flex bc
 libelf-dev libssl-dev dpkg-dev debian-archive-keyring xz-utils zstd cpio rsync kmod
 file python3 linux-libc-dev squashfs-tools
 qemu-system-x86 ovmf iproute2 busybox socat iptables tcpdump strace
 clang llvm libclang-rt-14-dev mandoc shellcheck openssl"

die() { echo "deps: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (it installs Debian packages); try: sudo $0"
command -v apt-get >/dev/null || die "apt-get not found: this project builds on Debian 12 (bookworm)"

missing=""
for p in $PKGS ${EXTRA_PKGS:-}; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    apt-get update -qq || die "apt-get update failed: is deb.debian.org reachable?"
    echo "deps: installing$missing"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null \
        || die "apt-get install failed for:$missing"
fi
