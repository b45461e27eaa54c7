#!/bin/bash
# Issue 8, on this machine: the real netd in a namespace gives eth0 the
# contract's fd00::ffff/64 and advertises the prefix to the host (host0),
# which configures an address from it; with no uplink (no Wi-Fi here) the
# advertisements carry router lifetime 0 and no DNS servers: the host gets
# no default route that leads nowhere. The IPv6 firewall is in place.
# shellcheck source=tests/integration/netd/lib.bash
. "$(dirname "$0")/../netd/lib.bash"
RA_LISTEN=$(dirname "$0")/ra-listen.py
command -v python3 >/dev/null || skip "no python3"

station_mode
start_netd
wait_for 10 status_has "ra=prefix-only" || fail "netd never advertised (status ra=$(status_get ra))"
in_host python3 "$RA_LISTEN" host0 --solicit --seconds 10 > "$WORK/out/ra.json" || fail "no advertisement reached host0"
cat "$WORK/out/ra.json"
python3 - "$WORK/out/ra.json" <<'PY' || fail "the advertisement is not what the host should get"
import json, sys
ra = json.loads(open(sys.argv[1]).readline())
assert ra["hop_limit"] == 255, ra             # RFC 4861: from the link itself
assert ra["router_lifetime"] == 0, ra         # no uplink IPv6: not a default router
assert ra["rdnss"] == [], ra
assert ra["prefixes"] == [{"prefix": "fd00::", "len": 64, "on_link": True, "autonomous": True,
                           "valid": 86400, "preferred": 14400}], ra
assert ra["src"].startswith("fe80:"), ra
print("ok: prefix fd00::/64, router lifetime 0, no DNS servers")
PY
host_addr6() { in_host ip -6 addr show dev host0 scope global | grep -q "inet6 fd00::"; }
wait_for 10 host_addr6 || fail "host0 made no address from fd00::/64"
echo "ok: host0 has $(in_host ip -6 addr show dev host0 scope global | awk '/inet6/{print $2; exit}')"
[ -z "$(in_host ip -6 route show default)" ] || fail "host0 has a default route: $(in_host ip -6 route show default)"
echo "ok: no default route on the host"
in_guest_net ip -6 addr show dev eth0 | grep -q "inet6 fd00::ffff/64" || fail "eth0 lacks fd00::ffff/64"
in_host ping -6 -c1 -W2 fd00::ffff >/dev/null 2>&1 || in_host "$BUSYBOX_BIN" ping -6 -c1 -W2 fd00::ffff >/dev/null ||
    fail "the host cannot ping the guest's fd00::ffff"
echo "ok: the host reaches fd00::ffff"

for key in ipv6=on ipv6_uplink=no ra_iface=eth0 ra_prefix=fd00::/64 ra_router_lifetime_s=0 host_addr6=fd00::ffff/64; do
    wait_for 5 status_has "$key" || fail "status lacks $key"
done
[ "$(status_get ra_sent)" -ge 1 ] || fail "status ra_sent=$(status_get ra_sent)"
in_guest /usr/sbin/netd status > "$WORK/out/netd-status.txt"
grep -q "advertising .*prefix-only on eth0, prefix fd00::/64" "$WORK/out/netd-status.txt" ||
    { cat "$WORK/out/netd-status.txt"; fail "'netd status' does not show the advertisements"; }
in_guest_net ip6tables-legacy -S WIFIBOX-INPUT > "$WORK/out/ip6tables.txt" 2>&1 ||
    { cat "$WORK/out/ip6tables.txt"; fail "no WIFIBOX-INPUT chain in the guest's IPv6 filter table"; }
grep -q -- '-j DROP' "$WORK/out/ip6tables.txt" || fail "the IPv6 input chain drops nothing"
echo "ok: netd's IPv6 chains are in place"
for f in all/forwarding default/accept_ra default/use_tempaddr; do
    echo "$f=$(in_guest_net cat /proc/sys/net/ipv6/conf/$f)"
done
[ "$(in_guest_net cat /proc/sys/net/ipv6/conf/all/forwarding)" = 1 ] || fail "IPv6 forwarding is off"
[ "$(in_guest_net cat /proc/sys/net/ipv6/conf/default/accept_ra)" = 2 ] || fail "new interfaces do not take advertisements"
stop_netd || fail "netd did not exit 0 on SIGTERM"
exit 0
