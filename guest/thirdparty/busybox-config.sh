#!/bin/sh
# Regenerates busybox.config from busybox.fragment on top of allnoconfig.
# Run after editing the fragment; commit both. Usage: busybox-config.sh SRCDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$1"
make allnoconfig >/dev/null 2>&1
grep -v '^#' "$here/busybox.fragment" | grep . | while IFS='=' read -r k v; do
    sed -i "/^$k=/d; /^# $k is not set/d" .config
    if [ "$v" = n ]; then echo "# $k is not set"; else echo "$k=$v"; fi >> .config
done
yes '' | make oldconfig >/dev/null 2>&1
# Every fragment line must have survived; refuse to write a config that lost one.
lost=$(grep -v '^#' "$here/busybox.fragment" | grep . | while IFS='=' read -r k v; do
    if [ "$v" = n ]; then grep -q "^$k=" .config && echo "$k=n"
    else grep -qx "$k=$v" .config || echo "$k=$v"
    fi
done)
[ -z "$lost" ] || { echo "busybox-config: these fragment lines did not take: $lost" >&2; exit 1; }
cp .config "$here/busybox.config"
