#!/bin/sh
# cards.sh mdoc|markdown: the card table (guest/cards.table) as it appears
# in wifibox-guest(5) and the README, between their "cards.table" markers.
# tests/integration/docs/cards.sh checks that both are up to date.
set -eu
table=$(dirname "$0")/cards.table
fields() {   # card, driver, family, options; trimmed, tab-separated
    awk -F'|' '!/^#/ && NF >= 5 {
        for (i = 1; i <= 5; i++) { gsub(/^ +| +$/, "", $i) }
        fam = ($1 == "-") ? "none" : $1
        opt = ($5 == "-") ? "" : $5
        printf "%s\t%s\t%s\t%s\n", $2, $3, fam, opt }' "$table"
}
case ${1:-} in
mdoc)
    echo '.Bl -column "Intel Wi-Fi 6 AX201 (Ice/Comet Lake)" "rtw89_8922ae" "FIRMWARE=" "options"'
    echo '.It Em card Ta Em driver Ta Em FIRMWARE= Ta Em "bhyve needs"'
    fields | while IFS="$(printf '\t')" read -r card drv fam opt; do
        printf '.It %s Ta %s Ta %s Ta %s\n' "$card" "$drv" "$fam" "${opt:-\&}"
    done
    echo '.El' ;;
markdown)
    echo '| card | driver | `FIRMWARE=` | bhyve needs (`modules.conf`) |'
    echo '|---|---|---|---|'
    fields | while IFS="$(printf '\t')" read -r card drv fam opt; do
        printf '| %s | %s | %s | %s |\n' "$card" "$drv" "$fam" "$opt"
    done ;;
*) echo "usage: $0 mdoc|markdown" >&2; exit 100 ;;
esac
