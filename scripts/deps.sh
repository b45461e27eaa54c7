#!/bin/sh
# Installs everything the build, `make run` and the tests need on Debian 12.
# Idempotent: a second run with nothing missing makes no network access.
set -eu

src_list=/etc/apt/sources.list.d/wifibox-guest.sources

# Build tools, image tools, test bench tools.
PKGS="build-essential musl-tools autoconf automake libtool pkg-config bison flex bc
 libelf-dev libssl-dev dpkg-dev xz-utils zstd cpio rsync kmod file python3
 squashfs-tools dosfstools mtools linux-libc-dev linux-source-6.12 wireless-regdb
 qemu-system-x86 ovmf iproute2 busybox socat iptables tcpdump strace
 clang llvm libclang-rt-14-dev mandoc shellcheck"

die() { echo "deps: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (it installs Debian packages); try: sudo $0"
command -v apt-get >/dev/null || die "apt-get not found: this project builds on Debian 12 (bookworm)"

# Source packages (deb-src) and the non-free-firmware component for card
# firmware, in a sources file of our own so the system's files stay untouched.
want_sources="Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"

need_update=0
if [ ! -f "$src_list" ] || [ "$(cat "$src_list")" != "$want_sources" ]; then
    printf '%s\n' "$want_sources" > "$src_list"
    need_update=1
fi

missing=""
for p in $PKGS ${EXTRA_PKGS:-}; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# deb-src indexes may be absent even if every package is installed.
ls /var/lib/apt/lists/*_source_Sources* >/dev/null 2>&1 || need_update=1

if [ -n "$missing" ] || [ "$need_update" = 1 ]; then
    apt-get update -qq || die "apt-get update failed: is deb.debian.org reachable?"
fi
if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null \
        || die "apt-get install failed for:$missing"
fi
