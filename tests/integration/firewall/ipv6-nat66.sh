#!/bin/bash
# IPv6 through the guest namespace (issue 8): the host reaches the world
# masqueraded behind the guest's uplink address (NAT66), the world reaches
# a server in the host through an IPv6 port forward, and nothing else from
# the world gets to the guest or into the host's network, even with a
# route to it. Each refusal has a positive control on the same listener.
# shellcheck source=tests/integration/firewall/lib.bash
. "$(dirname "$0")/lib.bash"

topology6
printf 'tcp 2222 -> [fd00::2]:22\nudp 5353 -> [fd00::2]:5000\ntcp 2223 -> 10.0.0.2:22\n' > "$TMP/forwards"
station6 --forwards "$TMP/forwards" 2> "$TMP/apply.err" || { cat "$TMP/apply.err"; fail "apply failed"; }
grep -q 'ip6tables filter table updated' "$TMP/apply.err" || fail "the IPv6 filter table was not programmed"

serve6 "$WORLD" tcp 80 world
serve6 "$HOST" tcp 22 host-ssh
serve6 "$HOST" udp 5000 host-udp
serve6 "$HOST" tcp 23 host-telnet
serve6 "$GUEST" tcp 53 guest-dns

log "host -> world, masqueraded (NAT66)"
expect_exact "the host reaches the world, seen as the guest's uplink address" \
    "world from [2001:0db8:0099:0000:0000:0000:0000:0001]" "$(until_answered ask6 "$HOST" tcp 2001:db8:99::2 80)"
in_ns "$HOST" busybox ping -6 -c1 -W2 2001:db8:99::2 >/dev/null || fail "the host cannot ping the world over IPv6"
echo "ok: ping through NAT66"

log "world -> host through the IPv6 forwards"
expect_exact "tcp 2222 reaches the host's port 22, from the world's address" \
    "host-ssh from [2001:0db8:0099:0000:0000:0000:0000:0002]" "$(until_answered ask6 "$WORLD" tcp 2001:db8:99::1 2222)"
expect_reply "udp 5353 reaches the host's port 5000" "host-udp" "$(until_answered ask6 "$WORLD" udp 2001:db8:99::1 5353)"
expect_silence "the IPv4 forward (tcp 2223) is not an IPv6 one" "$(ask6 "$WORLD" tcp 2001:db8:99::1 2223)"

log "world -> guest and host without a forward: nothing"
expect_reply "the guest's tcp 53 answers the host (control)" guest-dns "$(until_answered ask6 "$HOST" tcp fd00::ffff 53)"
expect_silence "the guest's tcp 53, from the world" "$(ask6 "$WORLD" tcp 2001:db8:99::1 53)"
in_ns "$WORLD" busybox ping -6 -c1 -W2 2001:db8:99::1 >/dev/null 2>&1 && fail "the world can ping the guest over IPv6"
echo "ok: the guest does not answer the world's ping"
in_ns "$WORLD" ip -6 route add fd00::/64 via 2001:db8:99::1
expect_silence "routing straight to the host's port 22 does not pass" "$(ask6 "$WORLD" tcp fd00::2 22)"
expect_silence "routing straight to the host's port 23 does not pass" "$(ask6 "$WORLD" tcp fd00::2 23)"
expect_silence "routing straight to the guest's inside address does not pass" "$(ask6 "$WORLD" tcp fd00::ffff 53)"
expect_reply "the host still reaches the world" "world from" "$(until_answered ask6 "$HOST" tcp 2001:db8:99::2 80)"

log "counters add both families"
station6 --no-apply --counters > "$TMP/counters" 2>&1 || { cat "$TMP/counters"; fail "reading counters failed"; }
cat "$TMP/counters"
grep -q '^rule "wifibox: port forward tcp 2222 -> \[fd00::2\]:22" [1-9]' "$TMP/counters" ||
    fail "the IPv6 tcp 2222 forward counted no packets"
drop=$(awk '/^dropped-inbound /{print $2}' "$TMP/counters")
[ "${drop:-0}" -ge 3 ] || fail "dropped inbound packets: ${drop:-none}, expected the blocked attempts"
echo "pass"
