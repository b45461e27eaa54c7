/* IPv6 for the inside (issue 8), without radvd or dhcpcd: the kernel does
 * the uplink's side (SLAAC with privacy addresses, the default route, and
 * it hands up the DNS servers of the uplink's advertisements); netd gives
 * the inside link its address and advertises the inside prefix there,
 * with itself as the default router only while the uplink has IPv6.
 *
 *   inside   eth0 in station mode, the Wi-Fi interface in access-point mode
 *   uplink   the other one
 *
 * Advertisements: three quick ones when advertising starts or what is
 * advertised changes, then one every 200 to 600 s, and one in answer to
 * each router solicitation (at most one per 3 s, RFC 4861 6.2.6). */
#include "netd.h"
#include "events.h"
#include "bridged.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "paths.h"

/* The public resolvers the contract's udhcpd.conf falls back to, in IPv6:
 * advertised while the uplink's own are not known. */
static const char *const default_fallback[] = { "2001:4860:4860::8888", "2001:4860:4860::8844" };

/* What the uplink's advertisements say about their DNS servers is
 * believed for an hour at most, however long (or "infinite") the
 * lifetime they give: a router advertises at least every 30 minutes
 * (RFC 4861's MaxRtrAdvInterval), so a real one renews them in time, and
 * a hotspot's servers never outlive it by more than that. */
#define DNS_MAX_BELIEVED_S 3600

/* ---- which link is which --------------------------------------------------- */

struct link *ipv6_inside(void)
{
	return netd.mode == MODE_AP ? &netd.wifi : &netd.eth;
}

struct link *ipv6_uplink(void)
{
	switch (netd.mode) {
	case MODE_STATION:
		return &netd.wifi;
	case MODE_AP:
		return &netd.eth;
	case MODE_NONE:
		return NULL;
	}
	return NULL;
}

static int is_link_local(const struct in6_addr *a)
{
	return a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80;
}

static int usable(const struct sys_addr *a)
{
	return a->family == AF_INET6 && !(a->flags & (SYS_ADDR_TENTATIVE | SYS_ADDR_DADFAILED));
}

/* The link-local address the kernel sends advertisements from. */
static int has_link_local(const struct link *l)
{
	const struct view *v = &netd.view;

	for (unsigned k = 0; k < v->n_addrs; k++)
		if (v->addrs[k].ifindex == l->ifindex && usable(&v->addrs[k]) &&
		    is_link_local(&v->addrs[k].v6))
			return 1;
	return 0;
}

/* The uplink's first global address, a stable one rather than a privacy
 * address when there is one: 1 if found. */
int ipv6_first_global(const struct link *l, struct sys_addr *out)
{
	const struct view *v = &netd.view;
	int found = 0;

	for (unsigned k = 0; l && l->ifindex && k < v->n_addrs; k++) {
		const struct sys_addr *a = &v->addrs[k];

		if (a->ifindex != l->ifindex || !usable(a) || is_link_local(&a->v6) ||
		    IN6_IS_ADDR_LOOPBACK(&a->v6))
			continue;
		if (!found || ((out->flags & SYS_ADDR_TEMPORARY) && !(a->flags & SYS_ADDR_TEMPORARY)))
			*out = *a;
		found = 1;
	}
	return found;
}

static const struct sys_route6 *default_route(const struct link *l)
{
	for (unsigned k = 0; l && l->ifindex && k < netd.ipv6.n_routes; k++)
		if (netd.ipv6.routes[k].ifindex == l->ifindex)
			return &netd.ipv6.routes[k];
	return NULL;
}

/* The uplink has IPv6: an address and a default route on it. */
int ipv6_uplink_ready(void)
{
	struct link *up = ipv6_uplink();
	struct sys_addr a;

	return netd.ipv6.on && up && ipv6_first_global(up, &a) && default_route(up);
}

/* ---- what is advertised ------------------------------------------------------ */

