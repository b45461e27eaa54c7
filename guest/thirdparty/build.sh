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

# build_one NAME BUILDER EXTRA_FILES DEP_KEYS [PACKAGE]: sets $dir to the
# build's prefix in the cache, building it first when it is not there.
# PACKAGE is the pinned source package, when it is not NAME.
build_one() {
    name=$1 builder=$2 files=$3 deps=$4 pkg=${5:-$1}
    # shellcheck disable=SC2086 # $files is a list of paths
    key=$(cache_key "$HERE/$builder" $files -- "$(awk -v p="$pkg" '$1 == p' "$LOCK")" "$toolchain" "$deps")
    dir=$CACHE/thirdparty/$name-$key
    if [ -f "$dir/.complete" ]; then
        note "$name: cached ($key)"
        return
    fi
    note "$name: building ($key)"
    work=$(mktemp -d "$CACHE/work/$name.XXXXXX")
    if [ "$name" != kheaders ]; then
        "$HERE/fetch.sh" "$pkg" "$work/src"
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
build_one openssl openssl.sh "" "${KHDR##*/}"
OPENSSL=$dir; export OPENSSL
# The image's wpa_supplicant and hostapd use wolfSSL; WPA_TLS=openssl
# builds them with OpenSSL instead, to measure the other choice (README,
# "Enterprise networks and the TLS library": it does not fit the budget).
WPA_TLS=${WPA_TLS:-wolfssl}; export WPA_TLS
case $WPA_TLS in
wolfssl) tls_dir=$WOLFSSL ;;
openssl) tls_dir=$OPENSSL ;;
*) die "WPA_TLS=$WPA_TLS: expected wolfssl or openssl" ;;
esac
build_one wpa wpa.sh "$HERE/wpa_supplicant.config $HERE/hostapd.config $(echo "$HERE"/patches/wpa/*.patch)" "${KHDR##*/} ${LIBNL##*/} ${tls_dir##*/} $WPA_TLS"
WPA=$dir
# The test world's RADIUS server and authenticator: on the test share only.
build_one wpa-world wpa-world.sh "$HERE/hostapd-world.config" "${KHDR##*/} ${LIBNL##*/} ${OPENSSL##*/}" wpa
WPA_WORLD=$dir
build_one busybox busybox.sh "$HERE/busybox.config" "${KHDR##*/}"
BUSYBOX=$dir
build_one iw iw.sh "" "${KHDR##*/} ${LIBNL##*/}"
IW=$dir
build_one dnsmasq dnsmasq.sh "" "${KHDR##*/}"
DNSMASQ=$dir

cat > "$BUILD/thirdparty.env.tmp" <<EOT
KHDR=$KHDR
LIBNL=$LIBNL
WOLFSSL=$WOLFSSL
IPTABLES=$IPTABLES
WPA=$WPA
WPA_TLS=$WPA_TLS
OPENSSL=$OPENSSL
WPA_WORLD=$WPA_WORLD
BUSYBOX=$BUSYBOX
IW=$IW
DNSMASQ=$DNSMASQ
EOT
mv "$BUILD/thirdparty.env.tmp" "$BUILD/thirdparty.env"
