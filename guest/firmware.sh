#!/bin/sh
# firmware.sh ROOT: copies the card firmware selected by $FIRMWARE
# (comma-separated driver families, or "all"; empty: none) from Debian's
# firmware packages, pinned in guest/thirdparty/sources.lock, into the
# root ROOT's /lib/firmware, recording their origins (guest/origins.sh).
set -eu
. "$(dirname "$0")/lib.sh"
. "$TOP/guest/pins.sh"
. "$TOP/guest/origins.sh"
root=$1
[ -n "${FIRMWARE:-}" ] || exit 0

# family  Debian package  files under /lib/firmware
table="iwlwifi firmware-iwlwifi iwlwifi-*
ath10k firmware-atheros ath10k
ath11k firmware-atheros ath11k
ath12k firmware-atheros ath12k
mt76 firmware-mediatek mediatek mt7603_e2.bin mt7610e.bin mt7662.bin mt7662_rom_patch.bin
rtw88 firmware-realtek rtw88
rtw89 firmware-realtek rtw89
rtlwifi firmware-realtek rtlwifi
brcmfmac firmware-brcm80211 brcm"
families=$(echo "$table" | awk '{ print $1 }')
[ "$FIRMWARE" = all ] && FIRMWARE=$(echo $families | tr ' ' ,)

cd "$root"
for fam in $(echo "$FIRMWARE" | tr , ' '); do
    line=$(echo "$table" | awk -v f="$fam" '$1 == f')
    [ -n "$line" ] || die "FIRMWARE: unknown family '$fam'; known: all, $(echo $families | tr ' ' ,)"
    pkg=$(echo "$line" | awk '{ print $2 }')
    tree=$(pin_deb "$pkg")
    # shellcheck disable=SC2086 # the globs are meant to expand
    for pattern in $(echo "$line" | cut -d' ' -f3-); do
        found=0
        for f in "$tree"/lib/firmware/$pattern; do
            [ -e "$f" ] || continue
            if [ -d "$f" ]; then put_tree "$f" "/lib/firmware/${f##*/}"
            else put_file 644 "$f" "/lib/firmware/${f##*/}"; fi
            found=1
        done
        [ $found = 1 ] || note "firmware: $pkg has no $pattern"
    done
done
