#!/bin/sh
# libnl3: static libnl-3, libnl-genl-3, libnl-route-3 for netd and wpa.
set -eu
cd "$SRC"
# Debian's patches touch Makefile.am; keep automake from running again.
touch -r configure.ac Makefile.am
CC=musl-gcc CFLAGS="-Os -ffunction-sections -fdata-sections -I$KHDR/include" \
    ./configure --prefix=/ --disable-shared --enable-static --enable-cli=no \
    --disable-debug --disable-dependency-tracking >/dev/null
make -j"$JOBS" >/dev/null
make install DESTDIR="$PREFIX" >/dev/null