static void dns_to_advertise(struct ra_params *p)
{
	const struct ipv6 *v = &netd.ipv6;
	const struct in6_addr *from = v->n_dns ? v->dns : v->fallback;
	unsigned n = v->n_dns ? v->n_dns : v->n_fallback;

	memcpy(p->dns, from, sizeof(*from) * n);
	p->n_dns = n;
	p->dns_lifetime_s = RA_DNS_LIFETIME_S;
}

/* Without IPv6 on the uplink the inside still gets its prefix (the host
 * reaches the guest over it), but no default router and no DNS servers:
 * the host sees no router that leads nowhere. */
static void current_params(struct ra_params *p, int withdraw)
{
	const struct plan_link *in = netd.mode == MODE_AP ? &netd.plan.wifi : &netd.plan.eth;

	memset(p, 0, sizeof(*p));
	p->hop_limit = 64;
	p->prefix_len = in->prefix6;
	for (unsigned i = 0, bits = in->prefix6; i < 16 && bits; i++, bits -= bits > 8 ? 8 : bits)
		p->prefix.s6_addr[i] = in->addr6.s6_addr[i] & (uint8_t)(0xff00u >> (bits > 8 ? 8 : bits));
	p->valid_s = RA_VALID_S;
	p->preferred_s = RA_PREFERRED_S;
	if (withdraw || !ipv6_uplink_ready())
		return;
	p->router_lifetime_s = RA_ROUTER_LIFETIME_S;
	dns_to_advertise(p);
	p->bridged_len = bridged_prefix6(&p->bridged_prefix);
	p->bridged_valid_s = RA_BRIDGED_VALID_S;
	p->bridged_preferred_s = RA_BRIDGED_PREFERRED_S;
}

/* A bridged-mode prefix advertised last time and not now (the guest moved,
 * or NAT took over) goes out once with lifetimes 0: hosts stop using
 * their addresses in it for new connections at once. */
static void add_withdrawn_prefix(struct ra_params *p, const struct ra_params *last)
{
	if (!last->bridged_len || (p->bridged_len == last->bridged_len &&
				   !memcmp(&p->bridged_prefix, &last->bridged_prefix, sizeof(p->bridged_prefix))))
		return;
	p->old_bridged_prefix = last->bridged_prefix;
	p->old_bridged_len = last->bridged_len;
}

static int has_dns(const struct ra_params *p, const struct in6_addr *a)
{
	for (unsigned k = 0; k < p->n_dns; k++)
		if (!memcmp(&p->dns[k], a, sizeof(*a)))
			return 1;
	return 0;
}

static int same_params(const struct ra_params *a, const struct ra_params *b)
{
	if (a->router_lifetime_s != b->router_lifetime_s || a->prefix_len != b->prefix_len ||
	    memcmp(&a->prefix, &b->prefix, sizeof(a->prefix)) || a->n_dns != b->n_dns ||
	    a->bridged_len != b->bridged_len ||
	    memcmp(&a->bridged_prefix, &b->bridged_prefix, sizeof(a->bridged_prefix)))
		return 0;
	for (unsigned k = 0; k < a->n_dns; k++)
		if (!has_dns(b, &a->dns[k]))
			return 0;
	return 1;
}

/* Servers advertised last time and not now go out once with lifetime 0. */
static void add_withdrawn_dns(struct ra_params *p, const struct ra_params *last)
{
	for (unsigned k = 0; k < last->n_dns && p->n_old_dns < RA_MAX_DNS; k++)
		if (!has_dns(p, &last->dns[k]))
			p->old_dns[p->n_old_dns++] = last->dns[k];
}

/* ---- sending -------------------------------------------------------------------- */

static uint32_t next_random(void)
{
	uint32_t x = netd.ipv6.seed ? netd.ipv6.seed : 0x9e3779b9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return netd.ipv6.seed = x;
}

static void schedule(uint64_t delay_ms)
{
	struct ipv6 *v = &netd.ipv6;
	uint64_t now = loop_now_ms(), due = now + delay_ms;

	if (v->ra_last_ms && due < v->ra_last_ms + RA_MIN_DELAY_MS)
		due = v->ra_last_ms + RA_MIN_DELAY_MS;
	if (v->ra_timer.pending && v->ra_due_ms <= due)
		return;	/* one is due sooner already */
	v->ra_due_ms = due;
	loop_timer_set(&v->ra_timer, due - now);
}

