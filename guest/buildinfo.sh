#!/bin/sh
# buildinfo.sh DEST: writes DEST/buildinfo.txt, the record of what went
# into this build, in the spirit of Debian's .buildinfo: the project's
# commit, every pinned input with its version and sha256 (and whether this
# build used it), the cached builds it took, the toolchain of the machine
# that compiled it, and the outputs' sha256.
set -eu
. "$(dirname "$0")/lib.sh"
. "$TOP/guest/pins.sh"
D=$1
. "$BUILD/inputs.env"
. "$BUILD/thirdparty.env"
. "$BUILD/kernel.env"

commit() {
    if c=$(git -C "$TOP" rev-parse HEAD 2>/dev/null); then
        if [ -n "$(git -C "$TOP" status --porcelain 2>/dev/null)" ]; then echo "$c (with uncommitted changes)"; else echo "$c"; fi
    else
        echo "unknown (not a git checkout)"
    fi
}

used() {   # used PACKAGE: whether this build took PACKAGE
    case $1 in
    firmware-*) grep -q "	$CACHE/debs/$1-" "$BUILD/rootfs.origins" && echo used || echo "not selected" ;;
    # the test world's authenticator; the image's too with WPA_TLS=openssl
    openssl) [ "${WPA_TLS:-wolfssl}" = openssl ] && echo used || echo "test world only" ;;
    *) echo used ;;
    esac
}

toolchain() {
    if command -v dpkg-query >/dev/null 2>&1; then
        dpkg-query -W -f '${Package} ${Version}\n' gcc-12 cpp-12 binutils libc6-dev musl musl-dev musl-tools \
            make dpkg-dev autoconf automake libtool pkg-config bison flex bc perl 2>/dev/null | sed 's/^/ /'
    fi
    echo " gcc: $(compiler_id gcc)"
    echo " musl-gcc: $(compiler_id musl-gcc)"
}

{
    echo "# wifibox-guest buildinfo: what went into this build"
    echo "Format: 1"
    echo "Source-Commit: $(commit)"
    echo "Source-Date-Epoch: $SOURCE_DATE_EPOCH"
    echo "Firmware: ${FIRMWARE:-none}"
    echo "Build-Architecture: $(uname -m)"
    echo "Build-Origin: $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}") $(cat /etc/debian_version 2>/dev/null || true)"
    echo "Pinned-Inputs: (package version suite file sha256 use; $LOCK_NAME)"
    lock_lines | while read -r p v s f h; do echo " $p $v $s $f $h $(used "$p")"; done
    echo "Cached-Builds: (keyed by their inputs)"
    for d in "$KHDR" "$LIBNL" "$WOLFSSL" "$OPENSSL" "$IPTABLES" "$WPA" "$WPA_WORLD" "$BUSYBOX" "$IW" "$DNSMASQ" "$KERNEL" "$TOOLS"; do
        echo " ${d##*/}"
    done
    echo "Kernel-Release: $(cat "$KERNEL/release")"
    echo "Toolchain: (from the build machine)"
    toolchain
    echo "Outputs:"
    (cd "$D" && sha256sum esp.img root.img vmlinuz disk.img grub.cfg manifest.txt | sed 's/^/ /')
} > "$D/buildinfo.txt"
