#!/bin/sh
# The outside world, in its own network namespace inside the guest:
#   WORLD_MODE=ap       an access point (hostapd.conf), a DHCP server handing
#                       out 192.168.50.100-199 with DNS options, and a TCP
#                       service at 198.51.100.1:7777 ("the Internet")
#   WORLD_MODE=station  a station (wpa_supplicant.conf) that joins the
#                       guest's access point and asks it for a lease
W=/mnt R=/run/world
. "$W/world.env"
"$W/worldctl" wait-phy phyworld 20000 || { echo "world: the radio never arrived"; exit 1; }
"$W/worldctl" add-if phyworld world0 || exit 1
ip link set lo up
ip addr add 198.51.100.1/32 dev lo
case "$WORLD_MODE" in
ap)
    ip addr add 192.168.50.1/24 dev world0
    hostapd -B -P "$R/hostapd.pid" "$W/hostapd.conf"
    udhcpd -S "$W/udhcpd.conf"
    echo "world: access point up"
    ;;
station)
    ip link set world0 up
    wpa_supplicant -B -P "$R/wpa_supplicant.pid" -i world0 -c "$W/wpa_supplicant.conf"
    udhcpc -b -i world0 -p "$R/udhcpc.pid" -s "$W/udhcpc.script" >/dev/null 2>&1
    echo "world: station up"
    ;;
esac
# The TCP service; this process stays as the namespace's anchor (ctl.sh).
exec nc -ll -p 7777 -e /bin/echo wifibox-world
