#!/bin/sh
# The test host's DHCP client script (busybox udhcpc -s): applies the
# guest's lease to the host's side of the link, as a FreeBSD host's
# dhclient would, and writes udhcpc's environment to $HOST_LEASE_ENV for
# the test to read. Only IPv4 addresses are replaced (the host's IPv6 ones,
# link-local and SLAAC, stay), unless HOST_FLUSH_ALL=1.
case $1 in bound|renew) ;; *) exit 0 ;; esac
if [ "${HOST_FLUSH_ALL:-0}" = 1 ]; then
    ip addr flush dev "$interface"
else
    ip -4 addr flush dev "$interface"
fi
ip addr add "$ip/$mask" dev "$interface"
[ -z "$router" ] || ip route replace default via "$router"
env | sort > "$HOST_LEASE_ENV"
