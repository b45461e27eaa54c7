#!/bin/bash
# Applying the same description twice, or again from a new process (a netd
# restart), leaves the tables exactly as they were, with one jump from each
# built-in chain; what the kernel holds is the rule set netd built.
# shellcheck source=tests/integration/firewall/lib.bash
. "$(dirname "$0")/lib.bash"

guest_only
printf 'tcp 2222 -> 10.0.0.2:22\ntcp+udp 8000-8010 -> 10.0.0.3:9000\n' > "$TMP/forwards"

log "first apply"
station --forwards "$TMP/forwards" 2> "$TMP/first.err" || { cat "$TMP/first.err"; fail "first apply failed"; }
save > "$TMP/first"
grep -q 'table updated' "$TMP/first.err" || fail "the first apply changed nothing"

log "the kernel holds what netd built"
station --forwards "$TMP/forwards" --print | grep '^-A WIFIBOX-' | sort > "$TMP/built"
grep '^-A WIFIBOX-' "$TMP/first" | sort > "$TMP/kernel"
diff -u "$TMP/built" "$TMP/kernel" || fail "iptables-save differs from the built rule set"
[ "$(wc -l < "$TMP/kernel")" -ge 20 ] || fail "too few rules in the kernel: $(wc -l < "$TMP/kernel")"
for chain in INPUT FORWARD PREROUTING POSTROUTING; do
    n=$(grep -c "^-A $chain -j WIFIBOX-$chain\$" "$TMP/first" || true)
    [ "$n" = 1 ] || fail "$chain jumps to WIFIBOX-$chain $n times, expected once"
done

log "second and third apply: same tables, no commit"
for run in second third; do
    station --forwards "$TMP/forwards" 2> "$TMP/$run.err" || { cat "$TMP/$run.err"; fail "$run apply failed"; }
    save > "$TMP/$run"
    diff -u "$TMP/first" "$TMP/$run" || fail "the $run apply changed the tables"
    ! grep -q 'table updated' "$TMP/$run.err" || fail "the $run apply committed a table with nothing to change"
done

log "a chain changed behind netd's back is repaired, a stray duplicate jump removed"
in_ns "$GUEST" iptables-legacy -D WIFIBOX-INPUT 3
in_ns "$GUEST" iptables-legacy -A INPUT -j WIFIBOX-INPUT
station --forwards "$TMP/forwards" 2>/dev/null || fail "repairing apply failed"
save > "$TMP/repaired"
diff -u "$TMP/first" "$TMP/repaired" || fail "the tables were not repaired"
echo "pass"