static void schedule_regular(void)
{
	struct ipv6 *v = &netd.ipv6;

	if (v->ra_initial) {
		schedule(RA_INITIAL_INTERVAL_MS);
		return;
	}
	schedule(RA_MIN_INTERVAL_MS + next_random() % (RA_MAX_INTERVAL_MS - RA_MIN_INTERVAL_MS));
}

static void send_ra(int withdraw)
{
	struct ipv6 *v = &netd.ipv6;
	uint8_t buf[RA_MAX_SIZE];
	struct ra_params p;
	size_t len;

	current_params(&p, withdraw);
	add_withdrawn_dns(&p, &v->ra_last);
	add_withdrawn_prefix(&p, &v->ra_last);
	len = ra_build(&p, buf, sizeof(buf));
	if (!len || sys_ra_send(buf, len) < 0)
		return;	/* logged; the next one is scheduled anyway */
	if (v->ra_sent == 0 || p.router_lifetime_s != v->ra_last.router_lifetime_s)
		log_info("router advertisements on %s: %s", ipv6_inside()->name,
			 p.router_lifetime_s ? "the guest is the default router" :
			 "prefix only, no default router (the uplink has no IPv6)");
	p.n_old_dns = 0;
	p.old_bridged_len = 0;
	/* A periodic advertisement like the last only moves ra_sent on, which
	 * the status does not write for: no need to wake for it. */
	if (v->ra_sent == 0 || !same_params(&p, &v->ra_last))
		report_changed();
	v->ra_sent++;
	v->ra_last_ms = loop_now_ms();
	v->ra_last = p;
}

static void ra_timer_fired(struct loop_timer *t)
{
	struct ipv6 *v = &netd.ipv6;

	(void)t;
	if (!v->ra_ifindex)
		return;
	send_ra(0);
	if (v->ra_initial)
		v->ra_initial--;
	schedule_regular();
}

/* What is advertised changed: tell the host at once, then a few times. */
static void content_changed(void)
{
	netd.ipv6.ra_initial = RA_INITIAL_COUNT;
	schedule(0);
}

/* ---- the advertising link ----------------------------------------------------- */

static void stop_advertising(void)
{
	struct ipv6 *v = &netd.ipv6;

	if (!v->ra_ifindex)
		return;
	sys_ra_close();
	loop_timer_cancel(&v->ra_timer);
	v->ra_ifindex = 0;
	v->ra_last_ms = 0;
	memset(&v->ra_last, 0, sizeof(v->ra_last));
	report_changed();
}

static int can_advertise(const struct link *in)
{
	return netd.ipv6.on && !netd.shutting_down && in->ifindex && in->want6 &&
	       (in->flags & SYS_LINK_UP) && has_link_local(in);
}

/* The socket follows the inside link; the first advertisement goes out as
 * soon as the link has the link-local address to send it from. */
static void follow_inside(void)
{
	struct ipv6 *v = &netd.ipv6;
	struct link *in = ipv6_inside();

	if (!can_advertise(in)) {
		stop_advertising();
		return;
	}
	if (v->ra_ifindex == in->ifindex)
		return;
	stop_advertising();
	if (sys_ra_open(in->ifindex, in->name) < 0) {
		netd_error(ERR_SOCKET_FAILED, "router advertisements on %s: cannot open the socket: the host gets no IPv6",
			   in->name);
		return;
	}
	v->ra_ifindex = in->ifindex;
	log_info("router advertisements on %s", in->name);
	content_changed();
}

