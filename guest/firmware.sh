#!/bin/sh
# firmware.sh ROOT: puts the card firmware of the families $FIRMWARE selects
# (comma-separated, "all", or empty for none; guest/firmware.families) into
# ROOT/lib/firmware, recording each file's origin (guest/origins.sh).
# firmware.sh --plan FAMILY: prints what FAMILY would put there, one line
# per file: "PATH<TAB>SOURCE" (PATH under /lib/firmware).
# The plans are kept in $PLANS (default $BUILD/firmware), one per family.
#
# A family takes what its drivers ask for, not whole folders of a package:
#  - each module's `modinfo -F firmware` names, which may be globs, and the
#    files its source loads undeclared ($KERNEL/firmware-facts/undeclared);
#    ath10k declares board.bin but asks for board-2.bin (board API 2, one
#    file for all board variants) first, so that one is taken beside it;
#  - for iwlwifi, per firmware name, the newest API inside the range the
#    driver accepts ($KERNEL/firmware-facts/iwlwifi-api-ranges), and the
#    name's .pnvm: a file outside the range would never load.
# A link is kept as a link when what it points at is taken too, and is
# replaced by its target's content otherwise; a link that points nowhere
# stops the build.
set -eu
. "$(dirname "$0")/lib.sh"
. "$TOP/guest/pins.sh"
. "$TOP/guest/origins.sh"
. "$BUILD/inputs.env"
. "$BUILD/kernel.env"
FAMILIES=$TOP/guest/firmware.families
FACTS=$KERNEL/firmware-facts
WIRELESS=$KERNEL/modules/lib/modules/$(cat "$KERNEL/release")/kernel/drivers/net/wireless
TAB=$(printf '\t')

families() { awk '!/^#/ && NF >= 3 { print $1 }' "$FAMILIES"; }
family_field() { awk -v f="$1" -v n="$2" '!/^#/ && $1 == f { print $n }' "$FAMILIES"; }

# requests FAMILY: the globs (under /lib/firmware) its drivers ask for.
requests() {
    for d in $(family_field "$1" 3 | tr , ' '); do
        [ -d "$WIRELESS/$d" ] || die "guest/firmware.families: $1: no driver folder $d in the kernel's modules"
        find "$WIRELESS/$d" -name '*.ko' | LC_ALL=C sort | while read -r ko; do
            "$TOOLS/run" modinfo -F firmware "$ko"
        done | sed 'p; s|^\(ath10k/.*\)/board\.bin$|\1/board-2.bin|'
        awk -v d="$d" '$1 == d { print $2 }' "$FACTS/undeclared"
    done | LC_ALL=C sort -u
}

# iwlwifi_pick TREE: the .ucode files inside the accepted API ranges, the
# newest per firmware name, and each name's .pnvm. A name the driver builds
# at run time (bz-b0-... from the MAC step) takes the range of the names
# that share its first part (bz).
iwlwifi_pick() {
    (cd "$1/lib/firmware" && find . -maxdepth 1 -name 'iwlwifi-*.ucode' | sed 's|^\./||') |
        awk -v mode=pick -v ranges="$FACTS/iwlwifi-api-ranges" -f "$TOP/guest/iwlwifi-api.awk" |
        LC_ALL=C sort
}

# plan FAMILY: "PATH<TAB>SOURCE" for each file FAMILY takes.
plan() {
    fam=$1
    pkgs=$(family_field "$fam" 2)
    [ -n "$pkgs" ] || die "FIRMWARE: unknown family '$fam'; known: all, $(families | paste -sd, -)"
    [ "$pkgs" != - ] || return 0
    globs=$(requests "$fam")
    for pkg in $(echo "$pkgs" | tr , ' '); do
        tree=$(pin_deb "$pkg")
        fw=$tree/lib/firmware
        if [ "$fam" = iwlwifi ]; then
            iwlwifi_pick "$tree"
        else
            echo "$globs" | while read -r g; do
                [ -n "$g" ] || continue
                (cd "$fw" && find . ! -type d -path "./$g" | sed 's|^\./||')
            done
        fi | while IFS= read -r rel; do
            if [ -e "$fw/$rel" ] || [ -L "$fw/$rel" ]; then printf '%s\t%s\n' "$rel" "$fw/$rel"; fi
        done
    done | LC_ALL=C sort -u -t "$TAB" -k1,1
}

# place PLANFILE: puts the planned files into the root (the current
# directory), links kept where their target is planned too.
place() {
    while IFS=$TAB read -r rel src; do
        [ -e "./lib/firmware/$rel" ] || [ -L "./lib/firmware/$rel" ] && continue
        if [ -L "$src" ]; then
            real=$(readlink -f "$src" 2>/dev/null || true)
            tree=${src%%/lib/firmware/*}
            case $real in
            "$tree"/*) ;;
            *) die "firmware: $rel in ${tree##*/} points outside its package ($(readlink "$src"))" ;;
            esac
            [ -f "$real" ] || die "firmware: $rel in ${tree##*/} is a dangling link (to $(readlink "$src"))"
            target_rel=${real#"$tree"/lib/firmware/}
            if [ "$target_rel" != "$real" ] && awk -F "$TAB" -v r="$target_rel" '$1 == r { f = 1 } END { exit !f }' "$1"; then
                put_link "$(readlink "$src")" "/lib/firmware/$rel"
            else
                put_file 644 "$real" "/lib/firmware/$rel"
            fi
        else
            put_file 644 "$src" "/lib/firmware/$rel"
        fi
    done < "$1"
}

if [ "${1:-}" = --plan ]; then
    plan "$2"
    exit 0
fi

root=$1
[ -n "${FIRMWARE:-}" ] || exit 0
[ "$FIRMWARE" = all ] && FIRMWARE=$(awk '!/^#/ && NF >= 3 && $2 != "-" { print $1 }' "$FAMILIES" | paste -sd, -)
PLANS=${PLANS:-$BUILD/firmware}
mkdir -p "$PLANS"
cd "$root"
for fam in $(echo "$FIRMWARE" | tr , ' '); do
    pkgs=$(family_field "$fam" 2)
    [ -n "$pkgs" ] || die "FIRMWARE: unknown family '$fam'; known: all, $(families | paste -sd, -)"
    [ "$pkgs" != - ] || die "FIRMWARE=$fam: Debian ships no firmware for $fam (its licence forbids it); put the files in the config share's firmware/ folder instead (wifibox-guest(5), \"Firmware from the host\")"
    plan "$fam" > "$PLANS/$fam.plan"
    [ -s "$PLANS/$fam.plan" ] || die "FIRMWARE=$fam: none of the files its drivers ask for is in $pkgs"
    place "$PLANS/$fam.plan"
done
