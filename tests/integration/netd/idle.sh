#!/bin/bash
# Once everything is settled, netd makes no system calls at all (it sleeps
# in epoll_wait), and its peak memory stays under 1 MiB.
. "$(dirname "$0")/lib.bash"
command -v strace >/dev/null || skip "no strace"

station_mode
start_netd
wait_for 5 status_has "dhcp_server=running" || fail "the DHCP server does not run"
host_lease || fail "the host got no lease"
# IPv6: the first router advertisement goes out once eth0's link-local
# address has passed duplicate address detection; the next one is due
# 16 s later, after the window measured here.
wait_for 10 status_has "ra=prefix-only" || fail "no router advertisement yet"
sleep 3	# duplicate address detection of fd00::ffff ends with an event
# The probe: strace on netd itself for 5 s. An empty trace proves nothing
# by itself (strace may never have attached), so it must show that strace
# attached to that pid, found netd asleep in epoll_wait (the one call in
# progress, left unfinished at the detach), and detached as told (SIGINT).
[ "$(cat "/proc/$NETD_PID/comm" 2>/dev/null)" = netd ] || fail "pid $NETD_PID is not netd"
timeout --preserve-status -s INT 5 strace -p "$NETD_PID" -o "$WORK/out/strace.txt" \
	2>"$WORK/out/strace.err"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 130 ] || fail "strace exited $rc: $(cat "$WORK/out/strace.err")"
for what in attached detached; do
	grep -q "^strace: Process $NETD_PID $what$" "$WORK/out/strace.err" ||
		fail "strace never $what netd: $(cat "$WORK/out/strace.err")"
done
grep -Eq "^epoll_p?wait\(.*<detached \.\.\.>$" "$WORK/out/strace.txt" ||
	fail "netd was not caught waiting in epoll_wait: $(head -c 2000 "$WORK/out/strace.txt")"
echo "ok: strace attached to netd, which was waiting in $(grep -Eo '^epoll_p?wait' "$WORK/out/strace.txt")"
calls=$(grep -vc "<detached \.\.\.>" "$WORK/out/strace.txt")
echo "system calls in 5 s of idle: $calls"
[ "$calls" -eq 0 ] || { cat "$WORK/out/strace.txt"; fail "netd made $calls system calls while idle"; }
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$NETD_PID/status")
echo "peak RSS: $hwm kB"
[ "$hwm" -le 1024 ] || fail "peak RSS $hwm kB is over the 1 MiB target"
stop_netd || fail "netd did not exit 0 on SIGTERM"
exit 0