/* Said once per change: why the uplink has IPv6 or not. */
static void note_uplink(void)
{
	struct link *up = ipv6_uplink();
	const struct sys_route6 *r = default_route(up);
	int ready = ipv6_uplink_ready();
	char a[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN];
	struct sys_addr addr;

	if (ready == netd.ipv6.uplink_ready || !up)
		return;
	netd.ipv6.uplink_ready = ready;
	if (ready) {
		ipv6_first_global(up, &addr);
		log_notice("%s has IPv6: %s/%u, router %s", up->name,
			   inet_ntop(AF_INET6, &addr.v6, a, sizeof(a)), addr.prefix,
			   inet_ntop(AF_INET6, &r->gateway, gw, sizeof(gw)));
	} else {
		log_notice("%s has no IPv6 now: %s", up->name[0] ? up->name : "the uplink",
			   !up->ifindex ? "the interface is gone" :
			   !r ? "no default route from its router advertisements" : "no usable global address");
	}
	events_link(EV_DNS6, up);	/* its DNS servers count only while it is ready */
}

void ipv6_update(void)
{
	struct ra_params now;

	if (!netd.ipv6.on || netd.dumping)
		return;
	note_uplink();
	follow_inside();
	if (netd.ipv6.ra_ifindex) {
		current_params(&now, 0);
		if (!same_params(&now, &netd.ipv6.ra_last) && netd.ipv6.ra_sent)
			content_changed();
	}
	report_changed();
}

void ipv6_on_rs(int ifindex)
{
	if (ifindex != netd.ipv6.ra_ifindex || !netd.ipv6.ra_ifindex)
		return;
	schedule(next_random() % RA_ANSWER_DELAY_MS);
}

/* ---- the uplink's prefixes: never the inside's ------------------------------- */

static int from_uplink(int ifindex)
{
	const struct link *up = ipv6_uplink();

	return netd.ipv6.on && up && up->ifindex && ifindex == up->ifindex;
}

/* a/len is the inside's prefix, or a part of it: on the uplink, it
 * would take the host's traffic out of the Wi-Fi. */
static int within_inside_prefix(const struct in6_addr *a, unsigned len)
{
	const struct plan_link *in = netd.mode == MODE_AP ? &netd.plan.wifi : &netd.plan.eth;

	return in->has_addr6 && len >= in->prefix6 && net6_same_prefix(a, &in->addr6, in->prefix6);
}

static void refuse_prefix(const struct in6_addr *a, unsigned len)
{
	const struct plan_link *in = netd.mode == MODE_AP ? &netd.plan.wifi : &netd.plan.eth;
	struct ipv6 *v = &netd.ipv6;
	char p[INET6_ADDRSTRLEN], ip[INET6_ADDRSTRLEN];
	struct in6_addr net = in->addr6;

	for (unsigned i = 0; i < 16; i++)
		net.s6_addr[i] &= (uint8_t)(i * 8 >= in->prefix6 ? 0 : i * 8 + 8 <= in->prefix6 ? 0xff :
					    0xff00u >> (in->prefix6 - i * 8));

	if (v->refused && v->refused_len == len && net6_same_prefix(a, &v->refused_prefix, len))
		return;	/* said once, not at every advertisement */
	v->refused = "overlaps-host-link";
	v->refused_prefix = *a;
	v->refused_len = (uint8_t)len;
	netd_error(ERR_ADDRESS_CONFLICT, "%s: the uplink's router advertises %s/%u, inside the host link's prefix %s/%u: "
		   "refused (its address and route removed); the host keeps its link. To use IPv6 on "
		   "this network, move the host's prefix: iface %s inet6 address in %s",
		   ipv6_uplink()->name, inet_ntop(AF_INET6, a, p, sizeof(p)), len,
		   inet_ntop(AF_INET6, &net, ip, sizeof(ip)), in->prefix6, ipv6_inside()->name,
		   paths.interfaces_conf);
}

int ipv6_on_addr(const struct sys_addr *a, int gone)
{
	if (gone || a->family != AF_INET6 || !from_uplink(a->ifindex) || !within_inside_prefix(&a->v6, 128))
		return 0;
	refuse_prefix(&a->v6, a->prefix);
	sys_addr_del(a);
	return 1;
}

