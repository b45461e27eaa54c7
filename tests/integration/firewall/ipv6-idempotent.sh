#!/bin/bash
# The IPv6 tables (issue 8) hold exactly the rule set netd built, applying
# it again changes nothing, a damaged chain is repaired, and IPv6 off
# leaves the IPv6 tables alone.
# shellcheck source=tests/integration/firewall/lib.bash
. "$(dirname "$0")/lib.bash"

guest_only
printf 'tcp 2222 -> [fd00::2]:22\ntcp+udp 8000-8010 -> [fd00::3]:9000\n' > "$TMP/forwards"

log "IPv6 off: no IPv6 chains"
station 2>/dev/null || fail "IPv4-only apply failed"
! save6 | grep -q WIFIBOX || fail "IPv6 off, yet netd's chains are in the IPv6 tables"
echo "ok: untouched"

log "first apply with IPv6"
station6 --forwards "$TMP/forwards" 2> "$TMP/first.err" || { cat "$TMP/first.err"; fail "first apply failed"; }
save6 > "$TMP/first"
station6 --forwards "$TMP/forwards" --print |
    awk '/^\*filter/{n++} n==2' | grep '^-A WIFIBOX-' | sort > "$TMP/built"
grep '^-A WIFIBOX-' "$TMP/first" | sort > "$TMP/kernel"
diff -u "$TMP/built" "$TMP/kernel" || fail "ip6tables-save differs from the built IPv6 rule set"
[ "$(wc -l < "$TMP/kernel")" -ge 20 ] || fail "too few IPv6 rules in the kernel: $(wc -l < "$TMP/kernel")"
for chain in INPUT FORWARD PREROUTING POSTROUTING; do
    n=$(grep -c "^-A $chain -j WIFIBOX-$chain\$" "$TMP/first" || true)
    [ "$n" = 1 ] || fail "$chain jumps to WIFIBOX-$chain $n times, expected once"
done
echo "ok: the kernel holds what netd built"

log "second apply: nothing committed"
station6 --forwards "$TMP/forwards" 2> "$TMP/second.err" || { cat "$TMP/second.err"; fail "second apply failed"; }
save6 > "$TMP/second"
diff -u "$TMP/first" "$TMP/second" || fail "the second apply changed the IPv6 tables"
! grep -q 'table updated' "$TMP/second.err" || { cat "$TMP/second.err"; fail "the second apply committed a table"; }
echo "ok: unchanged"

log "a damaged chain is repaired"
in_ns "$GUEST" ip6tables-legacy -D WIFIBOX-INPUT 3
in_ns "$GUEST" ip6tables-legacy -A INPUT -j WIFIBOX-INPUT
station6 --forwards "$TMP/forwards" 2>/dev/null || fail "repairing apply failed"
save6 > "$TMP/repaired"
diff -u "$TMP/first" "$TMP/repaired" || fail "the IPv6 tables were not repaired"
echo "pass"
