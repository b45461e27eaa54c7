#!/bin/bash
# Issue 8, bad input: a malformed inet6 stanza is named with its line and
# what was expected; eth0 keeps the contract's fd00::ffff/64 and the host
# still gets its prefix; IPv4 is untouched.
# shellcheck source=tests/integration/netd/lib.bash
. "$(dirname "$0")/../netd/lib.bash"
RA_LISTEN=$(dirname "$0")/ra-listen.py
command -v python3 >/dev/null || skip "no python3"

cat > "$CONF/interfaces.conf" <<'CONF'
iface eth0 inet static
    address 10.0.0.1/24
iface eth0 inet6 static
    address fd00::zz/64
    dns-nameservers 2001:db8::53 not-an-address
iface eth0 inet6 dhcp
CONF
station_mode
start_netd
wait_for 10 status_has "ra=prefix-only" || fail "netd never advertised (status ra=$(status_get ra))"
log=$WORK/out/netd.log
grep -q "interfaces.conf:4: address 'fd00::zz/64' is not an IPv6 address (expected e.g. fd00::ffff/64)" "$log" ||
    fail "no clear error for the bad address"
grep -q "interfaces.conf:5: dns-nameservers 'not-an-address' is not an IPv6 address" "$log" ||
    fail "no clear error for the bad DNS server"
grep -q "interfaces.conf:3: 'iface eth0 inet6 static' has no valid address: using the default fd00::ffff/64" "$log" ||
    fail "the fallback to the default is not said"
grep -q "interfaces.conf:6: a second 'iface eth0 inet6' stanza\|interfaces.conf:6: 'iface eth0 inet6 dhcp' is not supported" "$log" ||
    fail "the second stanza is not reported"
grep -E "interfaces.conf:[0-9]+:" "$log"
in_guest_net ip -6 addr show dev eth0 | grep -q "inet6 fd00::ffff/64" || fail "eth0 lacks the default fd00::ffff/64"
in_host python3 "$RA_LISTEN" host0 --solicit --seconds 10 > "$WORK/out/ra.json" || fail "no advertisement reached host0"
grep -q '"prefix": "fd00::", "len": 64' "$WORK/out/ra.json" || { cat "$WORK/out/ra.json"; fail "not the default prefix"; }
wait_for 5 status_has "host_addr=10.0.0.1/24" || fail "IPv4 address lost"
echo "ok: errors named, defaults kept, the host still gets the prefix"
stop_netd || fail "netd did not exit 0 on SIGTERM"
exit 0