static void on_prefix_route(const struct sys_route6 *r, int gone)
{
	if (gone || !from_uplink(r->ifindex) || !within_inside_prefix(&r->dst, r->dst_len))
		return;
	refuse_prefix(&r->dst, r->dst_len);
	sys_route6_del(r);
}

/* ---- the uplink: default routes and DNS servers ------------------------------ */

/* A default route via a router the uplink did not have: another
 * network's, whatever the association says. */
static int router_changes(const struct sys_route6 *r)
{
	const struct ipv6 *v = &netd.ipv6;
	const struct link *up = ipv6_uplink();
	int others = 0;

	if (netd.dumping || !up || !up->ifindex || r->ifindex != up->ifindex)
		return 0;
	for (unsigned k = 0; k < v->n_routes; k++)
		if (v->routes[k].ifindex == r->ifindex)
			others++;
	return others > 0;
}

void ipv6_on_route6(const struct sys_route6 *r, int gone)
{
	struct ipv6 *v = &netd.ipv6;
	char gw[INET6_ADDRSTRLEN];
	unsigned k;

	if (r->dst_len) {
		on_prefix_route(r, gone);
		return;
	}
	for (k = 0; k < v->n_routes; k++)
		if (v->routes[k].ifindex == r->ifindex &&
		    !memcmp(&v->routes[k].gateway, &r->gateway, sizeof(r->gateway)))
			break;
	if (gone && k < v->n_routes) {
		v->routes[k] = v->routes[--v->n_routes];
	} else if (!gone && k == v->n_routes && v->n_routes < IPV6_MAX_ROUTES) {
		if (router_changes(r))
			ipv6_uplink_forget("a new default router");
		v->routes[v->n_routes++] = *r;
	} else {
		return;
	}
	log_info("IPv6 default route via %s (ifindex %d) %s",
		 inet_ntop(AF_INET6, &r->gateway, gw, sizeof(gw)), r->ifindex, gone ? "removed" : "added");
	ipv6_update();
}

/* The uplink's DNS servers outlive a netd restart in /run/netd/dns6:
 * "ADDRESS EXPIRES_MS" lines, on the monotonic clock of this boot. The
 * uplink's router may not advertise again for minutes. */
static void save_dns(void)
{
	const struct ipv6 *v = &netd.ipv6;
	char text[RA_MAX_DNS * 72], a[INET6_ADDRSTRLEN];
	size_t len = 0;

	for (unsigned k = 0; k < v->n_dns; k++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s %llu\n",
					inet_ntop(AF_INET6, &v->dns[k], a, sizeof(a)),
					(unsigned long long)v->dns_expires_ms[k]);
	write_file_atomic(paths.dns6, text, len, 0644);
	events_link(EV_DNS6, ipv6_uplink());
}

static void load_dns(void)
{
	struct ipv6 *v = &netd.ipv6;
	char text[RA_MAX_DNS * 72 + 1], *line, *next, *sp, *end;
	uint64_t now = loop_now_ms(), latest = now + DNS_MAX_BELIEVED_S * 1000ull;

	if (read_small_file(paths.dns6, text, sizeof(text)) <= 0)
		return;
	for (line = text; *line && v->n_dns < RA_MAX_DNS; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		v->dns_expires_ms[v->n_dns] = strtoull(sp + 1, &end, 10);
		if (*end || end == sp + 1 || v->dns_expires_ms[v->n_dns] <= now ||
		    inet_pton(AF_INET6, line, &v->dns[v->n_dns]) != 1 || !ra_dns_usable(&v->dns[v->n_dns]))
			continue;
		if (v->dns_expires_ms[v->n_dns] > latest)	/* an older netd's "for ever" */
			v->dns_expires_ms[v->n_dns] = latest;
		v->n_dns++;
	}
}

