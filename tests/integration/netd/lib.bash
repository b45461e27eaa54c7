# Shared by the netd integration tests: runs the real netd (the static
# image binary) in its own network and mount namespaces, where a veth end
# is its "eth0" and tmpfs mounts stand in for the image's directories:
#   /media/etc (config share)   /var/lib (var share: status, leases)
#   /run (tmpfs)                /usr/sbin, /usr/libexec (netd, busybox applets,
#                               dnsmasq)
# The other veth end, "host0", lives in a second namespace: the FreeBSD
# host's side, where busybox udhcpc asks for a lease.
# Sourced by each test; sets up on source, cleans up on exit.
set -u
TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
NETD_BIN=$TOP/build/musl/bin/netd
NAME=netdtest$$
WORK=$(mktemp -d /tmp/netd-it.XXXXXX)
NETD_PID=
HOLDER_PID=
GUEST_NS=

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

# Every process in the guest's or the host's namespace: netd, what it
# started (which outlives it by design: a restarted netd adopts it), udhcpc.
kill_namespace() {
	local ns=$1 p
	[ -n "$ns" ] || return 0
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/net" 2>/dev/null)" = "$ns" ] && kill -9 "${p#/proc/}" 2>/dev/null
	done
}

cleanup() {
	kill_namespace "$GUEST_NS"
	kill_namespace "$(ip netns exec "$NAME" readlink /proc/self/ns/net 2>/dev/null)"
	[ -n "$HOLDER_PID" ] && kill -9 "$HOLDER_PID" 2>/dev/null
	ip netns del "$NAME" 2>/dev/null
	umount "$WORK/ov" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

# The host side: a named netns with host0.
ip netns add "$NAME" || skip "ip netns add failed"
mkdir -p "$WORK/etc" "$WORK/var" "$WORK/run" "$WORK/sbin" "$WORK/libexec" "$WORK/out" "$WORK/ov"

# The guest side: a process holding a network + mount namespace, in which
# netd is started (and started again) with nsenter.
unshare --net --mount --propagation private sleep infinity &
HOLDER_PID=$!
sleep 0.2
GUEST_NS=$(readlink "/proc/$HOLDER_PID/ns/net")
[ "$GUEST_NS" != "$(readlink /proc/self/ns/net)" ] || fail "the guest's namespace was not created"
in_guest() { nsenter -t "$HOLDER_PID" -n -m -- "$@"; }
in_guest_net() { nsenter -t "$HOLDER_PID" -n -- "$@"; }
in_host() { ip netns exec "$NAME" "$@"; }

ip link add eth0 netns "$HOLDER_PID" type veth peer name host0 netns "$NAME" \
	|| fail "creating the veth pair"
in_host ip link set host0 up
in_host ip link set lo up

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

# wait_for SECONDS CMD...: polls a condition (the test, not netd, polls).
wait_for() {
	local limit=$1; shift
	local end=$((SECONDS + limit))
	while [ $SECONDS -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

status_has() { grep -qx -- "$1" "$STATUS" 2>/dev/null; }
status_get() { sed -n "s/^$1=//p" "$STATUS" 2>/dev/null; }
eth0_has() { in_guest_net ip -4 addr show dev eth0 | grep -q "inet $1 "; }

# host_lease [ARGS]: one lease for host0 from the guest's udhcpd; the
# udhcpc script prints the environment into $WORK/out/lease.env.
host_lease() {
	cat >"$WORK/out/script" <<-EOS
	#!/bin/sh
	[ "\$1" = bound ] || [ "\$1" = renew ] || exit 0
	env | sort > "$WORK/out/lease.env"
	EOS
	chmod +x "$WORK/out/script"
	rm -f "$WORK/out/lease.env"
	in_host timeout 20 "$BUSYBOX_BIN" udhcpc -f -q -n -i host0 -t 10 -T 1 -s "$WORK/out/script" "$@" \
		>>"$WORK/out/udhcpc.log" 2>&1
}

lease_get() { sed -n "s/^$1=//p" "$WORK/out/lease.env" 2>/dev/null; }

dump_state() {
	echo "=== netd log"; cat "$WORK/out/netd.log" 2>/dev/null | tail -40
	echo "=== status"; cat "$STATUS" 2>/dev/null
	echo "=== guest addresses"; in_guest_net ip addr 2>/dev/null
	echo "=== udhcpc log"; tail -20 "$WORK/out/udhcpc.log" 2>/dev/null
}
