#!/bin/sh
# The card table users read is the one the build checks: the tables in
# wifibox-guest(5) and the README are exactly what guest/cards.sh prints
# from guest/cards.table, and every family the table names is a value of
# FIRMWARE= (guest/firmware.families).
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top" || exit 1
bad=0
between() {   # between FILE BEGIN END: the lines strictly between the markers
    B=$2 E=$3 awk 'index($0, ENVIRON["E"]) { on = 0 } on { print } index($0, ENVIRON["B"]) { on = 1 }' "$1"
}
check() {   # check FILE FORMAT BEGIN END
    want=$(guest/cards.sh "$2")
    got=$(between "$1" "$3" "$4")
    [ -n "$got" ] || { echo "$1: no card table between its cards.table markers"; bad=1; return; }
    if [ "$want" != "$got" ]; then
        echo "$1: the card table differs from guest/cards.table (regenerate with guest/cards.sh $2):"
        printf '%s\n' "$want" > /tmp/cards.want.$$; printf '%s\n' "$got" > /tmp/cards.got.$$
        diff -u /tmp/cards.got.$$ /tmp/cards.want.$$ | head -n 20
        rm -f /tmp/cards.want.$$ /tmp/cards.got.$$
        bad=1
    fi
}
check guest/wifibox-guest.5 mdoc '.\" cards.table begin' '.\" cards.table end'
check README.md markdown '<!-- cards.table begin' '<!-- cards.table end'
families=$(awk '!/^#/ && NF >= 3 { print $1 }' guest/firmware.families)
for f in $(awk -F'|' '!/^#/ && NF >= 5 { gsub(/ /, "", $1); print $1 }' guest/cards.table | sort -u); do
    [ "$f" = - ] && continue
    echo "$families" | grep -qxF "$f" || { echo "guest/cards.table: family '$f' is not in guest/firmware.families"; bad=1; }
done
[ $bad = 0 ] && echo "card tables in wifibox-guest(5) and README.md match guest/cards.table ($(grep -vc '^#' guest/cards.table) cards)"
exit $bad
