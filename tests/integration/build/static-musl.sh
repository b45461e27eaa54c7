#!/bin/sh
# Every ELF program in root.img is static and linked against musl: no
# program interpreter, no dynamic section, and none of glibc's strings.
set -eu
top=$(cd "$(dirname "$0")/../../.." && pwd)
img=${OUT:-$top/out}/root.img
[ -f "$img" ] || { echo "no $img: build first"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
unsquashfs -q -n -d "$dir/root" "$img" >/dev/null
n=0 bad=0
for f in $(find "$dir/root" -type f ! -name '*.ko'); do
    head -c 4 "$f" | grep -q 'ELF' || continue
    n=$((n + 1))
    rel=${f#"$dir/root"}
    if readelf -l "$f" | grep -q 'INTERP'; then echo "$rel: has a program interpreter (dynamic)"; bad=1; fi
    if readelf -d "$f" 2>/dev/null | grep -q 'NEEDED'; then echo "$rel: needs shared libraries"; bad=1; fi
    if grep -aq -e 'GLIBC_' -e 'glibc.malloc' "$f"; then echo "$rel: contains glibc"; bad=1; fi
done
echo "$n ELF programs checked"
[ "$n" -ge 7 ] || { echo "expected at least 7 programs (busybox, wpa_supplicant, wpa_cli, hostapd, hostapd_cli, iptables, init)"; exit 1; }
exit $bad
