#!/bin/bash
# netd's chains live next to the user's own rules: rules that were there
# before stay, the user's iptables file is loaded on top with
# iptables-restore --noflush (once per boot), later applies leave the
# user's rules alone, and a broken file is reported with its line while
# netd's rules stay as they are.
# shellcheck source=tests/integration/firewall/lib.bash
. "$(dirname "$0")/lib.bash"

guest_only
RESTORE=$(command -v iptables-legacy-restore)
STAMP=$TMP/run/netd/iptables.loaded

log "rules that were there before netd"
in_ns "$GUEST" iptables-legacy -A INPUT -s 192.0.2.1 -j DROP
in_ns "$GUEST" iptables-legacy -N USER-CHAIN
in_ns "$GUEST" iptables-legacy -A USER-CHAIN -p tcp --dport 9999 -j ACCEPT
in_ns "$GUEST" iptables-legacy -t nat -A POSTROUTING -o dummy9 -j MASQUERADE
save | grep -vE 'WIFIBOX' | grep -E '^-A' > "$TMP/before"
station 2>/dev/null || fail "apply failed"
save | grep -vE 'WIFIBOX' | grep -E '^-A' | diff -u "$TMP/before" - || fail "the rules that were there changed"
save | grep -q '^-A INPUT -j WIFIBOX-INPUT$' || fail "netd's chain is not linked"

log "the user's file, today's format"
cat > "$TMP/iptables" <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -o wlan0 -j MASQUERADE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s 198.51.100.7 -j DROP
COMMIT
RULES
ours > "$TMP/ours-before"
station --no-apply --user-rules "$TMP/iptables" --restore "$RESTORE" --stamp "$STAMP" 2> "$TMP/user.err" ||
    { cat "$TMP/user.err"; fail "loading the user's file failed"; }
grep -q 'user rules .* loaded' "$TMP/user.err" || fail "no 'loaded' in the log"
save > "$TMP/after-user"
grep -q '^-A INPUT -s 198.51.100.7/32 -j DROP$' "$TMP/after-user" || fail "the user's filter rule is missing"
grep -q '^-A POSTROUTING -o wlan0 -j MASQUERADE$' "$TMP/after-user" || fail "the user's nat rule is missing"
grep -q '^-A INPUT -s 192.0.2.1/32 -j DROP$' "$TMP/after-user" || fail "the earlier rule was flushed"
ours | diff -u "$TMP/ours-before" - || fail "netd's rules changed when the user's file was loaded"

log "a netd restart: the file is not loaded twice"
station --user-rules "$TMP/iptables" --restore "$RESTORE" --stamp "$STAMP" 2> "$TMP/again.err" ||
    { cat "$TMP/again.err"; fail "the second run failed"; }
grep -q 'loaded earlier this boot' "$TMP/again.err" || fail "the stamp was not honoured"
n=$(save | grep -c '^-A INPUT -s 198.51.100.7/32 -j DROP$')
[ "$n" = 1 ] || fail "the user's rule is there $n times"

log "a new uplink leaves the user's rules alone"
save | grep -v WIFIBOX > "$TMP/user-only"
station --uplink wlan1 2>/dev/null || fail "apply on wlan1 failed"
save | grep -v WIFIBOX | diff -u "$TMP/user-only" - || fail "the user's rules changed with the uplink"

log "a broken file: reported with its line, netd's rules intact"
rm -f "$STAMP"
ours > "$TMP/ours-ok"
printf '*filter\n-A INPUT -s 203.0.113.9 -j DROP\n-A INPUT -p tcp --dport 22 -j BOGUS-TARGET\nCOMMIT\n' > "$TMP/broken"
if station --no-apply --user-rules "$TMP/broken" --restore "$RESTORE" --stamp "$STAMP" 2> "$TMP/broken.err"; then
    fail "a broken file was reported as loaded"
fi
cat "$TMP/broken.err"
grep -qF "$TMP/broken:3: " "$TMP/broken.err" || fail "the error does not name the file and line 3"
grep -q "netd's own rules are unchanged" "$TMP/broken.err" || fail "the error does not say netd's rules are kept"
ours | diff -u "$TMP/ours-ok" - || fail "netd's rules changed after a broken user file"
! save | grep -q 203.0.113.9 || fail "half of the broken table was committed"
echo "pass"
