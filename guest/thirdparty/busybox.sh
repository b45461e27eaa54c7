#!/bin/sh
# busybox: the shell, getty/login, syslogd, udhcpd/udhcpc, modprobe and the
# everyday tools, from the committed busybox.config.
set -eu
cd "$SRC"
cp "$HERE/busybox.config" .config
# oldconfig must not change the committed config: a difference means the
# config and the busybox version disagree.
make CC=musl-gcc oldconfig </dev/null >/dev/null 2>&1
grep CONFIG_ "$HERE/busybox.config" > committed.options
grep CONFIG_ .config > effective.options
if ! diff -q committed.options effective.options >/dev/null; then
    diff committed.options effective.options >&2 || true
    echo "busybox.config is out of date for this busybox: regenerate it with guest/thirdparty/busybox-config.sh" >&2
    exit 1
fi
make -j"$JOBS" CC=musl-gcc HOSTCC=gcc \
    EXTRA_CFLAGS="-I$KHDR/include" SKIP_STRIP=n busybox >/dev/null
mkdir -p "$PREFIX/bin"
install -m 755 busybox "$PREFIX/bin/"
make busybox.links >/dev/null
install -m 644 busybox.links "$PREFIX/applets"
