#!/bin/bash
# The host link comes and goes: netd re-applies its configuration and the
# host keeps getting leases. Carrier loss (the host's end down), the link
# taken down in the guest, the address removed, the NIC removed and
# created again under a new index (udhcpd, bound to the old one, must be
# started again).
. "$(dirname "$0")/lib.bash"

station_mode
start_netd
wait_for 5 eth0_has 10.0.0.1/24 || fail "eth0 did not get 10.0.0.1/24"
host_lease || fail "no first lease"

info "carrier lost and back"
in_host ip link set host0 down
wait_for 5 status_has "host_link_state=no-carrier" || fail "status does not show the lost carrier"
in_host ip link set host0 up
wait_for 5 status_has "host_link_state=up" || fail "status does not show the carrier back"
host_lease || fail "no lease after the carrier came back"

info "eth0 taken down in the guest"
in_guest_net ip link set eth0 down
wait_for 5 sh -c "nsenter -t $HOLDER_PID -n ip link show eth0 | grep -q '<.*,UP'" || fail "netd did not bring eth0 up again"
host_lease || fail "no lease after eth0 was set up again"

info "address removed"
in_guest_net ip addr del 10.0.0.1/24 dev eth0
wait_for 5 eth0_has 10.0.0.1/24 || fail "netd did not set the address again"
host_lease || fail "no lease after the address came back"

info "NIC removed and created again"
in_guest_net ip link del eth0
wait_for 5 status_has "host_link_state=missing" || fail "status does not show eth0 missing"
veth "$GUEST" eth0 "$NAME" host0 || fail "recreating the veth"
in_host ip link set host0 up
wait_for 5 eth0_has 10.0.0.1/24 || fail "the new eth0 did not get its address"
host_lease || fail "no lease on the new eth0"
grep -q "a configured address was removed: setting it again" "$WORK/out/netd.log" || fail "no log line about the re-applied address"
stop_netd || fail "netd did not exit 0 on SIGTERM"
exit 0
