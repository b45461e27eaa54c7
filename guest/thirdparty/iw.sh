#!/bin/sh
# iw: the nl80211 command-line tool, so that a user at the console can read
# the card's capabilities, the regulatory domain and the link when a card
# misbehaves (iw list, iw reg get, iw dev wlan0 link). Static, musl, our
# libnl.
set -eu
cd "$SRC"
# iw's Makefile asks pkg-config for libnl; ours is installed with prefix /
# under $LIBNL, which the sysroot maps back.
PKG_CONFIG_LIBDIR=$LIBNL/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$LIBNL \
    make -j"$JOBS" CC=musl-gcc \
    CFLAGS="-Os -ffunction-sections -fdata-sections -I$KHDR/include -ffile-prefix-map=$SRC=iw" \
    LDFLAGS="-static -Wl,--gc-sections" V=1 iw >/dev/null
mkdir -p "$PREFIX/sbin"
install -m 755 iw "$PREFIX/sbin/"
