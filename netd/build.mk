# netd: the network daemon (see netd/README.md).
#
# The core talks to the outside through seams: system*.c (rtnetlink,
# nl80211), proc.c (children), ctrl.c (wpa_ctrl) and firewall.c. Unit tests
# link the fakes (*-fake.c) instead. The firewall's sources come from
# netd/firewall.mk, written by the firewall's author.
PROGRAMS += netd

NETD_PARSE := netd/ifconf.c netd/plan.c netd/appconf.c netd/dhcpd_conf.c \
	netd/lease.c netd/wpaev.c netd/status.c netd/bridge.c netd/ra.c
NETD_CORE := netd/paths.c netd/netd.c netd/links.c netd/dhcp.c netd/report.c \
	netd/fwuser.c netd/wifi.c netd/wpactl.c netd/svc.c netd/ipv6.c $(NETD_PARSE)
NETD_REAL := netd/main.c netd/udhcpc_event.c netd/proc.c netd/ctrl.c \
	netd/system.c netd/system-rtnl.c netd/system-nl80211.c netd/system-ra.c
NETD_FAKES := netd/system-fake.c netd/proc-fake.c netd/ctrl-fake.c \
	netd/firewall-fake.c netd/testing.c

netd_SRCS := $(NETD_CORE) $(NETD_REAL)
netd_LIBS := -lnl-genl-3 -lnl-route-3 -lnl-3 -lwpa_client

-include netd/firewall.mk

NETD_LIB := lib/log.c lib/conf.c lib/backoff.c lib/fsutil.c lib/loop.c lib/shconf.c

UNIT_TESTS += test-netd-ifconf test-netd-dhcpd test-netd-lease test-netd-wpaev \
	test-netd-status test-netd-svc test-netd-wifi test-netd-core test-netd-hostile

test-netd-ifconf_SRCS := tests/unit/test-netd-ifconf.c netd/ifconf.c netd/plan.c \
	netd/appconf.c netd/testing.c $(NETD_LIB)
test-netd-dhcpd_SRCS := tests/unit/test-netd-dhcpd.c netd/dhcpd_conf.c netd/plan.c \
	netd/ifconf.c netd/testing.c $(NETD_LIB)
test-netd-lease_SRCS := tests/unit/test-netd-lease.c netd/lease.c netd/ifconf.c netd/plan.c \
	netd/bridge.c netd/testing.c $(NETD_LIB)
test-netd-wpaev_SRCS := tests/unit/test-netd-wpaev.c netd/wpaev.c $(NETD_LIB)
test-netd-status_SRCS := tests/unit/test-netd-status.c netd/status.c $(NETD_LIB)
test-netd-svc_SRCS := tests/unit/test-netd-svc.c netd/svc.c netd/paths.c \
	$(NETD_FAKES) $(NETD_LIB)
test-netd-wifi_SRCS := tests/unit/test-netd-wifi.c netd/wifi.c netd/wpactl.c \
	netd/wpaev.c netd/paths.c $(NETD_FAKES) $(NETD_LIB)
# The firewall's pure parts (forwards, user rules) are real here; only
# libiptc (firewall.c) is faked.
test-netd-core_SRCS := tests/unit/test-netd-core.c $(NETD_CORE) $(NETD_FAKES) \
	netd/forwards.c netd/fw-user.c $(NETD_LIB)
# Issue 14: the hostile hotspot, with the same harness (tests/unit/netd-harness.h).
test-netd-hostile_SRCS := tests/unit/test-netd-hostile.c $(NETD_CORE) $(NETD_FAKES) \
	netd/forwards.c netd/fw-user.c $(NETD_LIB)

# IPv6 (issue 8): the router advertisement bytes and the uplink's DNS.
UNIT_TESTS += test-ipv6-ra
test-ipv6-ra_SRCS := tests/unit/test-ipv6-ra.c netd/ra.c $(NETD_LIB)
