#!/bin/sh
# The outside world, in its own network namespace inside the guest:
#   WORLD_MODE=ap       an access point (hostapd.conf), a DHCP server handing
#                       out 192.168.50.100-199 with DNS options, and a TCP
#                       service at 198.51.100.1:7777 ("the Internet");
#                       with IPv6 also an IPv6 router (worldra: prefix
#                       2001:db8:50::/64, its DNS servers) and the service
#                       at [2001:db8:ffff::1]:7777. That is network 1 of
#                       net.sh, which a test can swap for another.
#                       WORLD_HOSTAPD names the authenticator: the image's
#                       hostapd, or /mnt/hostapd-eap (the 802.1X world,
#                       test share only), which with radius.conf is also
#                       the RADIUS server on the world's loopback:
#                       hostapd's EAP server on OpenSSL
#   WORLD_MODE=station  a station (wpa_supplicant.conf) that joins the
#                       guest's access point and asks it for a lease
W=/mnt R=/run/world
. "$W/world.env"
"$W/worldctl" wait-phy phyworld 20000 || { echo "world: the radio never arrived"; exit 1; }
"$W/worldctl" add-if phyworld world0 || exit 1
ip link set lo up
ip addr add 198.51.100.1/32 dev lo
# The world's IPv6: its own addresses without duplicate address detection,
# usable at once; worldra advertises the prefix the guest's uplink takes.
# Forwarding makes the world's kernel a router, as the Wi-Fi network's is:
# a host's neighbour advertisements say "not a router", and the guest's
# kernel then drops the default route (RFC 4861 7.2.5) at its first
# reachability probe.
ipv6_router() {
    echo 1 > /proc/sys/net/ipv6/conf/all/forwarding
    echo 0 > /proc/sys/net/ipv6/conf/world0/accept_dad
    echo 0 > /proc/sys/net/ipv6/conf/world0/accept_ra
    ip -6 addr add 2001:db8:ffff::1/128 dev lo
}
case "$WORLD_MODE" in
ap)
    [ -f "$W/radius.conf" ] && "$WORLD_HOSTAPD" -B -P "$R/radius.pid" "$W/radius.conf"
    ipv6_router
    "$W/net.sh" up 1
    echo "world: access point up"
    ;;
station)
    ip link set world0 up
    wpa_supplicant -B -P "$R/wpa_supplicant.pid" -i world0 -c "$W/wpa_supplicant.conf"
    udhcpc -b -i world0 -p "$R/udhcpc.pid" -s "$W/udhcpc.script" >/dev/null 2>&1
    echo "world: station up"
    ;;
esac
# The TCP service, on both families (busybox nc listens on [::] when
# IPv6 is built in); this process stays as the namespace's anchor (ctl.sh).
exec nc -ll -p 7777 -e /bin/echo wifibox-world
