# Shared by the netd integration tests: runs the real netd (the static
# image binary) in its own network and mount namespaces, where a veth end
# is its "eth0" and tmpfs mounts stand in for the image's directories:
#   /media/etc (config share)   /var/lib (var share: status, leases)
#   /run (tmpfs)                /usr/sbin, /usr/libexec (netd, busybox applets,
#                               dnsmasq)
# The other veth end, "host0", lives in a second namespace: the FreeBSD
# host's side, where busybox udhcpc asks for a lease.
# Sourced by each test; sets up on source; tests/lib/netns.bash removes
# the namespaces, and every process in them, on exit.
set -u
TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
# shellcheck source=tests/lib/netns.bash
. "$TOP/tests/lib/netns.bash"
NETD_BIN=$TOP/build/musl/bin/netd
NAME=netdtest$$
GUEST=$NAME-guest
WORK=$(mktemp -d /tmp/netd-it.XXXXXX)
on_exit "umount '$WORK/ov'; rm -rf '$WORK'"
NETD_PID=
HOLDER_PID=

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; dump_state; exit 1; }
info() { echo "--- $*"; }

[ "$(id -u)" = 0 ] || skip "needs root (namespaces, veth)"
[ -f "$TOP/build/thirdparty.env" ] || skip "no third-party build (build/thirdparty.env)"
. "$TOP/build/thirdparty.env"
BUSYBOX_BIN=$BUSYBOX/bin/busybox
[ -x "$BUSYBOX_BIN" ] || skip "no busybox at $BUSYBOX_BIN"
DNSMASQ_BIN=$DNSMASQ/sbin/dnsmasq
[ -x "$DNSMASQ_BIN" ] || skip "no dnsmasq at $DNSMASQ_BIN"
if [ ! -x "$NETD_BIN" ] || [ -n "$(find "$TOP/netd" "$TOP/lib" -newer "$NETD_BIN" -name '*.[ch]' 2>/dev/null | head -1)" ]; then
	make -s -C "$TOP" "build/musl/bin/netd" >/dev/null || fail "building netd"
fi
command -v unshare >/dev/null && command -v nsenter >/dev/null || skip "no unshare/nsenter"
unshare -n true 2>/dev/null || skip "cannot create network namespaces here"

# The host side: a named netns with host0.
netns_add "$NAME" || skip "ip netns add failed"
mkdir -p "$WORK/etc" "$WORK/var" "$WORK/run" "$WORK/sbin" "$WORK/libexec" "$WORK/out" "$WORK/ov"

# The guest side: a process holding a network + mount namespace, in which
# netd is started (and started again) with nsenter.
netns_hold "$GUEST" --mount --propagation private || fail "the guest's namespace was not created"
HOLDER_PID=$NETNS_HELD_PID
in_guest() { nsenter -t "$HOLDER_PID" -n -m -- "$@"; }
in_guest_net() { in_ns "$GUEST" "$@"; }
in_host() { in_ns "$NAME" "$@"; }

veth "$GUEST" eth0 "$NAME" host0 || fail "creating the veth pair"
netns_addr "$NAME" host0

# The image's directories inside the guest's mount namespace.
in_guest sh -e -c "
	mount --bind '$WORK/etc' /media 2>/dev/null || { mkdir -p /media && mount --bind '$WORK/etc' /media; }
	mkdir -p /media/etc
	mount --bind '$WORK/var' /var/lib
	mkdir -p /var/lib/misc /var/lib/netd
	mount -t tmpfs none /run
	mkdir -p /run/init
	mount --bind '$WORK/sbin' /usr/sbin
	mount --bind '$WORK/libexec' /usr/libexec
	cp '$NETD_BIN' /usr/sbin/netd
	ln -s '$BUSYBOX_BIN' /usr/sbin/udhcpd
	ln -s '$BUSYBOX_BIN' /usr/sbin/udhcpc
	ln -s '$DNSMASQ_BIN' /usr/sbin/dnsmasq
	mkdir -p /usr/libexec/netd
	ln -s /usr/sbin/netd /usr/libexec/netd/udhcpc-event
	mount -t tmpfs none '$WORK/ov'
	mkdir '$WORK/ov/upper' '$WORK/ov/work'
	mount -t overlay overlay -o 'lowerdir=/etc,upperdir=$WORK/ov/upper,workdir=$WORK/ov/work' /etc
	rm -rf /etc/wpa_supplicant /etc/hostapd
" || fail "setting up the guest's directories"
CONF=$WORK/etc/etc
STATUS=$WORK/var/netd/status

# The app config share, as init would mount it: station mode.
station_mode() {
	in_guest sh -c 'mkdir -p /etc/wpa_supplicant && printf "%s\n" \
		"ctrl_interface=/var/run/wpa_supplicant" "country=DE" \
		"network={" "  ssid=\"world\"" "  psk=\"passphrase\"" "}" \
		> /etc/wpa_supplicant/wpa_supplicant.conf' || fail "writing wpa_supplicant.conf"
}

# netd's stderr (the console) goes to $WORK/out/netd.log.
start_netd() {
	nsenter -t "$HOLDER_PID" -n -m -- env NETD_DEBUG=1 /usr/sbin/netd >>"$WORK/out/netd.log" 2>&1 &
	NETD_PID=$!
}

stop_netd() {
	[ -n "$NETD_PID" ] || return 0
	kill -TERM "$NETD_PID" 2>/dev/null
	wait "$NETD_PID"
	local rc=$?
	NETD_PID=
	return $rc
}

status_has() { grep -qx -- "$1" "$STATUS" 2>/dev/null; }
status_get() { sed -n "s/^$1=//p" "$STATUS" 2>/dev/null; }
eth0_has() { in_guest_net ip -4 addr show dev eth0 | grep -q "inet $1 "; }

# host_lease [ARGS]: one lease for host0 from the guest's udhcpd, applied
# to host0 as the host would (sim/host-udhcpc.sh, the tests' one host DHCP
# client script), udhcpc's environment in $WORK/out/lease.env. timeout
# --foreground: udhcpc stays in the test's process group, which the
# runner's time-out signals.
host_lease() {
	rm -f "$WORK/out/lease.env"
	in_host env HOST_LEASE_ENV="$WORK/out/lease.env" timeout --foreground 20 "$BUSYBOX_BIN" udhcpc -f -q -n -i host0 \
		-t 10 -T 1 -s "$TOP/sim/host-udhcpc.sh" "$@" >>"$WORK/out/udhcpc.log" 2>&1
}

lease_get() { sed -n "s/^$1=//p" "$WORK/out/lease.env" 2>/dev/null; }

dump_state() {
	echo "=== netd log"; cat "$WORK/out/netd.log" 2>/dev/null | tail -40
	echo "=== status"; cat "$STATUS" 2>/dev/null
	echo "=== guest addresses"; in_guest_net ip addr 2>/dev/null
	echo "=== host addresses"; in_host ip addr 2>/dev/null
	echo "=== udhcpc log"; tail -20 "$WORK/out/udhcpc.log" 2>/dev/null
}
