#!/bin/sh
# dnsmasq: the DNS forwarder the host asks (issue 15). DNS only: busybox
# udhcpd keeps DHCP, so DHCP, DHCPv6, TFTP, the lease script, the
# authoritative server, ipsets, the dump file, loop detection, the
# version-revealing CHAOS names and inotify (netd tells it of new
# servers with SIGHUP, which also flushes the cache) are left out.
set -eu
cd "$SRC"
make -j"$JOBS" CC=musl-gcc \
    COPTS="-DNO_DHCP -DNO_DHCP6 -DNO_TFTP -DNO_SCRIPT -DNO_AUTH -DNO_IPSET -DNO_DUMPFILE -DNO_LOOP -DNO_ID -DNO_INOTIFY" \
    CFLAGS="-Os -ffunction-sections -fdata-sections -I$KHDR/include -ffile-prefix-map=$SRC=dnsmasq" \
    LDFLAGS="-static -Wl,--gc-sections" >/dev/null
mkdir -p "$PREFIX/sbin"
install -m 755 src/dnsmasq "$PREFIX/sbin/"
