#!/bin/sh
# wpa-world: hostapd with the EAP server and the RADIUS server, on OpenSSL,
# for the test world's enterprise access point (sim/world). Never in the
# image: guest/mkrootfs.sh does not take it; the tests carry it on the
# testworld share.
set -eu
cd "$SRC"
{
    cat "$HERE/hostapd-world.config"
    echo "CC=musl-gcc
CFLAGS += -Os -ffunction-sections -fdata-sections -I$OPENSSL/include -I$KHDR/include -ffile-prefix-map=$SRC=wpa -ffile-prefix-map=$CACHE=cache
LDFLAGS += -static -Wl,--gc-sections -L$OPENSSL/lib -L$LIBNL/lib
LIBNL_INC=$LIBNL/include/libnl3"
} > hostapd/.config
make -C hostapd -j"$JOBS" hostapd hostapd_cli >/dev/null
mkdir -p "$PREFIX/sbin"
install -m 755 -s hostapd/hostapd "$PREFIX/sbin/hostapd-eap"
install -m 755 -s hostapd/hostapd_cli "$PREFIX/sbin/hostapd_cli-eap"
