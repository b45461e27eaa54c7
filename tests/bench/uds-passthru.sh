#!/bin/bash
# Benchmark of the control-socket bridge against today's socat pair, in the
# same run, on the same daemon (our static wpa_supplicant, -D wired, in a
# "guest" network namespace; clients in a "host" one, over a veth pair):
#
#   socat pair    socat TCP4-LISTEN,fork UNIX-SENDTO,bind=<tmpfile> in the
#                 guest (wifibox-alpine's uds_passthru) + socat
#                 UNIX-RECVFROM,fork TCP4 on the host (wifibox-core)
#   bridge pair   uds-passthru guest + uds-passthru host
#   bridge+socat  uds-passthru guest + socat's host side, unchanged
#
# For each: request round-trip latency (median, p99) of one client sending
# PING after PING; requests per second and replies lost or mixed up with 8
# clients at once; the bridge's memory (RSS). Figures only, no verdict.
#   tests/bench/uds-passthru.sh [requests per latency run (1000)] [seconds of load (5)]
set -eu
cd "$(dirname "$0")/../.."
TOP=$PWD
N=${1:-1000}
SECS=${2:-5}
[ "$(id -u)" = 0 ] || { echo "uds-passthru bench: needs root (network namespaces)" >&2; exit 77; }
. build/thirdparty.env
make -s build/musl/bin/uds-passthru
BRIDGE=$TOP/build/musl/bin/uds-passthru
G=udspbg$$ H=udspbh$$
TMP=$(mktemp -d /tmp/udsp-bench-XXXXXX)
chmod 755 "$TMP"
PIDS=()

cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    ip netns del "$G" 2>/dev/null || true
    ip netns del "$H" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

ip netns add "$G"
ip netns add "$H"
ip -n "$G" link add vg type veth peer name vh netns "$H"
ip -n "$G" addr add 10.77.0.1/24 dev vg
ip -n "$H" addr add 10.77.0.2/24 dev vh
ip -n "$G" link add wa type veth peer name wb
for l in vg wa wb lo; do ip -n "$G" link set "$l" up; done
for l in vh lo; do ip -n "$H" link set "$l" up; done

mkdir -p "$TMP/run"
{
    echo "ctrl_interface=$TMP/run/wpa_supplicant"
    echo "ap_scan=0"
    printf 'network={\n key_mgmt=NONE\n}\n'
    for i in 1 2 3 4 5 6 7 8; do
        printf 'network={\n ssid="c%d"\n disabled=1\n key_mgmt=NONE\n}\n' "$i"
    done
} > "$TMP/wpa.conf"
ip netns exec "$G" "$WPA/sbin/wpa_supplicant" -D wired -i wa -c "$TMP/wpa.conf" > "$TMP/wpa.log" 2>&1 &
PIDS+=($!)
SOCK=$TMP/run/wpa_supplicant/wa
for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.05; done

cat > "$TMP/uds_passthru.conf" <<EOF
network=10.77.0.1:255.255.255.0
sockets="path=$SOCK,user=root,group=0,mode=770,port=1200"
EOF

# The socat pair, exactly as wifibox-alpine and wifibox-core run it.
ip netns exec "$G" socat TCP4-LISTEN:1300,reuseaddr,bind=10.77.0.1,range=10.77.0.1:255.255.255.0,fork \
    UNIX-SENDTO:"$SOCK",bind="$TMP/socat-guest.sock",unlink-early 2> "$TMP/socat-guest.log" &
PIDS+=($!)
mkdir -p "$TMP/socat" "$TMP/bridge" "$TMP/mixed"
ip netns exec "$H" socat UNIX-RECVFROM:"$TMP/socat/wa",reuseaddr,fork,unlink-early,user=root,group=0,mode=770 \
    TCP4:10.77.0.1:1300 2> "$TMP/socat-host.log" &
