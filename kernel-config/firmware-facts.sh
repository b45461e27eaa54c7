#!/bin/sh
# firmware-facts.sh KSRC DEST: what the Wi-Fi drivers of the kernel source
# KSRC accept or ask for beyond their modinfo, read from the drivers' own
# tables, for guest/firmware.sh. Writes:
#  DEST/iwlwifi-api-ranges  the firmware API range iwlwifi accepts, per
#      firmware name (drivers/net/wireless/intel/iwlwifi/cfg/*.c):
#        iwlwifi-cc-a0 77 77
#      The driver asks for <name>-<max>.ucode first, then each lower API
#      down to <min>; anything outside the range is never loaded.
#  DEST/undeclared  files a driver loads without a MODULE_FIRMWARE line
#      (ath11k's and ath12k's per-chip directories, PCI chips only; the
#      rt2x00 PCI drivers' files), as
#        <driver folder under drivers/net/wireless> <glob under /lib/firmware>
set -eu
src=$1 dest=$2
wl=$src/drivers/net/wireless
mkdir -p "$dest"

iwlwifi_api_ranges() {
cfg=$wl/intel/iwlwifi/cfg
[ -d "$cfg" ] || { echo "firmware-facts: no $cfg" >&2; exit 1; }
for f in "$cfg"/*.c; do
    awk '
    $1 == "#define" && $2 ~ /_FW_PRE$/ && $3 ~ /^"/ { gsub(/"/, "", $3); pre[$2] = $3 }
    $1 == "#define" && $2 ~ /_UCODE_API_M(AX|IN)$/ { api[$2] = $3 + 0 }
    /^MODULE_FIRMWARE\([A-Z0-9_]+_MODULE_FIRMWARE\([A-Z0-9_]+_UCODE_API_MAX\)\);/ {
        split($0, w, /[()]/)
        name = w[2]; sub(/_MODULE_FIRMWARE$/, "", name)
        name = name (name ~ /_FW$/ ? "_PRE" : "_FW_PRE")
        max = w[3]; min = max; sub(/_MAX$/, "_MIN", min)
        if ((name in pre) && (max in api) && (min in api))
            print pre[name], api[min], api[max]
        else {
            printf "firmware-facts: %s: cannot read %s\n", FILENAME, $0 > "/dev/stderr"; bad = 1
        }
    }
    END { exit bad }' "$f"
done | LC_ALL=C sort -u
}

# ath11k and ath12k name each chip's directory in their hardware tables
# (.hw_rev = ATH12K_HW_WCN7850_HW20 ... .dir = "WCN7850/hw2.0") and load
# amss.bin, m3.bin, board-2.bin ... from it; only some have MODULE_FIRMWARE
# lines. Only the chips the PCI driver names count: the SoC (AHB) ones never
# reach a Wifibox guest.
ath_fw_dirs() {   # ath_fw_dirs DRIVER HW_TABLE_FILE
    pci=$(grep -o "$(echo "$1" | tr "[:lower:]" "[:upper:]")_HW_[A-Z0-9_]*" "$wl/ath/$1/pci.c" | LC_ALL=C sort -u)
    awk '/\.hw_rev = / { rev = $3; sub(/,$/, "", rev) }
        /\.dir = "/ { d = $3; gsub(/[",]/, "", d); print rev, d }' "$wl/ath/$1/$2" |
        while read -r rev d; do
            echo "$pci" | grep -qxF "$rev" && echo "ath/$1 $1/$d/*"
        done | LC_ALL=C sort -u
}

# rt2800pci names only rt2860.bin in MODULE_FIRMWARE but loads rt3290.bin
# for the RT3290: take every FIRMWARE_ file the PCI drivers' headers name.
rt2x00_pci_files() {
    for h in "$wl"/ralink/rt2x00/*pci.h; do
        sed -n 's/^#define FIRMWARE_[A-Za-z0-9_]*[[:space:]]*"\([^"]*\)"$/\1/p' "$h"
    done | LC_ALL=C sort -u | while read -r f; do echo "ralink/rt2x00 $f"; done
}

iwlwifi_api_ranges > "$dest/iwlwifi-api-ranges"
[ -s "$dest/iwlwifi-api-ranges" ] || { echo "firmware-facts: no iwlwifi API range found" >&2; exit 1; }
{ ath_fw_dirs ath11k core.c; ath_fw_dirs ath12k hw.c; rt2x00_pci_files; } > "$dest/undeclared"
[ -s "$dest/undeclared" ] || { echo "firmware-facts: no ath11k/ath12k firmware directory found" >&2; exit 1; }
