#!/bin/sh
# wolfSSL: the crypto behind WPA2/WPA3-SAE in wpa_supplicant and hostapd.
set -eu
cd "$SRC"
./autogen.sh >/dev/null 2>&1
CC=musl-gcc CFLAGS="-Os -ffunction-sections -fdata-sections" \
    ./configure --prefix=/ --enable-static --disable-shared --enable-wpas \
    --disable-examples --disable-crypttests --disable-benchmark \
    --disable-dependency-tracking $WOLFSSL_OPTS >/dev/null
make -j"$JOBS" >/dev/null
make install DESTDIR="$PREFIX" >/dev/null

# The library is compiled with -DHAVE___UINT128_T=1 when the compiler has
# __uint128_t, but configure deliberately leaves that define out of the
# installed options.h. Without it a user of the headers computes another
# sp_int layout (32-bit digits, 257 of them, instead of the library's 129
# 64-bit ones): mp_int, mp_digit, ecc_key and DhKey differ in size and
# meaning on the two sides. wpa's crypto_wolfssl.c keeps such values by
# value, so the library's 64-bit mp_montgomery_setup() result overwrote
# the curve's b and SAE H2E failed ("SAE: Failed to derive PT"). Record
# the define where every user of the headers sees it.
if grep -q '^#define HAVE___UINT128_T 1' config.h; then
    cat >> "$PREFIX/include/wolfssl/options.h" <<'EOT'

/* wifibox-guest: the library was built with it; see wolfssl.sh. */
#ifndef HAVE___UINT128_T
#define HAVE___UINT128_T 1
#endif
EOT
fi
