# netd: the network daemon (see netd/README.md).
#
# The core talks to the outside through seams: system*.c (rtnetlink,
# nl80211), proc.c (children), ctrl.c (wpa_ctrl) and firewall.c. Unit tests
# link the fakes (*-fake.c) instead. The firewall's sources come from
# netd/firewall/firewall.mk, written by the firewall's author.
PROGRAMS += netd

NETD_PARSE := netd/config/ifconf.c netd/config/plan.c netd/config/appconf.c netd/dhcp/dhcpd_conf.c \
	netd/dhcp/lease.c netd/wifi/wpaev.c netd/status/status.c netd/config/bridge.c netd/ipv6/ra.c \
	netd/config/relays.c netd/config/mdns_services.c netd/wifi/hint.c
NETD_CORE := netd/core/paths.c netd/core/events.c netd/core/ifsock.c netd/dns/dns.c netd/lan/udprelay.c netd/lan/mdns.c netd/lan/mdns_wire.c netd/lan/mdns_records.c netd/wifi/remember.c netd/bridged/bridged.c netd/bridged/dhcp_wire.c netd/status/errcode.c netd/netd.c netd/links/links.c netd/dhcp/dhcp.c netd/status/report.c \
	netd/firewall/user-loader.c netd/wifi/wifi.c netd/wifi/wpactl.c netd/proc/svc.c netd/ipv6/ipv6.c $(NETD_PARSE)
NETD_REAL := netd/main.c netd/dhcp/udhcpc_event.c netd/proc/proc.c netd/wifi/ctrl.c \
	netd/kernel/system.c netd/kernel/system-rtnl.c netd/kernel/repeats.c netd/kernel/system-nl80211.c netd/kernel/system-ra.c
NETD_FAKES := netd/kernel/system-fake.c netd/proc/proc-fake.c netd/wifi/ctrl-fake.c \
	netd/firewall/firewall-fake.c netd/testing/testing.c

netd_SRCS := $(NETD_CORE) $(NETD_REAL)
netd_LIBS := -lnl-genl-3 -lnl-route-3 -lnl-3 -lwpa_client

-include netd/firewall/firewall.mk

NETD_LIB = $(LIB_SRCS)

UNIT_TESTS += test-netd-dhcp-wire test-netd-ifconf test-netd-dhcpd test-netd-lease test-netd-wpaev \
	test-netd-status test-netd-svc test-netd-wifi test-netd-core test-netd-hostile test-netd-relays \
	test-netd-mdns-services

test-netd-ifconf_SRCS := tests/unit/test-netd-ifconf.c netd/config/ifconf.c netd/config/plan.c \
	netd/config/appconf.c netd/testing/testing.c $(NETD_LIB)
test-netd-dhcpd_SRCS := tests/unit/test-netd-dhcpd.c netd/dhcp/dhcpd_conf.c netd/config/plan.c \
	netd/config/ifconf.c netd/testing/testing.c $(NETD_LIB)
test-netd-lease_SRCS := tests/unit/test-netd-lease.c netd/dhcp/lease.c netd/config/ifconf.c netd/config/plan.c \
	netd/config/bridge.c netd/testing/testing.c $(NETD_LIB)
test-netd-wpaev_SRCS := tests/unit/test-netd-wpaev.c netd/wifi/wpaev.c $(NETD_LIB)
test-netd-relays_SRCS := tests/unit/test-netd-relays.c netd/config/relays.c $(NETD_LIB)
# mdnsd-services.conf; the real forwards parser for the cross-check.
test-netd-mdns-services_SRCS := tests/unit/test-netd-mdns-services.c netd/config/mdns_services.c \
	netd/firewall/forwards.c $(NETD_LIB)
test-netd-status_SRCS := tests/unit/test-netd-status.c netd/status/status.c $(NETD_LIB)
test-netd-svc_SRCS := tests/unit/test-netd-svc.c netd/proc/svc.c netd/core/paths.c \
	$(NETD_FAKES) $(NETD_LIB)
test-netd-wifi_SRCS := tests/unit/test-netd-wifi.c netd/wifi/wifi.c netd/wifi/wpactl.c \
	netd/wifi/wpaev.c netd/core/paths.c $(NETD_FAKES) $(NETD_LIB)
# The firewall's pure parts (forwards, user rules) are real here; only
# libiptc (firewall.c) is faked.
test-netd-core_SRCS := tests/unit/test-netd-core.c $(NETD_CORE) $(NETD_FAKES) \
	netd/firewall/forwards.c netd/firewall/user-rules.c $(NETD_LIB)
# Issue 14: the hostile hotspot, with the same harness (tests/unit/netd-harness.h).
test-netd-hostile_SRCS := tests/unit/test-netd-hostile.c $(NETD_CORE) $(NETD_FAKES) \
	netd/firewall/forwards.c netd/firewall/user-rules.c $(NETD_LIB)

# IPv6 (issue 8): the router advertisement bytes and the uplink's DNS.
UNIT_TESTS += test-ipv6-ra
test-ipv6-ra_SRCS := tests/unit/test-ipv6-ra.c netd/ipv6/ra.c $(NETD_LIB)

# mDNS (issue 16): the reflector's rewriting and the responder's answers.
UNIT_TESTS += test-netd-mdns
test-netd-dhcp-wire_SRCS := tests/unit/test-netd-dhcp-wire.c netd/bridged/dhcp_wire.c
# Issue 18: the filter that spares netd a router's repeated events.
UNIT_TESTS += test-netd-repeats
test-netd-repeats_SRCS := tests/unit/test-netd-repeats.c netd/kernel/repeats.c
test-netd-mdns_SRCS := tests/unit/test-netd-mdns.c netd/lan/mdns_wire.c netd/lan/mdns_records.c $(NETD_LIB)

# The last uplink (issue 18): the hint file's text.
UNIT_TESTS += test-netd-hint
test-netd-hint_SRCS := tests/unit/test-netd-hint.c netd/wifi/hint.c netd/status/status.c $(NETD_LIB)
