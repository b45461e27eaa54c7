#!/bin/sh
# build.sh: builds every third-party package static with musl, or takes it
# from the cache when nothing that goes into it changed, and writes
# $BUILD/thirdparty.env saying where each one is.
set -eu
. "$(dirname "$0")/../lib.sh"
. "$TOP/guest/pins.sh"
HERE=$TOP/guest/thirdparty
export HERE JOBS

need_tool musl-gcc musl-tools
need_tool dpkg-source dpkg-dev
[ -f "$BUILD/inputs.env" ] || die "$BUILD/inputs.env is missing: guest/inputs.sh runs first (make does it)"
. "$BUILD/inputs.env"
export KSRC
need_tool autoreconf autoconf
need_tool libtoolize libtool
need_tool make build-essential

toolchain="$(compiler_id musl-gcc) musl=$(dpkg-query -W -f '${Version}' musl-dev 2>/dev/null)"
mkdir -p "$CACHE/thirdparty" "$CACHE/work" "$BUILD"

# build_one NAME BUILDER EXTRA_FILES DEP_KEYS: sets $dir to the package's
# prefix in the cache, building it first when it is not there.
build_one() {
    name=$1 builder=$2 files=$3 deps=$4
    # shellcheck disable=SC2086 # $files is a list of paths
    key=$(cache_key "$HERE/$builder" $files -- "$(awk -v p="$name" '$1 == p' "$LOCK")" "$toolchain" "$deps")
    dir=$CACHE/thirdparty/$name-$key
    if [ -f "$dir/.complete" ]; then
        note "$name: cached ($key)"
        return
    fi
    note "$name: building ($key)"
    work=$(mktemp -d "$CACHE/work/$name.XXXXXX")
    if [ "$name" != kheaders ]; then
        "$HERE/fetch.sh" "$name" "$work/src"
    fi
    if ! SRC=$work/src PREFIX=$work/prefix "$HERE/$builder" "$work/prefix" > "$work/build.log" 2>&1; then
        tail -n 25 "$work/build.log" >&2
        die "building $name failed; the whole log is in $work/build.log"
    fi
    touch "$work/prefix/.complete"
    rm -rf "$dir"
    mv "$work/prefix" "$dir"
    rm -rf "$work"
}

build_one kheaders kheaders.sh "" "kernel=$(kernel_sum)"
KHDR=$dir; export KHDR
# Dependencies enter a key by their own key (the directory's name), never
# by their path: the same inputs give the same key in any cache.
build_one libnl3 libnl3.sh "" "${KHDR##*/}"
LIBNL=$dir; export LIBNL
WOLFSSL_OPTS=${WOLFSSL_OPTS:-}; export WOLFSSL_OPTS
build_one wolfssl wolfssl.sh "" "$WOLFSSL_OPTS"
WOLFSSL=$dir; export WOLFSSL
build_one iptables iptables.sh "" "${KHDR##*/}"
IPTABLES=$dir
build_one wpa wpa.sh "$HERE/wpa_supplicant.config $HERE/hostapd.config $(echo "$HERE"/patches/wpa/*.patch)" "${KHDR##*/} ${LIBNL##*/} ${WOLFSSL##*/}"
WPA=$dir
build_one busybox busybox.sh "$HERE/busybox.config" "${KHDR##*/}"
BUSYBOX=$dir
build_one iw iw.sh "" "${KHDR##*/} ${LIBNL##*/}"
IW=$dir

cat > "$BUILD/thirdparty.env.tmp" <<EOT
KHDR=$KHDR
LIBNL=$LIBNL
WOLFSSL=$WOLFSSL
IPTABLES=$IPTABLES
WPA=$WPA
BUSYBOX=$BUSYBOX
IW=$IW
EOT
mv "$BUILD/thirdparty.env.tmp" "$BUILD/thirdparty.env"
