#!/bin/sh
# The crypto under WPA3-SAE, checked on the build host: builds sae-kat.c
# with wpa's own crypto_wolfssl.c, sae.c and dragonfly.c (the pinned Debian
# source, our patches applied as wpa.sh applies them) against the wolfSSL
# that build/thirdparty.env names, static with musl, and runs it.
#   WOLFSSL=DIR       test another wolfSSL prefix (e.g. an older cache entry)
#   WPA_PATCHES=none  leave guest/thirdparty/patches/wpa/ out
# Exit 0 pass, 77 skip (nothing built yet), 1 fail.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
CACHE=${CACHE:-/var/cache/wifibox-guest}
export CACHE TOP

skip() { echo "SKIP: $*"; exit 77; }

command -v musl-gcc >/dev/null || skip "musl-gcc is missing (make deps)"
if [ -z "${WOLFSSL:-}" ]; then
    [ -f "$TOP/build/thirdparty.env" ] || skip "no build/thirdparty.env: run guest/thirdparty/build.sh"
    WOLFSSL=$(sed -n 's/^WOLFSSL=//p' "$TOP/build/thirdparty.env")
fi
[ -f "$WOLFSSL/lib/libwolfssl.a" ] || skip "no wolfSSL in '$WOLFSSL': run guest/thirdparty/build.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/sae-kat.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$TOP/guest/thirdparty/fetch.sh" wpa "$work/wpa" || skip "cannot get the wpa source"
if [ "${WPA_PATCHES:-}" != none ]; then
    for p in "$TOP"/guest/thirdparty/patches/wpa/*.patch; do
        [ -f "$p" ] || continue
        echo "applying $(basename "$p")"
        (cd "$work/wpa" && patch -s -p1) < "$p"
    done
fi

s=$work/wpa/src
echo "wolfSSL: $WOLFSSL"
# The CFLAGS of wpa.sh, the defines wpa's Makefile gives these files.
musl-gcc -Os -Wall -o "$work/sae-kat" \
    -DCONFIG_SAE -DCONFIG_ECC -DCONFIG_SHA256 -DCONFIG_SHA384 -DCONFIG_SHA512 \
    -I"$HERE" -I"$s" -I"$s/utils" -I"$WOLFSSL/include" \
    "$HERE/sae-kat.c" \
    "$s/crypto/crypto_wolfssl.c" "$s/crypto/random.c" "$s/crypto/dh_groups.c" \
    "$s/crypto/sha256-prf.c" "$s/crypto/sha256-kdf.c" \
    "$s/crypto/sha384-prf.c" "$s/crypto/sha384-kdf.c" \
    "$s/crypto/sha512-prf.c" "$s/crypto/sha512-kdf.c" \
    "$s/common/sae.c" "$s/common/dragonfly.c" \
    "$s/utils/common.c" "$s/utils/os_unix.c" "$s/utils/wpa_debug.c" \
    "$s/utils/wpabuf.c" "$s/utils/eloop.c" \
    -L"$WOLFSSL/lib" -lwolfssl -lm -static
"$work/sae-kat"
