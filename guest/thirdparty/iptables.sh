#!/bin/sh
# iptables 1.8 legacy: xtables-legacy-multi for the user's iptables-restore
# file, and libip4tc/libip6tc for netd's firewall.
set -eu
cd "$SRC"
CC=musl-gcc CFLAGS="-Os -ffunction-sections -fdata-sections -I$KHDR/include" \
    ./configure --prefix=/ --disable-shared --enable-static --disable-nftables \
    --disable-connlabel --disable-dependency-tracking >/dev/null
make -j"$JOBS" LDFLAGS="-all-static -Wl,--gc-sections" >/dev/null
make install DESTDIR="$PREFIX" >/dev/null
