#!/bin/bash
# Issue 8: IPv6 off with its one setting, net.ipv6.conf.all.disable_ipv6 = 1
# in sysctl.conf. Nothing IPv6 reaches the host (it solicits for 6 s), eth0
# gets no IPv6 address, netd makes no IPv6 chains, and IPv4 works as ever.
# shellcheck source=tests/integration/netd/lib.bash
. "$(dirname "$0")/../netd/lib.bash"
RA_LISTEN=$(dirname "$0")/ra-listen.py
command -v python3 >/dev/null || skip "no python3"

printf '# IPv6 off\nnet.ipv6.conf.all.disable_ipv6 = 1\n' > "$CONF/sysctl.conf"
station_mode
start_netd
wait_for 10 status_has "ipv6=off" || fail "status ipv6=$(status_get ipv6), expected off"
status_has "ipv6_off_reason=disable_ipv6 is set (sysctl.conf: net.ipv6.conf.all.disable_ipv6 = 1)" ||
    fail "status does not say why IPv6 is off: $(status_get ipv6_off_reason)"
status_has "ra=off" || fail "status ra=$(status_get ra)"
host_lease || fail "the host got no IPv4 lease"
[ "$(lease_get router)" = 10.0.0.1 ] || fail "IPv4: router '$(lease_get router)'"
echo "ok: IPv4 serves the host"
# Silence counts only as the listener's exit 3: it solicited, and heard
# its own control advertisement, so it could have heard the guest's.
in_host python3 "$RA_LISTEN" host0 --solicit --control --seconds 6 > "$WORK/out/ra.json" 2>"$WORK/out/ra.err"
case $? in
3) ;;
0) cat "$WORK/out/ra.json"; fail "an advertisement reached the host with IPv6 off" ;;
*) fail "the listener could not vouch for silence: $(cat "$WORK/out/ra.err")" ;;
esac
echo "ok: $(cat "$WORK/out/ra.err")"
! in_guest_net ip -6 addr show dev eth0 | grep -q inet6 || fail "eth0 has IPv6 addresses: $(in_guest_net ip -6 addr show dev eth0)"
! in_guest_net ip6tables-legacy -S 2>/dev/null | grep -q WIFIBOX || fail "netd made IPv6 chains with IPv6 off"
grep -q "IPv6 is off: disable_ipv6 is set" "$WORK/out/netd.log" || fail "the log does not say IPv6 is off"
echo "ok: no IPv6 address, no IPv6 chains, the log says why"
stop_netd || fail "netd did not exit 0 on SIGTERM"
exit 0
