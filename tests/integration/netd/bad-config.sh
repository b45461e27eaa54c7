#!/bin/bash
# Broken, binary and enormous config files: each problem is reported with
# its file and line, the defaults take over for what could not be read, and
# eth0 keeps serving DHCP.
. "$(dirname "$0")/lib.bash"

station_mode
{
	echo "iface eth0 inet static"
	echo "  adress 10.0.0.9"
	printf '\x00\x01\xff binary\n'
	echo "iface eth0 inet6 static"
	echo "  address fd00::ffff/64"
	head -c 3000000 /dev/zero | tr '\0' 'x'
	echo
	for i in $(seq 1 5000); do echo "# filler $i"; done
} >"$CONF/interfaces.conf"
cat >"$CONF/udhcpd.conf" <<'EOC'
start 10.0.0.50
end 10.0.0.60
opt dsn %%DNS%%
opt router 10.0.0.1
opt lease 864000
EOC
printf 'tcp 2222 -> 10.0.0.5:22\nwhat is this\n' >"$CONF/port_forwards.conf"
start_netd
wait_for 5 eth0_has 10.0.0.1/24 || fail "eth0 did not get the default 10.0.0.1/24"
wait_for 5 status_has "dhcp_server=running" || fail "the DHCP server does not run"
log=$WORK/out/netd.log
grep -q "interfaces.conf:2: 'adress' is not a known option (did you mean 'address'?)" "$log" || fail "no message for the typo"
grep -q "interfaces.conf:3: binary data" "$log" || fail "no message for the binary line"
grep -q "interfaces.conf:6: line longer than" "$log" || fail "no message for the enormous line"
grep -q "interfaces.conf:4097: file too long" "$log" || fail "no message for the enormous file"
grep -q "udhcpd.conf:3: 'dsn' is not a udhcpd option (did you mean 'dns'?)" "$log" || fail "no message for the udhcpd typo"
grep -q "port_forwards.conf:2:" "$log" || fail "no message for the bad port forward"
in_guest_net ip -6 addr show dev eth0 | grep -q "fd00::ffff/64" || fail "the good inet6 stanza was not applied"
host_lease || fail "the host got no lease"
ip=$(lease_get ip)
case $ip in 10.0.0.5[0-9]|10.0.0.60) ;; *) fail "lease $ip is not from the template's 10.0.0.50-60" ;; esac
[ "$(lease_get dns)" = "" ] || fail "dns '$(lease_get dns)' from a dropped line"
[ -n "$(status_get last_error)" ] || fail "status has no last_error"
stop_netd || fail "netd did not exit 0 on SIGTERM"
exit 0
