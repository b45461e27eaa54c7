#!/bin/sh
# ctl.sh COMMAND: acts on the running world from the guest's console.
#   ap-stop | ap-start        stop or start the world's access point
#   move N                    the world's network N instead (net.sh): the
#                             guest loses its network and finds another
#   new-radio NAME            add a radio (with an interface) for the guest
#   lease                     print the world station's lease
#   in-world CMD...           run a command inside the world's namespace
pid=$(cat /run/world/pid 2>/dev/null)
in_world() { nsenter -t "$pid" -n "$@"; }
case "$1" in
ap-stop) kill "$(cat /run/world/hostapd.pid)" ;;
ap-start) in_world hostapd -B -P /run/world/hostapd.pid /mnt/hostapd.conf ;;
new-radio) /mnt/worldctl new-radio "${2:-phylate}" ;;
move) in_world /mnt/net.sh down && in_world /mnt/net.sh up "$2" ;;
lease) cat /run/world/station.lease ;;
in-world) shift; in_world "$@" ;;
*) echo "usage: ctl.sh ap-stop|ap-start|move N|new-radio NAME|lease|in-world CMD..." >&2; exit 100 ;;
esac
