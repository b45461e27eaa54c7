#!/bin/sh
# ctl.sh COMMAND: acts on the running world from the guest's console.
#   ap-stop | ap-start [NAME] stop or start the world's access point
#                             (with /mnt/hostapd-NAME.conf, when named)
#   new-radio NAME            add a radio (with an interface) for the guest
#   lease                     print the world station's lease
#   in-world CMD...           run a command inside the world's namespace
. /mnt/world.env
pid=$(cat /run/world/pid 2>/dev/null)
in_world() { nsenter -t "$pid" -n "$@"; }
case "$1" in
# Test tooling: a short poll until the old authenticator has let go of
# world0 and its control socket, so that ap-start can follow at once; one
# that has not gone in 5 s is killed, and said so.
ap-stop)
    p=$(cat /run/world/hostapd.pid) && kill "$p" || exit 1
    n=0
    while kill -0 "$p" 2>/dev/null; do
        n=$((n + 1))
        if [ $n = 250 ]; then
            echo "ctl.sh: hostapd $p ignored SIGTERM: killed" >&2
            grep State "/proc/$p/status" >&2
            kill -9 "$p"
        fi
        usleep 20000
    done ;;
ap-start) in_world "$WORLD_HOSTAPD" -B -P /run/world/hostapd.pid "/mnt/hostapd${2:+-$2}.conf" ;;
new-radio) /mnt/worldctl new-radio "${2:-phylate}" ;;
lease) cat /run/world/station.lease ;;
in-world) shift; in_world "$@" ;;
*) echo "usage: ctl.sh ap-stop|ap-start [NAME]|new-radio NAME|lease|in-world CMD..." >&2; exit 100 ;;
esac
