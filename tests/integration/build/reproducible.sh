#!/bin/sh
# Two builds from two clean clones give byte-identical esp.img and root.img.
# They share the cache of third-party and kernel builds (whose inputs are
# the same; building those twice would take ~20 minutes): the comparison
# covers our programs, the root tree, SquashFS and the ESP. For a fully
# cold double build: REPRO_COLD=1 (each clone then gets its own cache).
set -eu
top=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d /tmp/wifibox-repro.XXXXXX)
trap 'rm -rf "$work"' EXIT
for n in 1 2; do
    mkdir -p "$work/$n" && git -C "$top" archive HEAD | tar xf - -C "$work/$n"
    cache=${CACHE:-/var/cache/wifibox-guest}
    [ "${REPRO_COLD:-0}" = 1 ] && cache=$work/cache$n
    (cd "$work/$n" && CACHE=$cache BUILD=$work/$n/build OUT=$work/$n/out guest/build.sh > "$work/build$n.log" 2>&1) \
        || { tail -n 30 "$work/build$n.log"; exit 1; }
done
rc=0
for f in esp.img root.img vmlinuz disk.img grub.cfg manifest.txt; do
    a=$(sha256sum < "$work/1/out/$f"); b=$(sha256sum < "$work/2/out/$f")
    if [ "$a" = "$b" ]; then echo "identical: $f ${a%% *}"; else echo "DIFFERENT: $f"; rc=1; fi
done
exit $rc
