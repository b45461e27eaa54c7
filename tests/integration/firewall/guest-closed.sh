#!/bin/bash
# Nothing from the uplink reaches the guest's own services; the host link
# reaches the ones meant for it (DHCP, DNS, the control-socket bridge,
# ping) and is refused the rest, quickly. Every probe from the world has a
# positive control from the host against the same listener.
# shellcheck source=tests/integration/firewall/lib.bash
. "$(dirname "$0")/lib.bash"

topology
station 2>/dev/null || fail "apply failed"

serve "$GUEST" tcp 1200 bridge
serve "$GUEST" udp 67 dhcpd
serve "$GUEST" udp 53 dns
serve "$GUEST" tcp 53 dns-tcp
serve "$GUEST" tcp 8888 other
serve "$GUEST" udp 68 dhcpc

log "from the host link"
expect_reply "the bridge (tcp 1200)" bridge "$(until_answered ask "$HOST" tcp 10.0.0.1 1200)"
expect_reply "the DHCP server (udp 67)" dhcpd "$(until_answered ask "$HOST" udp 10.0.0.1 67)"
expect_reply "DNS (udp 53)" dns "$(until_answered ask "$HOST" udp 10.0.0.1 53)"
expect_reply "DNS (tcp 53)" dns-tcp "$(until_answered ask "$HOST" tcp 10.0.0.1 53)"
in_ns "$HOST" busybox ping -c1 -W2 10.0.0.1 >/dev/null || fail "the host cannot ping the guest"
echo "ok: ping"
# refused, not dropped: the connection fails at once
start=$(date +%s%N)
expect_silence "another port (tcp 8888) is closed to the host" "$(ask "$HOST" tcp 10.0.0.1 8888)"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 1500 ] || fail "tcp 8888 from the host took $ms ms: dropped, not refused"
echo "ok: refused in $ms ms"

log "from the uplink: nothing"
for target in tcp:1200 udp:67 udp:53 tcp:53 tcp:8888; do
    proto=${target%:*} port=${target#*:}
    expect_silence "$proto $port on the uplink address" "$(ask "$WORLD" "$proto" 10.99.0.1 "$port")"
done
# the guest's eth0 address through the uplink is no different
in_ns "$WORLD" ip route add 10.0.0.0/24 via 10.99.0.1
expect_silence "tcp 1200 on the guest's host-link address, from the uplink" "$(ask "$WORLD" tcp 10.0.0.1 1200)"
! in_ns "$WORLD" busybox ping -c1 -W1 10.99.0.1 >/dev/null 2>&1 || fail "the guest answers ping from the uplink"
echo "ok: no ping from the uplink"

log "what the uplink may send"
# A DHCP server's reply (udp 67 -> 68) reaches the guest's client.
offer() { echo offer | in_ns "$WORLD" timeout 3 socat -t 2 -T 2 - UDP4:10.99.0.1:68,sourceport=67 2>/dev/null || true; }
expect_reply "a DHCP reply reaches the client" dhcpc "$(until_answered offer)"
# replies to the guest's own connections come back
serve "$WORLD" tcp 80 world
expect_reply "the guest reaches the world" world "$(until_answered ask "$GUEST" tcp 10.99.0.2 80)"
echo "pass"
