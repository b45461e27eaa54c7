#include "plan.h"

#include <arpa/inet.h>
#include <string.h>

#include "log.h"

const char *mode_name(enum netd_mode m)
{
	switch (m) {
	case MODE_NONE:
		return "none";
	case MODE_STATION:
		return "station";
	case MODE_AP:
		return "ap";
	}
	return "?";
}

int net4_overlap(struct in_addr a, uint8_t plen_a, struct in_addr b, uint8_t plen_b)
{
	uint32_t m = prefix_mask(plen_a < plen_b ? plen_a : plen_b).s_addr;

	return (a.s_addr & m) == (b.s_addr & m);
}

int net6_same_prefix(const struct in6_addr *a, const struct in6_addr *b, unsigned bits)
{
	unsigned bytes = bits / 8, rest = bits % 8;
	uint8_t m = (uint8_t)(0xff00u >> rest);

	if (bits > 128)
		return 0;
	return !memcmp(a->s6_addr, b->s6_addr, bytes) &&
	       (!rest || (a->s6_addr[bytes] & m) == (b->s6_addr[bytes] & m));
}

void plan_pool(struct in_addr addr, uint8_t prefix, struct in_addr *first, struct in_addr *last)
{
	uint32_t mask = ntohl(prefix_mask(prefix).s_addr);
	uint32_t net = ntohl(addr.s_addr) & mask;
	uint32_t bcast = net | ~mask;

	if (prefix >= 31) {	/* no network or broadcast address to skip */
		first->s_addr = htonl(net);
		last->s_addr = htonl(bcast);
		return;
	}
	first->s_addr = htonl(net + 1);
	last->s_addr = htonl(bcast - 1);
}

static void set_static(struct plan_link *l, const char *addr, uint8_t prefix, const char *gw)
{
	l->v4 = PLAN_V4_STATIC;
	inet_pton(AF_INET, addr, &l->addr);
	l->prefix = prefix;
	l->has_gateway = gw != NULL;
	if (gw)
		inet_pton(AF_INET, gw, &l->gateway);
}

/* The inside prefix's address (issue 8): on the host link in station
 * mode (the contract's fd00::ffff/64), on the Wi-Fi in access-point mode. */
static void set_static6(struct plan_link *l, const char *addr)
{
	l->has_addr6 = 1;
	inet_pton(AF_INET6, addr, &l->addr6);
	l->prefix6 = 64;
}

/* The contract's defaults (CONTRACT.md §2, §3). */
static void defaults(struct plan *p, enum netd_mode mode)
{
	memset(p, 0, sizeof(*p));
	strcpy(p->eth.name, HOST_LINK);
	strcpy(p->wifi.name, "wlan0");
	switch (mode) {
	case MODE_NONE:
	case MODE_STATION:
		set_static(&p->eth, "10.0.0.1", 24, NULL);
		set_static6(&p->eth, PLAN_HOST_ADDR6);
		p->wifi.v4 = PLAN_V4_DHCP;
		break;
	case MODE_AP:
		set_static(&p->eth, "10.0.0.2", 24, "10.0.0.1");
		set_static(&p->wifi, "192.168.0.1", 24, NULL);
		set_static6(&p->wifi, PLAN_AP_ADDR6);
		break;
	}
}

static void take_dns(struct plan_link *l, const struct ifc_inet *in)
{
	memcpy(l->dns, in->dns, sizeof(l->dns));
	l->n_dns = in->n_dns;
}

/* A static stanza: its address if it has one, else the default stays. */
static void take_static(struct plan_link *l, const struct ifc_inet *in, const char *path,
			const char *name)
{
	char a[INET_ADDRSTRLEN];

	if (!in->has_addr && l->v4 == PLAN_V4_DHCP) {
		log_err("%s:%u: 'iface %s inet static' has no valid address: using DHCP",
			path, in->line, name);
		return;
	}
	if (!in->has_addr) {
		inet_ntop(AF_INET, &l->addr, a, sizeof(a));
		log_err("%s:%u: 'iface %s inet static' has no valid address: using the default %s/%u",
			path, in->line, name, a, l->prefix);
		return;
	}
	l->v4 = PLAN_V4_STATIC;
	l->addr = in->addr;
	l->prefix = in->has_prefix ? in->prefix : 24;
	if (!in->has_prefix)
		log_warn("%s:%u: 'iface %s' has no netmask: using /24", path, in->line, name);
	l->has_gateway = in->has_gateway;
	l->gateway = in->gateway;
}

