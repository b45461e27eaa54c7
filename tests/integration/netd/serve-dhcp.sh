#!/bin/bash
# Station mode, no config share: netd gives eth0 the contract's 10.0.0.1/24
# through rtnetlink and serves DHCP to the host: 10.0.0.x, router 10.0.0.1,
# the guest itself as DNS server (its dnsmasq) then the fallbacks, and a
# short lease while no uplink DNS is known (this machine has no Wi-Fi: the
# uplink never comes).
. "$(dirname "$0")/lib.bash"

station_mode
start_netd
wait_for 5 eth0_has 10.0.0.1/24 || fail "eth0 did not get 10.0.0.1/24"
wait_for 5 status_has "dhcp_server=running" || fail "status does not say the DHCP server runs"
host_lease || fail "the host got no lease"
ip=$(lease_get ip)
case $ip in 10.0.0.*) ;; *) fail "lease address '$ip' is not in 10.0.0.0/24" ;; esac
[ "$(lease_get router)" = 10.0.0.1 ] || fail "router is '$(lease_get router)', expected 10.0.0.1"
[ "$(lease_get dns)" = "10.0.0.1 8.8.8.8 8.8.4.4" ] ||
	fail "dns is '$(lease_get dns)', expected the guest, then the fallback 8.8.8.8 8.8.4.4"
wait_for 5 status_has "dns_forwarder=running" || fail "status does not say dnsmasq runs"
[ "$(lease_get lease)" = 60 ] || fail "lease time is '$(lease_get lease)', expected the short 60 s"
[ "$(lease_get mask)" = 24 ] || fail "mask is '$(lease_get mask)'"

# The status follows within a quarter second of a change (it is written
# at most four times a second).
wait_for 5 status_has "mode=station" || fail "status mode is not 'station'"
wait_for 5 status_has "wifi_daemon_state=waiting-for-interface" || fail "status: the Wi-Fi daemon should wait for an interface"
wait_for 5 status_has "dhcp_server_lease_s=60" || fail "status does not show the short lease"
wait_for 5 status_has "host_addr=10.0.0.1/24" || fail "status host_addr"
wait_for 5 status_has "host_link_state=up" || fail "status host_link_state is '$(status_get host_link_state)'"
[ -n "$(status_get milestone.dhcp_server)" ] || fail "no dhcp_server milestone"
[ -n "$(status_get milestone.netd_start)" ] || fail "no netd_start milestone"
before=$(status_get updated_ms)
in_guest /usr/sbin/netd status >"$WORK/out/netd-status.txt" || fail "'netd status' failed"
grep -q "host link .*eth0 up, 10.0.0.1/24" "$WORK/out/netd-status.txt" || fail "'netd status' does not show the host link"
[ "$(status_get updated_ms)" != "$before" ] || fail "'netd status' did not get a fresh status from the daemon"
echo "lease $ip; eth0 served $(( $(status_get milestone.dhcp_server) - $(status_get milestone.netd_start) )) ms after netd started"
stop_netd || fail "netd did not exit 0 on SIGTERM"
in_guest /usr/sbin/netd status | grep -q "netd is not running" || fail "'netd status' does not say netd is gone"
exit 0
