#!/bin/bash
# Real traffic through the guest namespace: the host reaches the world
# masqueraded, the world reaches a server in the host through a port
# forward (single port and a shifted range), and nothing else from the
# world gets into the host's network, even with a route to it.
# shellcheck source=tests/integration/firewall/lib.bash
. "$(dirname "$0")/lib.bash"

topology
printf 'tcp 2222 -> 10.0.0.2:22\ntcp 8000-8002 -> 10.0.0.2:9000\nudp 5353 -> 10.0.0.2:5000\n' > "$TMP/forwards"
station --forwards "$TMP/forwards" 2>/dev/null || fail "apply failed"

serve "$WORLD" tcp 80 world
serve "$HOST" tcp 22 host-ssh
serve "$HOST" tcp 9001 host-9001
serve "$HOST" udp 5000 host-udp
serve "$HOST" tcp 23 host-telnet

log "host -> world, masqueraded"
expect_exact "host reaches the world, seen as the guest's uplink address" \
    "world from 10.99.0.1" "$(until_answered ask "$HOST" tcp 10.99.0.2 80)"

log "world -> host through the forwards"
expect_exact "tcp 2222 reaches the host's port 22, from the world's address" "host-ssh from 10.99.0.2" "$(until_answered ask "$WORLD" tcp 10.99.0.1 2222)"
expect_reply "tcp 8001 reaches the host's port 9001 (range, one to one)" "host-9001" "$(until_answered ask "$WORLD" tcp 10.99.0.1 8001)"
expect_reply "udp 5353 reaches the host's port 5000" "host-udp" "$(until_answered ask "$WORLD" udp 10.99.0.1 5353)"

log "world -> host without a forward"
expect_silence "tcp 23 of the guest is not forwarded" "$(ask "$WORLD" tcp 10.99.0.1 23)"
in_ns "$WORLD" ip route add 10.0.0.0/24 via 10.99.0.1
expect_silence "routing straight to the host's port 22 does not pass" "$(ask "$WORLD" tcp 10.0.0.2 22)"
expect_silence "routing straight to the host's port 23 does not pass" "$(ask "$WORLD" tcp 10.0.0.2 23)"
# A forward is for what is addressed to the guest itself: the host's 2222
# routed through the guest is not turned into the host's 22.
serve "$HOST" tcp 2222 host-2222
expect_silence "routing to the host's port 2222 is not forwarded" "$(ask "$WORLD" tcp 10.0.0.2 2222)"
expect_silence "nor is port 2222 of another inside address" "$(ask "$WORLD" tcp 10.0.0.7 2222)"
# the positive control for the same route: replies to the host's own
# connections still come back
expect_reply "the host still reaches the world" "world from" "$(until_answered ask "$HOST" tcp 10.99.0.2 80)"

log "counters"
station --no-apply --counters > "$TMP/counters" 2>&1 || { cat "$TMP/counters"; fail "reading counters failed"; }
cat "$TMP/counters"
fwd=$(awk '/^forwarded /{print $2}' "$TMP/counters")
drop=$(awk '/^dropped-inbound /{print $2}' "$TMP/counters")
[ "${fwd:-0}" -ge 10 ] || fail "forwarded packets: ${fwd:-none}, expected the connections above"
[ "${drop:-0}" -ge 2 ] || fail "dropped inbound packets: ${drop:-none}, expected the blocked attempts"
grep -q '^rule "wifibox: port forward tcp 2222 -> 10.0.0.2:22" [1-9]' "$TMP/counters" ||
    fail "the tcp 2222 forward counted no packets"
echo "pass"
