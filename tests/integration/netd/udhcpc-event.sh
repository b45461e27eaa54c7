#!/bin/bash
# udhcpc's script is netd itself (udhcpc-event): it keeps the lease in
# /run/netd/lease and hands it to the daemon over its socket; the daemon
# checks it (here: no Wi-Fi interface, so not the uplink, ignored).
. "$(dirname "$0")/lib.bash"

station_mode
start_netd
wait_for 5 status_has "dhcp_server=running" || fail "the DHCP server does not run"
in_guest env interface=wlan0 ip=192.168.1.23 mask=24 router=192.168.1.1 dns="192.168.1.1 1.1.1.1" \
	domain=lan lease=3600 /usr/libexec/netd/udhcpc-event bound || fail "the script failed"
lease=$(in_guest cat /run/netd/lease)
echo "$lease" | grep -qx "event=bound" || fail "lease file lacks the event: $lease"
echo "$lease" | grep -qx "dns=192.168.1.1 1.1.1.1" || fail "lease file lacks the DNS servers: $lease"
wait_for 5 grep -q "udhcpc bound on wlan0: not the uplink, ignored" "$WORK/out/netd.log" \
	|| fail "the daemon did not get (or did not check) the message"
status_has "lease=none" || fail "a lease for a missing interface was taken"
# without a daemon, the script still succeeds (udhcpc must not stop)
stop_netd || fail "netd did not exit 0"
in_guest env interface=wlan0 /usr/libexec/netd/udhcpc-event deconfig || fail "the script failed without netd"
in_guest cat /run/netd/lease | grep -qx "event=deconfig" || fail "the lease file was not updated without netd"
in_guest /usr/sbin/netd bogus; [ $? -eq 100 ] || fail "a usage error does not exit 100"
exit 0
