#!/bin/sh
# udhcpd.sh start|restart [DNS...]: the reference guest's udhcpd, from the
# template with %%DNS%% filled in, as Wifibox's dhcpcd hook does it.
[ "$1" = restart ] && [ -f /run/udhcpd.pid ] && kill "$(cat /run/udhcpd.pid)" 2>/dev/null && usleep 100000
shift
sed "s/%%DNS%%/$*/" /etc/ref/udhcpd.conf > /run/udhcpd.conf
udhcpd -S /run/udhcpd.conf