PIDS+=($!)
# The bridge pair, and the bridge behind socat's host side.
ip netns exec "$G" "$BRIDGE" guest -d "$TMP/rundir" "$TMP/uds_passthru.conf" 2> "$TMP/guest.log" &
GUEST_PID=$!
PIDS+=($!)
sleep 0.3
ip netns exec "$H" "$BRIDGE" host -u root -g 0 -m 770 "$TMP/bridge/wa" 10.77.0.1:1200 2> "$TMP/host.log" &
HOST_PID=$!
PIDS+=($!)
ip netns exec "$H" socat UNIX-RECVFROM:"$TMP/mixed/wa",reuseaddr,fork,unlink-early,user=root,group=0,mode=770 \
    TCP4:10.77.0.1:1200 2> "$TMP/socat-host2.log" &
PIDS+=($!)
for s in "$TMP/socat/wa" "$TMP/bridge/wa" "$TMP/mixed/wa"; do
    for _ in $(seq 100); do [ -S "$s" ] && break; sleep 0.05; done
done

python3 - "$TMP" "$N" "$SECS" <<'EOF'
import os, socket, statistics, sys, threading, time

tmp, n, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
serial = [0]


class Client:
    def __init__(self, path, timeout):
        serial[0] += 1
        self.local = f"{tmp}/c{os.getpid()}-{serial[0]}"
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.s.bind(self.local)
        self.s.connect(path)
        self.s.settimeout(timeout)

    def request(self, cmd):
        self.s.send(cmd)
        try:
            while True:
                r = self.s.recv(8192)
                if not r.startswith(b"<"):
                    return r
        except socket.timeout:
            return None

    def close(self):
        self.s.close()
        os.unlink(self.local)


def latency(path):
    c = Client(path, 1.0)
    rtts, lost = [], 0
    for _ in range(n):
        t0 = time.perf_counter()
        r = c.request(b"PING")
        if r == b"PONG\n":
            rtts.append((time.perf_counter() - t0) * 1e3)
        else:
            lost += 1
    c.close()
    rtts.sort()
    p99 = rtts[min(len(rtts) - 1, int(len(rtts) * 0.99))] if rtts else float("nan")
    return (statistics.median(rtts) if rtts else float("nan")), p99, lost


def load(path, clients=8):
    done, lost, mixed = [0] * clients, [0] * clients, [0] * clients
    stop = time.monotonic() + secs

    def run(i):
        c = Client(path, 2.0)
        want = f'"c{i + 1}"'.encode()
        while time.monotonic() < stop:
            r = c.request(f"GET_NETWORK {i + 1} ssid".encode())
            if r is None:
                lost[i] += 1
            elif r != want:
                mixed[i] += 1
            else:
                done[i] += 1
        c.close()

    t0 = time.monotonic()
    ts = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    el = time.monotonic() - t0
    return sum(done) / el, sum(done), sum(lost), sum(mixed)


pairs = [("socat pair", f"{tmp}/socat/wa"), ("bridge pair", f"{tmp}/bridge/wa"),
         ("bridge+socat host", f"{tmp}/mixed/wa")]
print(f"{'':20} {'median ms':>10} {'p99 ms':>8} {'lost':>5} | {'req/s (8 clients)':>17} "
      f"{'answered':>9} {'lost':>6} {'mixed':>6}")
for name, path in pairs:
    med, p99, lost1 = latency(path)
    rps, ok, lost2, mixed = load(path)
    print(f"{name:20} {med:10.3f} {p99:8.3f} {lost1:5d} | {rps:17.0f} {ok:9d} {lost2:6d} {mixed:6d}",
          flush=True)
EOF

rss() { awk '/^VmRSS|^VmHWM/ { printf "%s %s kB  ", $1, $2 }' "/proc/$1/status"; }
echo "uds-passthru guest: $(rss "$GUEST_PID")"
echo "uds-passthru host:  $(rss "$HOST_PID")"
echo "socat (one guest-side process, before forks): $(rss "$(pgrep -f 'socat TCP4-LISTEN:1300' | head -1)")"
echo "(latency: $N PINGs one after the other; load: 8 clients for ${SECS}s, each asking for its own network's ssid)"