static void dns_expiry(void)
{
	struct ipv6 *v = &netd.ipv6;
	uint64_t now = loop_now_ms(), first = 0;

	for (unsigned k = 0; k < v->n_dns;) {
		if (v->dns_expires_ms[k] <= now) {
			v->dns[k] = v->dns[--v->n_dns];
			v->dns_expires_ms[k] = v->dns_expires_ms[v->n_dns];
			continue;
		}
		if (!first || v->dns_expires_ms[k] < first)
			first = v->dns_expires_ms[k];
		k++;
	}
	if (first)
		loop_timer_set(&v->dns_timer, first - now);
	else
		loop_timer_cancel(&v->dns_timer);
}

static void dns_timer_fired(struct loop_timer *t)
{
	(void)t;
	dns_expiry();
	save_dns();
	ipv6_update();
}

static void learn_dns(const struct in6_addr *a, uint32_t lifetime_s)
{
	struct ipv6 *v = &netd.ipv6;
	uint64_t expires;
	unsigned k;

	if (lifetime_s > DNS_MAX_BELIEVED_S)
		lifetime_s = DNS_MAX_BELIEVED_S;
	expires = loop_now_ms() + (uint64_t)lifetime_s * 1000;

	for (k = 0; k < v->n_dns && memcmp(&v->dns[k], a, sizeof(*a)); k++)
		;
	if (k == v->n_dns) {
		if (!lifetime_s || v->n_dns == RA_MAX_DNS)
			return;
		v->dns[v->n_dns++] = *a;
	}
	v->dns_expires_ms[k] = lifetime_s ? expires : 0;	/* 0: gone at the next expiry */
}

/* How long the same option again would change nothing: half the shortest
 * lifetime it gives (the next one after that renews the servers in
 * time); an option that gives no server we use, for as long as we would
 * believe one. 0 while a server is withdrawn. */
static unsigned repeat_quiet_s(const struct ra_dns *found)
{
	unsigned quiet = DNS_MAX_BELIEVED_S;

	for (unsigned k = 0; k < found->n; k++)
		if (found->lifetime_s[k] < quiet)
			quiet = found->lifetime_s[k];
	return quiet / 2;
}

unsigned ipv6_on_ndopt(int ifindex, const uint8_t *opts, size_t len)
{
	struct link *up = ipv6_uplink();
	struct ra_dns found;
	char a[INET6_ADDRSTRLEN];

	if (!netd.ipv6.on || !up || !up->ifindex || ifindex != up->ifindex)
		return 0;
	if (!ra_parse_rdnss(opts, len, &found))
		return DNS_MAX_BELIEVED_S / 2;
	if (found.skipped)
		log_info("%s: %u DNS servers of the uplink's advertisement cannot serve the inside "
			 "(link-local or special): not passed on", up->name, found.skipped);
	for (unsigned k = 0; k < found.n; k++) {
		learn_dns(&found.addr[k], found.lifetime_s[k]);
		log_debug("%s: DNS server %s for %u s", up->name,
			  inet_ntop(AF_INET6, &found.addr[k], a, sizeof(a)), found.lifetime_s[k]);
	}
	dns_expiry();
	save_dns();
	ipv6_update();
	return repeat_quiet_s(&found);
}

/* What the uplink taught belongs to the network it came from: when the
 * association ends, or another router takes over, its DNS servers are
 * forgotten (and withdrawn from the host at the next advertisement),
 * rather than kept for their lifetime and taking the slots of the next
 * network's. */
void ipv6_uplink_forget(const char *why)
{
	struct ipv6 *v = &netd.ipv6;
	struct link *up = ipv6_uplink();

	sys_ndopt_forgotten();	/* the same network's next advertisement teaches them again */
	if (!v->on || !v->n_dns)
		return;
	log_info("%s: %s: forgetting its %u IPv6 DNS server(s)", up && up->name[0] ? up->name : "uplink",
		 why, v->n_dns);
	v->n_dns = 0;
	dns_expiry();
	save_dns();
	ipv6_update();
}

/* The association ended: the addresses and routers the uplink's
 * advertisements gave are the last network's. Kept, the guest would go on
 * sending from them on the next network (a stable address is preferred
 * for as long as its lifetime, hours); the next network's advertisement
 * (the kernel solicits one when the link comes back) gives its own. */
