#!/bin/sh
# net.sh up N | down: the world's access point network N, inside the
# world's namespace (world.sh brings up network 1; ctl.sh `move N` takes
# the guest to another one). Network N is hostapd-N.conf and udhcpd-N.conf
# (network 1: hostapd.conf and udhcpd.conf) with world.env's NETn_*
# settings: NETn_ADDR4 on world0, and with NETn_IPV6=1 NETn_ADDR6 and
# worldra advertising NETn_PREFIX6 with the DNS servers NETn_DNS6, valid
# NETn_DNS6_LIFETIME seconds ("infinite" as a hostile hotspot may say).
# With NETn_DNS_ANSWERS ("NAME=IPV4 ..."), the image's dnsmasq serves DNS
# on NETn_ADDR4's address: those names, and REFUSED for any other.
# `down` stops whichever network runs: the guest loses its association.
W=/mnt R=/run/world
. "$W/world.env"

stop() {    # stop PIDFILE: the process, and wait until it is gone
    [ -f "$1" ] || return 0
    pid=$(cat "$1")
    kill "$pid" 2>/dev/null
    # test tooling: a short poll is fine here
    while kill -0 "$pid" 2>/dev/null; do usleep 20000; done
    rm -f "$1"
}

case "$1" in
up)
    n=$2
    suffix=$([ "$n" = 1 ] || echo "-$n")
    eval "addr4=\$NET${n}_ADDR4 ipv6=\$NET${n}_IPV6 addr6=\$NET${n}_ADDR6"
    eval "prefix6=\$NET${n}_PREFIX6 dns6=\$NET${n}_DNS6 lifetime=\$NET${n}_DNS6_LIFETIME"
    ip addr add "$addr4" dev world0
    "${WORLD_HOSTAPD:-hostapd}" -B -P "$R/hostapd.pid" "$W/hostapd$suffix.conf"
    # in the foreground, so that its pid is known (busybox writes no pid
    # file here)
    udhcpd -f -S "$W/udhcpd$suffix.conf" >/dev/null 2>&1 &
    echo $! > "$R/udhcpd.pid"
    eval "answers=\$NET${n}_DNS_ANSWERS"
    if [ -n "$answers" ]; then
        set --
        for a in $answers; do set -- "$@" "--address=/${a%%=*}/${a#*=}"; done
        dnsmasq --keep-in-foreground --conf-file= --pid-file= --no-hosts --no-resolv \
            --listen-address="${addr4%/*}" --bind-interfaces --user=root \
            --log-facility="$R/dnsd-$n.log" "$@" &
        echo $! > "$R/dnsd.pid"
    fi
    if [ "$ipv6" = 1 ]; then
        ip -6 addr add "$addr6" dev world0
        # shellcheck disable=SC2086 # a list of addresses
        "$W/worldra" -l "$lifetime" world0 "$prefix6" $dns6 >>"$R/worldra.log" 2>&1 &
        echo $! > "$R/worldra.pid"
    fi
    echo "$n" > "$R/network"
    echo "world: network $n up"
    ;;
down)
    stop "$R/dnsd.pid"
    stop "$R/worldra.pid"
    stop "$R/udhcpd.pid"
    stop "$R/hostapd.pid"
    ip -4 addr flush dev world0
    ip -6 addr flush dev world0 scope global
    rm -f "$R/network"
    echo "world: network down"
    ;;
*)
    echo "usage: net.sh up N | down" >&2
    exit 100
    ;;
esac