static void take_inet6(struct plan_link *l, const struct ifc_inet6 *in6, const char *path,
		       const char *name)
{
	char a[INET6_ADDRSTRLEN];

	memcpy(l->dns6, in6->dns, sizeof(l->dns6));
	l->n_dns6 = in6->n_dns;
	if (in6->method != IFC_STATIC)
		return;
	if (!in6->has_addr && l->has_addr6) {
		inet_ntop(AF_INET6, &l->addr6, a, sizeof(a));
		log_err("%s:%u: 'iface %s inet6 static' has no valid address: using the default %s/%u",
			path, in6->line, name, a, l->prefix6);
		return;
	}
	if (!in6->has_addr) {
		log_err("%s:%u: 'iface %s inet6 static' has no valid address: no IPv6 address set",
			path, in6->line, name);
		return;
	}
	l->has_addr6 = 1;
	l->addr6 = in6->addr;
	l->prefix6 = in6->has_prefix ? in6->prefix : 64;
	if (l->prefix6 != 64)
		log_warn("%s:%u: 'iface %s inet6 static' is a /%u: hosts make addresses from a /64 "
			 "only, so they get none from the guest's advertisements", path, in6->line,
			 name, l->prefix6);
}

static void resolve_eth(struct plan *p, const struct ifc_iface *i, const char *path)
{
	if (!i)
		return;
	take_dns(&p->eth, &i->inet);
	take_inet6(&p->eth, &i->inet6, path, i->name);
	p->mdns_reflector = i->inet.mdns_reflector;
	p->bridge_uplink = i->inet.bridge_uplink;
	switch (i->inet.method) {
	case IFC_UNSET:
		return;
	case IFC_STATIC:
		take_static(&p->eth, &i->inet, path, i->name);
		return;
	case IFC_LOOPBACK:
	case IFC_DHCP:
	case IFC_MANUAL:
		log_err("%s:%u: the host link must be 'iface %s inet static' (not %s): using the default",
			path, i->inet.line, i->name, ifc_method_name(i->inet.method));
		return;
	}
}

static void resolve_wifi(struct plan *p, const struct ifc_iface *i, enum netd_mode mode,
			 const char *path)
{
	if (!i)
		return;
	strcpy(p->wifi.name, i->name);
	take_dns(&p->wifi, &i->inet);
	if (i->inet.mdns_line)
		log_err("%s:%u: mdns-reflector belongs in the 'iface %s' stanza (the host link): ignored here",
			path, i->inet.mdns_line, HOST_LINK);
	if (i->inet.bridge_line)
		log_err("%s:%u: bridge-uplink belongs in the 'iface %s' stanza (the host link): ignored here",
			path, i->inet.bridge_line, HOST_LINK);
	take_inet6(&p->wifi, &i->inet6, path, i->name);
	switch (i->inet.method) {
	case IFC_UNSET:
		return;
	case IFC_STATIC:
		take_static(&p->wifi, &i->inet, path, i->name);
		return;
	case IFC_DHCP:
		if (mode == MODE_AP) {
			log_err("%s:%u: in access-point mode 'iface %s' must be static: using the default",
				path, i->inet.line, i->name);
			return;
		}
		p->wifi.v4 = PLAN_V4_DHCP;
		return;
	case IFC_LOOPBACK:
	case IFC_MANUAL:
		log_err("%s:%u: 'iface %s inet %s' is not supported for the Wi-Fi interface: using the default",
			path, i->inet.line, i->name, ifc_method_name(i->inet.method));
		return;
	}
}

/* The Wi-Fi stanza is the first one that is neither lo nor the host link:
 * its name is only a preference, netd takes the name the driver gives. */
static const struct ifc_iface *wifi_stanza(const struct ifc_conf *c)
{
	for (unsigned k = 0; k < c->n; k++)
		if (strcmp(c->iface[k].name, "lo") && strcmp(c->iface[k].name, HOST_LINK))
			return &c->iface[k];
	return NULL;
}

void plan_resolve(const struct ifc_conf *c, enum netd_mode mode, const char *path, struct plan *p)
{
	defaults(p, mode);
	resolve_eth(p, ifconf_find(c, HOST_LINK), path);
	resolve_wifi(p, wifi_stanza(c), mode, path);
}
