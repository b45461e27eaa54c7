#!/bin/bash
# Neither wpa_supplicant.conf nor hostapd.conf: a clear message, and the
# host link still works: eth0 is configured and serves DHCP with the
# template's own (long) lease, since no uplink DNS will ever come.
. "$(dirname "$0")/lib.bash"

start_netd
wait_for 5 eth0_has 10.0.0.1/24 || fail "eth0 did not get 10.0.0.1/24"
wait_for 5 status_has "dhcp_server=running" || fail "the DHCP server does not run"
grep -q "neither /etc/wpa_supplicant/wpa_supplicant.conf nor /etc/hostapd/hostapd.conf exists" "$WORK/out/netd.log" \
	|| fail "no clear message about the missing Wi-Fi config on the console"
status_has "mode=none" || fail "status mode is not 'none'"
status_has "wifi_daemon=none" || fail "status names a Wi-Fi daemon"
host_lease || fail "the host got no lease"
[ "$(lease_get lease)" = 864000 ] || fail "lease time is '$(lease_get lease)', expected the template's 864000"
stop_netd || fail "netd did not exit 0 on SIGTERM"
exit 0