static void ipv6_association_ended(void)
{
	struct ipv6 *v = &netd.ipv6;
	struct link *up = ipv6_uplink();
	struct view *view = &netd.view;

	ipv6_uplink_forget("the association ended");
	if (v->refused) {
		v->refused = NULL;
		report_changed();
	}
	if (!v->on || !up || !up->ifindex)
		return;
	for (unsigned k = 0; k < view->n_addrs; k++) {
		const struct sys_addr *a = &view->addrs[k];

		if (a->ifindex == up->ifindex && a->family == AF_INET6 && !is_link_local(&a->v6) &&
		    !(up->want6 && !memcmp(&a->v6, &up->addr6.v6, sizeof(a->v6))))
			sys_addr_del(a);	/* the kernel's event takes it out of the view */
	}
	for (unsigned k = 0; k < v->n_routes; k++)
		if (v->routes[k].ifindex == up->ifindex)
			sys_route6_del(&v->routes[k]);
	log_info("%s: the association ended: the IPv6 addresses and routers of its network are removed",
		 up->name);
}

/* ---- links ------------------------------------------------------------------------ */

static void set_conf(const char *ifname, const char *key, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", ifname, key);
	sys_sysctl(path, value);
}

/* The uplink takes router advertisements while the guest forwards
 * (accept_ra=2) and makes privacy addresses for its connections
 * (use_tempaddr=2), as the Alpine guest's sysctl.conf did; the inside
 * takes none. */
static void ipv6_link_found(struct link *l)
{
	if (!netd.ipv6.on)
		return;
	if (l == ipv6_uplink()) {
		set_conf(l->name, "accept_ra", "2");
		set_conf(l->name, "use_tempaddr", "2");
	} else if (l == ipv6_inside()) {
		set_conf(l->name, "accept_ra", "0");
	}
	ipv6_update();
}

static void ipv6_link_gone(int ifindex)
{
	struct ipv6 *v = &netd.ipv6;

	for (unsigned k = 0; k < v->n_routes;) {
		if (v->routes[k].ifindex == ifindex)
			v->routes[k] = v->routes[--v->n_routes];
		else
			k++;
	}
	if (ipv6_uplink() && ipv6_uplink()->ifindex == ifindex && v->n_dns) {
		v->n_dns = 0;
		sys_ndopt_forgotten();
		dns_expiry();
		save_dns();
	}
	if (ipv6_uplink() && ipv6_uplink()->ifindex == ifindex)
		v->refused = NULL;
	ipv6_update();
}

/* ---- start and stop ----------------------------------------------------------------- */

/* interfaces.conf's inet6 dns-nameservers, those a host behind the guest
 * can use; else the default pair. */
static void load_fallback(void)
{
	const struct plan_link *from = netd.plan.eth.n_dns6 ? &netd.plan.eth : &netd.plan.wifi;
	struct ipv6 *v = &netd.ipv6;
	char a[INET6_ADDRSTRLEN];

	v->n_fallback = 0;
	for (unsigned k = 0; k < from->n_dns6; k++) {
		if (ra_dns_usable(&from->dns6[k]))
			v->fallback[v->n_fallback++] = from->dns6[k];
		else
			log_err("%s: dns-nameservers %s cannot serve the host (link-local, loopback or "
				"multicast): not advertised", paths.interfaces_conf,
				inet_ntop(AF_INET6, &from->dns6[k], a, sizeof(a)));
	}
	for (unsigned k = 0; !v->n_fallback && k < 2; k++)
		inet_pton(AF_INET6, default_fallback[k], &v->fallback[k]);
	if (!v->n_fallback)
		v->n_fallback = 2;
}

void ipv6_init(void)
{
	struct ipv6 *v = &netd.ipv6;

	memset(v, 0, sizeof(*v));
	v->ra_timer.lfd.fd = v->dns_timer.lfd.fd = -1;
	v->ra_timer.cb = ra_timer_fired;
	v->dns_timer.cb = dns_timer_fired;
	v->seed = (uint32_t)getpid() ^ (uint32_t)loop_now_ms() ^ 0x5bd1e995u;
	snprintf(v->off_reason, sizeof(v->off_reason), "%s", "not started");
	load_fallback();
	load_dns();
}

