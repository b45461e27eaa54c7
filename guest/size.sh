#!/bin/sh
# size.sh: `make size` — the size budgets, judged on esp.img + root.img.
#  - everything (kernel and modules in, firmware out): aim <= 8 MiB;
#  - root.img without kernel modules and firmware: <= 3 MiB.
# The split is measured by squashing the same root again without the
# firmware, then without the modules, with the same options.
set -eu
. "$(dirname "$0")/lib.sh"
R=$BUILD/rootfs
[ -f "$OUT/root.img" ] && [ -d "$R" ] && [ -f "$BUILD/inputs.env" ] || die "no image yet: run 'make' first"
. "$BUILD/inputs.env"

squash_size() {   # squash_size EXCLUDE...: size of root.img without those dirs
    tmp=$(mktemp "$BUILD/size.XXXXXX")
    "$TOOLS/run" mksquashfs "$R" "$tmp" -comp xz -Xbcj x86 -noappend -all-root -no-xattrs \
        -quiet -no-progress -wildcards -e "$@" >/dev/null
    stat -c %s "$tmp"; rm -f "$tmp"
}
esp=$(stat -c %s "$OUT/esp.img")
root=$(stat -c %s "$OUT/root.img")
kernel=$(stat -c %s "$OUT/vmlinuz")
nofw=$(squash_size 'lib/firmware/*' )
rest=$(squash_size 'lib/firmware/*' 'lib/modules')
regdb=$(stat -c %s "$R/lib/firmware/regulatory.db")
mib() { echo "$1" | awk '{ printf "%6.2f MiB", $1 / 1048576 }'; }
verdict() { [ "$1" -le $(($2 * 1048576)) ] && echo "ok (<= $2 MiB)" || echo "OVER BUDGET (> $2 MiB)"; }

echo "size of the image (esp.img + root.img):"
echo "  esp.img              $(mib "$esp")   (kernel $(mib "$kernel"))"
echo "  root.img             $(mib "$root")"
echo "    firmware           $(mib $((root - nofw)))   (FIRMWARE=${FIRMWARE:-none}; not in the budget)"
echo "    kernel modules     $(mib $((nofw - rest)))"
echo "    everything else    $(mib "$rest")   $(verdict "$rest" 3)"
echo "  total, no firmware   $(mib $((esp + nofw)))   $(verdict $((esp + nofw)) 8)"
[ "$regdb" -gt 0 ]
