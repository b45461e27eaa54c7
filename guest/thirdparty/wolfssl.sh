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
