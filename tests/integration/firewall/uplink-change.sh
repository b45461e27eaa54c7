#!/bin/bash
# A change of uplink or mode replaces netd's rules: nothing of the old
# uplink stays, the jumps stay single, and losing the uplink removes NAT
# and forwards while the guest stays closed.
# shellcheck source=tests/integration/firewall/lib.bash
. "$(dirname "$0")/lib.bash"

guest_only
printf 'tcp 2222 -> 10.0.0.2:22\n' > "$TMP/forwards"

station --uplink wlan0 --forwards "$TMP/forwards" 2>/dev/null || fail "apply on wlan0 failed"
ours > "$TMP/wlan0"
grep -q -- '-o wlan0 .*MASQUERADE' "$TMP/wlan0" || fail "no masquerade out of wlan0"

log "uplink wlan0 -> wlan1"
station --uplink wlan1 --forwards "$TMP/forwards" 2>/dev/null || fail "apply on wlan1 failed"
ours > "$TMP/wlan1"
! grep -q wlan0 "$TMP/wlan1" || { grep wlan0 "$TMP/wlan1"; fail "rules for the old uplink remain"; }
grep -q -- '-A WIFIBOX-POSTROUTING -o wlan1 .*MASQUERADE' "$TMP/wlan1" || fail "no masquerade out of wlan1"
grep -q -- '-A WIFIBOX-PREROUTING -i wlan1 -p tcp -m tcp --dport 2222 .*DNAT --to-destination 10.0.0.2:22' "$TMP/wlan1" ||
    fail "the forward did not move to wlan1"
[ "$(wc -l < "$TMP/wlan0")" = "$(wc -l < "$TMP/wlan1")" ] || fail "the rule count changed with the uplink's name"
sed 's/wlan0/wlan1/g' "$TMP/wlan0" | diff -u - "$TMP/wlan1" || fail "wlan1's rules are not wlan0's renamed"

log "uplink lost"
station --uplink '' --forwards "$TMP/forwards" 2>/dev/null || fail "apply without uplink failed"
ours > "$TMP/none"
! grep -qE 'MASQUERADE|DNAT|wlan' "$TMP/none" || fail "NAT or forwards remain without an uplink"
grep -q -- '-A WIFIBOX-INPUT -m comment --comment "wifibox: drop inbound" -j DROP' "$TMP/none" ||
    fail "the inbound drop is gone without an uplink"

log "access-point mode: uplink eth0, inside wlan0"
fw --mode ap --uplink eth0 --inside wlan0 --net 192.168.0.0/24 --self 192.168.0.1 --bridge 1200 2>/dev/null ||
    fail "apply in access-point mode failed"
ours > "$TMP/ap"
grep -q -- '-A WIFIBOX-POSTROUTING -o eth0 .*MASQUERADE' "$TMP/ap" || fail "no masquerade out of eth0 in AP mode"
grep -q -- '-A WIFIBOX-FORWARD -i wlan0 -o eth0 .*forward out' "$TMP/ap" || fail "no forwarding from wlan0 out of eth0"
grep -q -- '-A WIFIBOX-INPUT -i eth0 -p tcp -m tcp --dport 1200 ' "$TMP/ap" || fail "the bridge is not open to the host on eth0"
for chain in INPUT FORWARD PREROUTING POSTROUTING; do
    n=$(save | grep -c "^-A $chain -j WIFIBOX-$chain\$" || true)
    [ "$n" = 1 ] || fail "$chain jumps to WIFIBOX-$chain $n times after the changes"
done
echo "pass"
