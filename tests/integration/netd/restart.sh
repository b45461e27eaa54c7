#!/bin/bash
# netd killed (init restarts it): the new netd adopts the udhcpd that is
# still running instead of restarting it, leaves eth0 as it is, and the
# host renews its lease without noticing.
. "$(dirname "$0")/lib.bash"

station_mode
start_netd
wait_for 5 status_has "dhcp_server=running" || fail "the DHCP server does not run"
host_lease || fail "no first lease"
first_ip=$(lease_get ip)
udhcpd_pid=$(in_guest cat /run/netd/udhcpd.pid) || fail "no udhcpd pid file"
kill -9 "$NETD_PID"; wait "$NETD_PID" 2>/dev/null; NETD_PID=
kill -0 "$udhcpd_pid" || fail "udhcpd died with netd"
# The watch on eth0's address: ip monitor, proven to see changes before
# netd starts (a probe address on lo shows up in it) and until netd is
# settled (the probe's removal shows up too).
in_guest_net ip monitor address >"$WORK/out/monitor.txt" 2>&1 &
monitor=$!
probe() {   # probe add|del: a change on lo, made again until the monitor shows it
	local seen="inet 127.0.0.99/8" undo=del end=$((SECONDS + 10))
	[ "$1" = del ] && seen="Deleted .*$seen" undo=add
	until grep -q "$seen" "$WORK/out/monitor.txt"; do
		[ $SECONDS -lt $end ] || fail "ip monitor never showed the probe ($1): $(cat "$WORK/out/monitor.txt")"
		in_guest_net ip addr "$undo" 127.0.0.99/8 dev lo 2>/dev/null
		in_guest_net ip addr "$1" 127.0.0.99/8 dev lo || fail "probe address: ip addr $1 failed"
		sleep 0.2
	done
}
probe add
start_netd
wait_for 5 status_has "netd_starts=2" || fail "status does not count the second start"
wait_for 5 status_has "dhcp_server=running" || fail "the DHCP server does not run after the restart"
probe del
kill "$monitor"
[ "$(in_guest cat /run/netd/udhcpd.pid)" = "$udhcpd_pid" ] || fail "udhcpd was restarted, not adopted"
grep -q "adopted udhcpd (pid $udhcpd_pid)" "$WORK/out/netd.log" || fail "no log line about the adoption"
grep -q "10.0.0.1/24" "$WORK/out/monitor.txt" && fail "eth0's address was touched: $(cat "$WORK/out/monitor.txt")"
host_lease -r "$first_ip" || fail "no lease after netd's restart"
[ "$(lease_get ip)" = "$first_ip" ] || fail "the host got $(lease_get ip), not its address $first_ip back"
stop_netd || fail "netd did not exit 0 on SIGTERM"
in_guest test ! -e /run/netd/udhcpd.pid || fail "udhcpd's pid file is left after the stop"
exit 0
