#!/bin/bash
# The contract with init: `uds-passthru guest FILE` exits 100 (do not
# restart) for a missing or broken file or bad usage, naming file:line;
# 111 (restart later) when a system call fails, such as a port in use; 0
# on SIGTERM, having removed its client sockets.
set -u
cd "$(dirname "$0")/../../.." || exit 1
[ "$(id -u)" = 0 ] || { echo "needs root (a network namespace)"; exit 77; }
[ -f build/thirdparty.env ] || { echo "build/thirdparty.env missing"; exit 77; }
make -s build/musl/bin/uds-passthru || exit 1
BRIDGE=$PWD/build/musl/bin/uds-passthru
# The namespace, and every process left in it, goes on exit.
# shellcheck source=tests/lib/netns.bash
. tests/lib/netns.bash
TMP=$(mktemp -d /tmp/udsp-exit-XXXXXX)
on_exit "rm -rf '$TMP'"
NS=udspx$$
PIDS=()
failed=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; failed=1; }

netns_add "$NS" || exit 1
RUN=(ip netns exec "$NS" "$BRIDGE")

expect() {   # expect STATUS WORDS-IN-STDERR -- ARGS...
    local want=$1 words=$2; shift 3
    out=$(timeout 10 "$@" 2>&1); rc=$?
    if [ "$rc" = "$want" ] && [[ "$out" == *"$words"* ]]; then
        ok "exit $rc: ${out%%$'\n'*}"
    else
        bad "expected exit $want with '$words', got $rc: $out"
    fi
}

expect 100 "No such file" -- "${RUN[@]}" guest -d "$TMP/rd" "$TMP/missing.conf"
printf 'network=127.0.0.1:255.0.0.0\nsockets="path=/x,port=1200\npath=/y,prot=1201"\n' > "$TMP/broken.conf"
expect 100 "broken.conf:3: 'prot' is not a sockets key (did you mean 'port'?)" -- "${RUN[@]}" guest -d "$TMP/rd" "$TMP/broken.conf"
printf 'network=127.0.0.1:255.0.0.0\nsockets=$(ls)\n' > "$TMP/cmd.conf"
expect 100 "cmd.conf:2: \$(...) runs a command" -- "${RUN[@]}" guest -d "$TMP/rd" "$TMP/cmd.conf"
expect 100 "expected one FILE" -- "${RUN[@]}" guest
expect 100 "expected guest, host or check" -- "${RUN[@]}" frobnicate
expect 100 "expected the guest as IP:PORT" -- "${RUN[@]}" host /tmp/x 10.0.0.1
expect 100 "user nosuchuser-udsp does not exist" -- "${RUN[@]}" host -u nosuchuser-udsp "$TMP/h" 127.0.0.1:1200

printf 'network=127.0.0.1:255.0.0.0\nsockets="path=%s/wpa/wlan0,port=1200"\n' "$TMP" > "$TMP/good.conf"
expect 0 "socket $TMP/wpa/wlan0 port 1200" -- "${RUN[@]}" check "$TMP/good.conf"

# A port in use: a system failure, worth a restart later.
ip netns exec "$NS" python3 -c '
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 1200)); s.listen(1); time.sleep(30)' &
PIDS+=($!)
# Listening before the bridge tries (a fixed sleep lost the race under load).
for _ in $(seq 100); do
    ip netns exec "$NS" ss -ltnH "sport = :1200" | grep -q . && break
    sleep 0.1
done
ip netns exec "$NS" ss -ltnH "sport = :1200" | grep -q . || bad "the listener holding port 1200 never listened"
expect 111 "listening on 127.0.0.1:1200" -- "${RUN[@]}" guest -d "$TMP/rd" "$TMP/good.conf"
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null

# SIGTERM: status 0, client sockets gone. A peer stays connected through
# the signal, so that its client socket exists (counted) when it comes.
ip netns exec "$NS" "$BRIDGE" guest -d "$TMP/rd" "$TMP/good.conf" 2> "$TMP/guest.log" &
pid=$!
ip netns exec "$NS" python3 -c '
import socket, time
for _ in range(100):
    try:
        s = socket.create_connection(("127.0.0.1", 1200))
        break
    except OSError:
        time.sleep(0.05)
s.send(b"PING")
time.sleep(30)' &
peer=$!
PIDS+=("$peer")
n=0
for _ in $(seq 50); do
    n=$(find "$TMP/rd" -type s 2>/dev/null | wc -l)
    [ "$n" -gt 0 ] && break
    sleep 0.1
done
kill -0 "$peer" 2>/dev/null || bad "the peer is gone before SIGTERM"
if [ "$n" -ge 1 ]; then
    ok "a connected peer has its client socket ($n)"
else
    bad "no client socket while a peer is connected: $(cat "$TMP/guest.log")"
fi
kill -TERM "$pid"; wait "$pid"; rc=$?
left=$(find "$TMP/rd" -type s | wc -l)
if [ "$rc" = 0 ] && [ "$left" = 0 ]; then
    ok "SIGTERM with a peer connected: exit 0, $left of $n client sockets left"
else
    bad "SIGTERM: exit $rc, $left of $n client sockets left"
fi
[ "$(stat -c %a "$TMP/rd")" = 700 ] && ok "client socket directory is 0700" || bad "rundir mode $(stat -c %a "$TMP/rd")"
exit $failed
