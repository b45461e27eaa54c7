#!/bin/sh
# size.sh: `make size` — the size budgets, judged on esp.img + root.img.
#  - everything (kernel and modules in, firmware out): aim <= 8 MiB;
#  - root.img without kernel modules and firmware: <= 3 MiB.
# The split is measured by squashing the same root again without the
# firmware, then without the modules, with the same options.
# size.sh --flavours adds what each firmware family (FIRMWARE=) would add
# to root.img, squashed alone with the same options (cached by content).
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

[ "${1:-}" = --flavours ] || exit 0
# Each family's files (guest/firmware.sh --plan), squashed on their own.
echo "firmware families (FIRMWARE=), each squashed alone; not in the budget:"
mkdir -p "$CACHE/fw-weights"
total=0
for fam in $(awk '!/^#/ && NF >= 3 && $2 != "-" { print $1 }' "$TOP/guest/firmware.families"); do
    plan=$("$TOP/guest/firmware.sh" --plan "$fam")
    key=$(cache_key "$TOP/guest/size.sh" "$TOP/guest/firmware.sh" -- "$plan" "$TOOLS")
    if [ ! -f "$CACHE/fw-weights/$key" ]; then
        # The family alone, placed as the build places it (links kept).
        tmp=$(mktemp -d "$BUILD/fw.XXXXXX")
        mkdir -p "$tmp/root/lib/firmware"
        FIRMWARE=$fam PLANS=$tmp/plans ORIGINS=$tmp/origins "$TOP/guest/firmware.sh" "$tmp/root"
        raw=$(du -sb "$tmp/root" | cut -f1)
        "$TOOLS/run" mksquashfs "$tmp/root" "$tmp.img" -comp xz -Xbcj x86 -noappend -all-root -no-xattrs \
            -quiet -no-progress >/dev/null
        echo "$(echo "$plan" | grep -c .) $raw $(stat -c %s "$tmp.img")" > "$CACHE/fw-weights/$key"
        rm -rf "$tmp" "$tmp.img"
    fi
    read -r files raw packed < "$CACHE/fw-weights/$key"
    total=$((total + packed))
    printf '  %-9s %4d files %s squashed (%s raw)\n' "$fam" "$files" "$(mib "$packed")" "$(mib "$raw")"
done
printf '  all       %s squashed, at most (families share no file)\n' "$(mib "$total")"
