/* What happens to netd's links, told once to every subsystem that cares.
 *
 * links.c (the kernel's news), netd.c (the Wi-Fi daemon's) and dhcp.c
 * (the uplink's lease) publish; each subsystem reacts in its own file, in
 * the handler it names in the table in events.c. A new subsystem (a DNS
 * forwarder, LAN services) adds its handler there and needs no change in
 * the publishers.
 *
 * Handlers run in the table's order, at once, inside the publisher's
 * call: the publisher has already brought its own state up to date (a
 * link that is gone has ifindex 0), and the event carries what was lost
 * (the old ifindex). A handler may publish in turn. */
#ifndef NETD_EVENTS_H
#define NETD_EVENTS_H

#include "system.h"

struct link;

enum netd_event {
	EV_LINK_FOUND,		/* a configured link (loopback, host link) appeared */
	EV_LINK_CHANGED,	/* its flags changed (up, carrier) */
	EV_LINK_CONFIGURED,	/* netd set its addresses and routes (Wi-Fi too) */
	EV_LINK_GONE,		/* a link went away; link NULL: not one of netd's */
	EV_ADDR,		/* an address came or went, on any link */
	EV_WIFI_FOUND,		/* the Wi-Fi interface is in use: netd.wifi */
	EV_WIFI_GONE,		/* ...and is no longer */
	EV_ASSOCIATED,		/* the Wi-Fi daemon connected (station or AP) */
	EV_DISASSOCIATED,	/* ...and disconnected */
	EV_LEASE,		/* the uplink's lease was taken (netd.have_lease) */
	EV_LEASE_LOST,		/* ...and given up */
	EV_DNS6,		/* the uplink's IPv6 DNS servers, or its readiness,
				 * changed (netd.ipv6.dns, ipv6_uplink_ready) */
	EV_COUNT
};

struct netd_ev {
	enum netd_event type;
	struct link *link;		/* netd's link, or NULL */
	int ifindex;			/* EV_*_GONE: the index it had */
	const struct sys_addr *addr;	/* EV_ADDR */
	int gone;			/* EV_ADDR: removed */
};

void events_publish(const struct netd_ev *ev);
/* The common case: an event about one of netd's links. */
void events_link(enum netd_event type, struct link *l);
const char *events_name(enum netd_event type);

/* The subscribers (events.c's table). */
void dhcp_on_event(const struct netd_ev *ev);
void ipv6_on_event(const struct netd_ev *ev);
void firewall_on_event(const struct netd_ev *ev);
void dns_on_event(const struct netd_ev *ev);
void udprelay_on_event(const struct netd_ev *ev);
void mdns_on_event(const struct netd_ev *ev);
void remember_on_event(const struct netd_ev *ev);
void bridged_on_event(const struct netd_ev *ev);
void report_on_event(const struct netd_ev *ev);

#endif
