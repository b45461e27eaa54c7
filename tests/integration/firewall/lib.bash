# Shared by the firewall integration tests (sourced, not run): builds the
# driver (fw-apply: netd's firewall code, static musl, real libiptc) and
# lays out throw-away network namespaces (tests/lib/netns.bash makes them
# and removes them on exit).
#
#   world ──(wlan0)── guest ──(eth0)── host
#   10.99.0.2     10.99.0.1  10.0.0.1      10.0.0.2
#
# The guest namespace stands for the VM: its uplink is called wlan0 and its
# host link eth0, as in station mode.
set -eu

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
cd "$TOP"
# shellcheck source=tests/lib/netns.bash
. "$TOP/tests/lib/netns.bash"
ID=fw$$
WORLD=$ID-world GUEST=$ID-guest HOST=$ID-host
FW_APPLY=$TOP/build/musl/tests/fw-apply
TMP=$(mktemp -d "/tmp/$ID.XXXXXX")
on_exit "rm -rf '$TMP'"

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
log() { echo "--- $*"; }

[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
for tool in ip ss busybox iptables-legacy iptables-legacy-save iptables-legacy-restore socat; do
    command -v "$tool" >/dev/null || skip "$tool not installed (scripts/deps.sh)"
done
[ -f build/thirdparty.env ] || skip "no third-party build yet (build/thirdparty.env): make image"

build_driver() {
    local extra=()
    # Until netd/build.mk includes netd/firewall/firewall.mk, name it here.
    grep -qs 'netd/firewall/firewall.mk' netd/build.mk || extra=(-f Makefile -f netd/firewall/firewall.mk)
    make -s "${extra[@]}" build/musl/tests/fw-apply >"$TMP/build.log" 2>&1 ||
        { cat "$TMP/build.log"; fail "cannot build the driver"; }
}
build_driver

fw() { in_ns "$GUEST" "$FW_APPLY" "$@"; }
# The guest's tables without counters or dates, for comparisons.
save() { in_ns "$GUEST" iptables-legacy-save | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]$/[0:0]/'; }
# Only netd's rules and the jumps to them.
ours() { save | grep -E '^-A [A-Z-]+ .*WIFIBOX-|^-A WIFIBOX-' | sort; }

guest_only() { netns_add "$GUEST"; }

# The three namespaces and their links; forwarding on in the guest.
topology() {
    netns_add "$WORLD" "$GUEST" "$HOST"
    veth "$WORLD" "$ID-w" "$GUEST" wlan0
    veth "$HOST" "$ID-h" "$GUEST" eth0
    netns_addr "$WORLD" "$ID-w" 10.99.0.2/24
    netns_addr "$GUEST" wlan0 10.99.0.1/24
    netns_addr "$GUEST" eth0 10.0.0.1/24
    in_ns "$GUEST" ip route add default via 10.99.0.2
    netns_addr "$HOST" "$ID-h" 10.0.0.2/24
    in_ns "$HOST" ip route add default via 10.0.0.1
    in_ns "$GUEST" sysctl -qw net.ipv4.ip_forward=1
}

# serve NS PROTO PORT REPLY: a server in NS answering each connection (or
# datagram) with REPLY and the peer's address ("REPLY from A.B.C.D").
serve() {
    local ns=$1 proto=$2 port=$3 reply=$4 listen
    case $proto in
    tcp) listen="TCP4-LISTEN:$port,reuseaddr,fork" ;;
    udp) listen="UDP4-RECVFROM:$port,reuseaddr,fork" ;;
    esac
    in_ns "$ns" socat "$listen" SYSTEM:"echo $reply from \$SOCAT_PEERADDR" >/dev/null 2>&1 &
    wait_listening "$ns" "$proto" "$port"
}

wait_listening() {   # wait_listening NS PROTO PORT
    wait_for 5 listening "$@" || fail "no $2 server on port $3 in $1"
}
listening() {
    local flag=-tln
    [ "$2" = udp ] && flag=-uln
    in_ns "$1" ss -H "$flag" "sport = :$3" | grep -q .
}

# ask NS PROTO ADDR PORT: what a client in NS gets back (empty: nothing
# within 2 s). Never fails the script itself.
ask() {
    local ns=$1 proto=$2 addr=$3 port=$4 conn
    case $proto in
    tcp) conn="TCP4:$addr:$port,connect-timeout=2" ;;
    udp) conn="UDP4:$addr:$port" ;;
    esac
    echo probe | in_ns "$ns" timeout 3 socat -t 2 -T 2 - "$conn" 2>/dev/null || true
}

