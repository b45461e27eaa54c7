#!/bin/bash
# SIGTERM (init's shutdown): netd stops its helpers and exits 0 well
# within init's 3 s, and says so in its status.
. "$(dirname "$0")/lib.bash"

station_mode
start_netd
wait_for 5 status_has "dhcp_server=running" || fail "the DHCP server does not run"
udhcpd_pid=$(in_guest cat /run/netd/udhcpd.pid) || fail "no udhcpd pid file"
t0=$(date +%s%N)
stop_netd || fail "netd did not exit 0 on SIGTERM"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "stopped in $ms ms"
[ "$ms" -lt 3000 ] || fail "netd took $ms ms to stop"
kill -0 "$udhcpd_pid" 2>/dev/null && fail "udhcpd still runs after netd stopped"
status_has "state=stopped" || fail "status does not say stopped"
exit 0