/* The defaults new interfaces take, before the user's sysctl files so
 * that those have the last word (forwarding waits for the firewall:
 * netd.c). A Wi-Fi interface that appears later is the station's
 * uplink: it takes advertisements from the start, forwarding or not. */
void ipv6_kernel_settings(void)
{
	if (netd.mode == MODE_NONE || sys_ipv6_state(NULL) == SYS_IPV6_ABSENT)
		return;
	sys_sysctl("/proc/sys/net/ipv6/conf/default/use_tempaddr", "2");
	if (netd.mode == MODE_STATION)
		sys_sysctl("/proc/sys/net/ipv6/conf/default/accept_ra", "2");
}

static int decide(void)
{
	struct link *in = ipv6_inside();

	switch (sys_ipv6_state(in->name)) {
	case SYS_IPV6_ON:
		return 1;
	case SYS_IPV6_DISABLED:
		snprintf(netd.ipv6.off_reason, sizeof(netd.ipv6.off_reason),
			 "disable_ipv6 is set (sysctl.conf: net.ipv6.conf.all.disable_ipv6 = 1)");
		return 0;
	case SYS_IPV6_ABSENT:
		snprintf(netd.ipv6.off_reason, sizeof(netd.ipv6.off_reason),
			 "the kernel has no IPv6 (ipv6.disable=1)");
		return 0;
	}
	return 0;
}

static void want6(struct link *l, const struct plan_link *p)
{
	if (!p->has_addr6)
		return;
	l->want6 = 1;
	l->addr6.family = AF_INET6;
	l->addr6.v6 = p->addr6;
	l->addr6.prefix = p->prefix6;
}

void ipv6_start(void)
{
	struct ipv6 *v = &netd.ipv6;

	if (!decide()) {
		log_notice("IPv6 is off: %s", v->off_reason);
		report_changed();
		return;
	}
	v->on = 1;
	v->off_reason[0] = '\0';
	dns_expiry();	/* what an earlier netd learned, on its timer */
	want6(&netd.eth, &netd.plan.eth);
	if (netd.mode != MODE_NONE)
		want6(&netd.wifi, &netd.plan.wifi);
	links_apply(&netd.eth);
	if (netd.eth.ifindex)
		ipv6_link_found(&netd.eth);
	if (netd.wifi.ifindex)
		ipv6_link_found(&netd.wifi);
	ipv6_update();
}

/* RFC 4861 6.2.5: a router that stops says so, with lifetime 0. */
void ipv6_shutdown(void)
{
	struct ipv6 *v = &netd.ipv6;

	if (v->ra_ifindex && v->ra_sent)
		send_ra(1);
	stop_advertising();
	loop_timer_cancel(&v->dns_timer);
}

/* ---- events -------------------------------------------------------------------- */

void ipv6_on_event(const struct netd_ev *ev)
{
	switch (ev->type) {
	case EV_WIFI_FOUND:
		ipv6_link_found(ev->link);
		break;
	case EV_LINK_FOUND:
		if (!netd.dumping)	/* ipv6_start() sees the links the dump found */
			ipv6_link_found(ev->link);
		break;
	case EV_WIFI_GONE:
	case EV_LINK_GONE:
		ipv6_link_gone(ev->ifindex);
		break;
	case EV_LINK_CHANGED:
		ipv6_update();
		break;
	case EV_ADDR:
		if (ev->addr->family == AF_INET6)
			ipv6_update();	/* link-local ready, the uplink's SLAAC address */
		break;
	case EV_DISASSOCIATED:
		if (netd.mode == MODE_STATION)
			ipv6_association_ended();
		break;
	case EV_LINK_CONFIGURED:
	case EV_ASSOCIATED:
	case EV_LEASE:
	case EV_LEASE_LOST:
	case EV_DNS6:
	case EV_COUNT:
		break;
	}
}