# until_answered CMD...: what CMD prints, tried up to 3 times while that is
# nothing. For probes that expect an answer: on a loaded machine one can
# miss its 2 s now and then, while a firewall that drops it stays silent
# all three times. A retry is said on stderr.
until_answered() {
    local out try
    for try in 1 2 3; do
        out=$("$@")
        if [ -n "$out" ]; then
            [ "$try" = 1 ] || echo "(answered on try $try: $*)" >&2
            printf '%s\n' "$out"
            return 0
        fi
    done
}

expect_reply() {   # expect_reply WHAT WANT GOT
    case $3 in *"$2"*) echo "ok: $1" ;; *) fail "$1: expected '$2', got '${3:-nothing}'" ;; esac
}

expect_exact() {   # expect_exact WHAT WANT GOT
    if [ "$3" = "$2" ]; then echo "ok: $1"; else fail "$1: expected '$2', got '${3:-nothing}'"; fi
}

expect_silence() {   # expect_silence WHAT GOT
    if [ -z "$2" ]; then echo "ok: $1"; else fail "$1: expected no answer, got '$2'"; fi
}

# The guest's default station setup, with one forward when given a file.
# shellcheck disable=SC2120  # the arguments are optional
station() { fw --mode station --uplink wlan0 --inside eth0 --net 10.0.0.0/24 --self 10.0.0.1 --bridge 1200 "$@"; }

# ---- IPv6 (issue 8) -------------------------------------------------------
#   world ──(wlan0)── guest ──(eth0)── host
#   2001:db8:99::2  2001:db8:99::1  fd00::ffff  fd00::2
# Addresses without duplicate address detection (nodad): usable at once.
command -v ip6tables-legacy-save >/dev/null || skip "ip6tables-legacy-save not installed"

topology6() {
    topology
    netns_addr "$WORLD" "$ID-w" 2001:db8:99::2/64
    netns_addr "$GUEST" wlan0 2001:db8:99::1/64
    netns_addr "$GUEST" eth0 fd00::ffff/64
    netns_addr "$HOST" "$ID-h" fd00::2/64
    in_ns "$GUEST" ip -6 route add default via 2001:db8:99::2
    in_ns "$HOST" ip -6 route add default via fd00::ffff
    in_ns "$GUEST" sysctl -qw net.ipv6.conf.all.forwarding=1
    wait_no_tentative
}

# Until every link-local address has passed duplicate address detection:
# before that, the first exchanges on a new link are lost now and then.
wait_no_tentative() {
    wait_for 5 no_tentative || fail "addresses in $(tentative_in) are still tentative after 5 s"
}
no_tentative() { [ -z "$(tentative_in)" ]; }
tentative_in() {   # the namespaces with a tentative address
    local ns
    for ns in "$WORLD" "$GUEST" "$HOST"; do
        [ -z "$(in_ns "$ns" ip -6 addr show tentative)" ] || echo "$ns"
    done
}

save6() { in_ns "$GUEST" ip6tables-legacy-save | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]$/[0:0]/'; }

# serve6 NS PROTO PORT REPLY / ask6 NS PROTO ADDR PORT: serve and ask over IPv6.
serve6() {
    local ns=$1 proto=$2 port=$3 reply=$4 listen
    case $proto in
    tcp) listen="TCP6-LISTEN:$port,reuseaddr,fork,ipv6only=1" ;;
    udp) listen="UDP6-RECVFROM:$port,reuseaddr,fork,ipv6only=1" ;;
    esac
    in_ns "$ns" socat "$listen" SYSTEM:"echo $reply from \$SOCAT_PEERADDR" >/dev/null 2>&1 &
    wait_listening "$ns" "$proto" "$port"
}

ask6() {
    local ns=$1 proto=$2 addr=$3 port=$4 conn
    case $proto in
    tcp) conn="TCP6:[$addr]:$port,connect-timeout=2" ;;
    udp) conn="UDP6:[$addr]:$port" ;;
    esac
    echo probe | in_ns "$ns" timeout 3 socat -t 2 -T 2 - "$conn" 2>/dev/null || true
}

# shellcheck disable=SC2120  # the arguments are optional
station6() { station --ipv6 --self6 fd00::ffff/64 "$@"; }
