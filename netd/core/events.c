/* The subscriber table, and publishing. See events.h. */
#include "events.h"
#include "netd.h"

#include "log.h"

struct subscriber {
	const char *name;
	void (*on_event)(const struct netd_ev *ev);
};

/* The order matters where one reacts to another's work: DHCP first (the
 * served link's udhcpd, the uplink's udhcpc), then IPv6, which reads the
 * links as DHCP left them, then the firewall, which follows both, the
 * host's DNS forwarder, and the status last, which reports them all. */
static const struct subscriber subscribers[] = {
	{ "bridged mode", bridged_on_event },
	{ "dhcp", dhcp_on_event },
	{ "ipv6", ipv6_on_event },
	{ "firewall", firewall_on_event },
	{ "dns", dns_on_event },
	{ "udp relays", udprelay_on_event },
	{ "mdns", mdns_on_event },
	{ "last uplink", remember_on_event },
	{ "status", report_on_event },
};

static const char *const names[EV_COUNT] = {
	[EV_LINK_FOUND] = "link-found",
	[EV_LINK_CHANGED] = "link-changed",
	[EV_LINK_CONFIGURED] = "link-configured",
	[EV_LINK_GONE] = "link-gone",
	[EV_ADDR] = "addr",
	[EV_WIFI_FOUND] = "wifi-found",
	[EV_WIFI_GONE] = "wifi-gone",
	[EV_ASSOCIATED] = "associated",
	[EV_DISASSOCIATED] = "disassociated",
	[EV_LEASE] = "lease",
	[EV_LEASE_LOST] = "lease-lost",
	[EV_DNS6] = "dns6",
};

const char *events_name(enum netd_event type)
{
	return (unsigned)type < EV_COUNT && names[type] ? names[type] : "?";
}

void events_publish(const struct netd_ev *ev)
{
	log_debug("event %s%s%s", events_name(ev->type), ev->link ? " on " : "",
		  ev->link ? ev->link->name : "");
	for (size_t k = 0; k < sizeof(subscribers) / sizeof(subscribers[0]); k++)
		subscribers[k].on_event(ev);
}

void events_link(enum netd_event type, struct link *l)
{
	struct netd_ev ev = { .type = type, .link = l, .ifindex = l ? l->ifindex : 0 };

	events_publish(&ev);
}
