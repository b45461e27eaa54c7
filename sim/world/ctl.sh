#!/bin/sh
# ctl.sh COMMAND: acts on the running world from the guest's console.
#   ap-stop | ap-start        stop or start the world's access point
#   move N                    the world's network N instead (net.sh): the
#                             guest loses its network and finds another
#   radius-start NAME         (re)start the 802.1X world's RADIUS server
#                             with /mnt/radius-NAME.conf
#   new-radio NAME            add a radio (with an interface) for the guest
#   lease                     print the world station's lease
#   in-world CMD...           run a command inside the world's namespace
. /mnt/world.env
pid=$(cat /run/world/pid 2>/dev/null)
in_world() { nsenter -t "$pid" -n "$@"; }
# stop PIDFILE. Test tooling: a short poll until the old daemon has let go
# of its sockets, so that a start can follow at once; one that has not
# gone in 5 s is killed, and said so.
stop() {
    p=$(cat "$1") && kill "$p" || return 1
    n=0
    while kill -0 "$p" 2>/dev/null; do
        n=$((n + 1))
        if [ $n = 250 ]; then
            echo "ctl.sh: $p ignored SIGTERM: killed" >&2
            kill -9 "$p"
        fi
        usleep 20000
    done
}
case "$1" in
ap-stop) stop /run/world/hostapd.pid ;;
ap-start) in_world "$WORLD_HOSTAPD" -B -P /run/world/hostapd.pid /mnt/hostapd.conf ;;
radius-start)
    [ -f /run/world/radius.pid ] && { stop /run/world/radius.pid || exit 1; }
    in_world "$WORLD_HOSTAPD" -B -P /run/world/radius.pid "/mnt/radius-$2.conf" ;;
new-radio) /mnt/worldctl new-radio "${2:-phylate}" ;;
move) in_world /mnt/net.sh down && in_world /mnt/net.sh up "$2" ;;
lease) cat /run/world/station.lease ;;
in-world) shift; in_world "$@" ;;
*) echo "usage: ctl.sh ap-stop|ap-start|move N|radius-start NAME|new-radio NAME|lease|in-world CMD..." >&2; exit 100 ;;
esac
