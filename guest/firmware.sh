#!/bin/sh
# firmware.sh DEST: copies the card firmware selected by $FIRMWARE
# (comma-separated driver families, or "all"; empty: none) from Debian's
# firmware packages into DEST.
set -eu
. "$(dirname "$0")/lib.sh"
dest=$1
[ -n "${FIRMWARE:-}" ] || exit 0

# family  Debian package  files under /lib/firmware
table="iwlwifi firmware-iwlwifi iwlwifi-*
ath10k firmware-atheros ath10k
ath11k firmware-atheros ath11k
ath12k firmware-atheros ath12k
mt76 firmware-misc-nonfree mediatek mt7603_e2.bin mt7610e.bin mt7662.bin mt7662_rom_patch.bin
rtw88 firmware-realtek rtw88
rtw89 firmware-realtek rtw89
rtlwifi firmware-realtek rtlwifi
brcmfmac firmware-brcm80211 brcm"
families=$(echo "$table" | awk '{ print $1 }')
[ "$FIRMWARE" = all ] && FIRMWARE=$(echo $families | tr ' ' ,)

dl=$CACHE/firmware
mkdir -p "$dl"
for fam in $(echo "$FIRMWARE" | tr , ' '); do
    line=$(echo "$table" | awk -v f="$fam" '$1 == f')
    [ -n "$line" ] || die "FIRMWARE: unknown family '$fam'; known: all, $(echo $families | tr ' ' ,)"
    pkg=$(echo "$line" | awk '{ print $2 }')
    ver=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ { print $2 }')
    [ -n "$ver" ] && [ "$ver" != "(none)" ] || die "Debian package $pkg is not available: run 'make deps' (it enables non-free-firmware)"
    tree=$dl/$pkg-$ver
    if [ ! -f "$tree/.complete" ]; then
        tmp=$(mktemp -d "$dl/.get.XXXXXX")
        (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "$pkg=$ver") \
            || die "cannot download $pkg=$ver from the Debian mirror"
        rm -rf "$tree"; dpkg-deb -x "$tmp"/*.deb "$tree"; rm -rf "$tmp"
        touch "$tree/.complete"
    fi
    # shellcheck disable=SC2086 # the globs are meant to expand
    for pattern in $(echo "$line" | cut -d' ' -f3-); do
        found=0
        for f in "$tree"/lib/firmware/$pattern; do
            [ -e "$f" ] || continue
            cp -a "$f" "$dest/"; found=1
        done
        [ $found = 1 ] || note "firmware: $pkg $ver has no $pattern"
    done
done
