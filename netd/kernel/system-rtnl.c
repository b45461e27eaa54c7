/* Links, addresses and routes through rtnetlink (libnl-route). One socket
 * subscribed to the link, address, IPv6 route and ND user option groups
 * for events (the last carries the DNS servers of the uplink's router
 * advertisements, which the kernel itself does not use), one for dumps,
 * one for requests: a handler may make a request in the middle of a dump,
 * and its answer must not get mixed into the dump's messages. Events and
 * dumps deliver to the same parser.
 *
 * The event socket has a filter that drops exact repeats of what netd
 * has already been told (repeats.h): a router's periodic advertisement
 * then wakes nobody. */
#include "system-impl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include <netlink/route/rtnl.h>
#include <linux/rtnetlink.h>

#include "log.h"
#include "loop.h"
#include "repeats.h"

#define EVENT_BUFFER (256 * 1024)
#define RESYNC_TRIES 3

static struct nl_sock *ev_sk, *dump_sk, *req_sk;
static struct loop_fd ev_lfd = { .fd = -1 };
static const struct sys_handlers *handlers;

/* The repeat filter's table, and what the messages read since it was
 * last installed did to it. */
static struct repeats repeats;
static enum repeat_change repeats_pending;
static struct loop_timer repeats_timer;

static void repeats_note(enum repeat_change c)
{
	if (c > repeats_pending)
		repeats_pending = c;
}

/* ---- parsing ---------------------------------------------------------------- */

static void link_obj(struct nl_object *obj, void *arg)
{
	struct rtnl_link *l = (struct rtnl_link *)obj;
	unsigned f = rtnl_link_get_flags(l);
	struct sys_link sl = { .ifindex = rtnl_link_get_ifindex(l) };
	const char *name = rtnl_link_get_name(l);

	snprintf(sl.name, sizeof(sl.name), "%s", name ? name : "");
	sl.flags = (f & IFF_UP ? SYS_LINK_UP : 0) | (f & IFF_LOWER_UP ? SYS_LINK_CARRIER : 0);
	handlers->link(&sl, *(int *)arg);
}

static unsigned addr_flags(unsigned f)
{
	return (f & IFA_F_TENTATIVE ? SYS_ADDR_TENTATIVE : 0) |
	       (f & IFA_F_TEMPORARY ? SYS_ADDR_TEMPORARY : 0) |
	       (f & IFA_F_DEPRECATED ? SYS_ADDR_DEPRECATED : 0) |
	       (f & IFA_F_DADFAILED ? SYS_ADDR_DADFAILED : 0);
}

static void addr_obj(struct nl_object *obj, void *arg)
{
	struct rtnl_addr *a = (struct rtnl_addr *)obj;
	struct nl_addr *local = rtnl_addr_get_local(a);
	struct sys_addr sa = {
		.ifindex = rtnl_addr_get_ifindex(a),
		.family = rtnl_addr_get_family(a),
		.prefix = (uint8_t)rtnl_addr_get_prefixlen(a),
		.flags = addr_flags(rtnl_addr_get_flags(a)),
	};

	if (!local)
		return;
	if (sa.family == AF_INET && nl_addr_get_len(local) == 4)
		memcpy(&sa.v4, nl_addr_get_binary_addr(local), 4);
	else if (sa.family == AF_INET6 && nl_addr_get_len(local) == 16)
		memcpy(&sa.v6, nl_addr_get_binary_addr(local), 16);
	else
		return;
	handlers->addr(&sa, *(int *)arg);
}

/* IPv6 unicast routes of the main table: the default routes the
 * uplink's router advertisements gave, and the prefix routes (the
 * uplink's advertised on-link prefixes among them). */
static void route_obj(struct nl_object *obj, void *arg)
{
	struct rtnl_route *r = (struct rtnl_route *)obj;
	struct nl_addr *dst = rtnl_route_get_dst(r), *gw;
	struct rtnl_nexthop *nh;
	struct sys_route6 sr = { 0 };

	if (rtnl_route_get_family(r) != AF_INET6 || rtnl_route_get_table(r) != RT_TABLE_MAIN ||
	    rtnl_route_get_type(r) != RTN_UNICAST || rtnl_route_get_nnexthops(r) < 1)
		return;
	if (dst && nl_addr_get_prefixlen(dst) != 0) {
		if (nl_addr_get_family(dst) != AF_INET6 || nl_addr_get_len(dst) != 16)
			return;
		memcpy(&sr.dst, nl_addr_get_binary_addr(dst), 16);
		sr.dst_len = (uint8_t)nl_addr_get_prefixlen(dst);
	}
	nh = rtnl_route_nexthop_n(r, 0);
	sr.ifindex = rtnl_route_nh_get_ifindex(nh);
	gw = rtnl_route_nh_get_gateway(nh);
	if (gw && nl_addr_get_family(gw) == AF_INET6 && nl_addr_get_len(gw) == 16)
		memcpy(&sr.gateway, nl_addr_get_binary_addr(gw), 16);
	handlers->route6(&sr, *(int *)arg);
}

/* libnl has no object for these: the header, then the options as the
 * router sent them. */
static void nduseropt(struct nl_msg *msg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	const struct nduseroptmsg *m = nlmsg_data(h);
	unsigned quiet_s;

	if (nlmsg_datalen(h) < (int)sizeof(*m) ||
	    (size_t)nlmsg_datalen(h) < sizeof(*m) + m->nduseropt_opts_len ||
	    m->nduseropt_family != AF_INET6 || m->nduseropt_icmp_type != 134)
		return;
	quiet_s = handlers->ndopt(m->nduseropt_ifindex, (const uint8_t *)(m + 1), m->nduseropt_opts_len);
	repeats_note(repeats_ndopt(&repeats, (const uint8_t *)h, h->nlmsg_len,
				   quiet_s ? loop_now_ms() + quiet_s * 1000ull : 0));
}

static void addr_msg(struct nl_msg *msg, int *gone)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);

	nl_msg_parse(msg, addr_obj, gone);
	repeats_note(repeats_addr6(&repeats, (const uint8_t *)h, h->nlmsg_len));
}

static int on_msg(struct nl_msg *msg, void *arg)
{
	int type = nlmsg_hdr(msg)->nlmsg_type;
	int gone = type == RTM_DELLINK || type == RTM_DELADDR || type == RTM_DELROUTE;

	(void)arg;
	if (type == RTM_NEWLINK || type == RTM_DELLINK)
		nl_msg_parse(msg, link_obj, &gone);
	else if (type == RTM_NEWADDR || type == RTM_DELADDR)
		addr_msg(msg, &gone);
	else if (type == RTM_NEWROUTE || type == RTM_DELROUTE)
		nl_msg_parse(msg, route_obj, &gone);
	else if (type == RTM_NEWNDUSEROPT)
		nduseropt(msg);
	return NL_OK;
}

/* ---- the dump and the events -------------------------------------------------- */

static int dump(int type, int family, const char *what)
{
	int rc = nl_rtgen_request(dump_sk, type, family, NLM_F_DUMP);

	if (rc >= 0)
		rc = nl_recvmsgs_default(dump_sk);
	if (rc < 0)
		log_err("rtnetlink dump (%s): %s", what, nl_geterror(rc));
	return rc < 0 ? -1 : 0;
}

static int dump_all(void)
{
	if (dump(RTM_GETLINK, AF_UNSPEC, "links") < 0 || dump(RTM_GETADDR, AF_UNSPEC, "addresses") < 0)
		return -1;
	/* a kernel without IPv6 has no routes to give: not fatal */
	dump(RTM_GETROUTE, AF_INET6, "IPv6 routes");
	return 0;
}

/* ---- the repeat filter ------------------------------------------------------------ */

static int attach_filter(void)
{
	static struct sock_filter prog[REPEATS_PROGRAM_MAX];
	struct sock_fprog fprog = { .filter = prog };

	fprog.len = (unsigned short)repeats_program(&repeats, prog, REPEATS_PROGRAM_MAX);
	if (!fprog.len) {
		errno = E2BIG;
		return -1;
	}
	return setsockopt(nl_socket_get_fd(ev_sk), SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog));
}

/* The table as the filter, and a timer for its next deadline. A kernel
 * that refuses the program (net.core.optmem_max set low) gets one
 * without the options, then none: nothing dropped rather than the wrong
 * things, and each repeat wakes netd as before. */
static void install_filter(void)
{
	static int refused;
	uint64_t now = loop_now_ms(), next;
	int expired = 0;

	if (refused)
		return;
	next = repeats_expire(&repeats, now, &expired);
	if (attach_filter() < 0) {
		repeats_forget_ndopt(&repeats);
		next = 0;
		if (attach_filter() < 0) {
			log_warn("rtnetlink: cannot filter repeated events (%s): each one wakes netd",
				 strerror(errno));
			setsockopt(nl_socket_get_fd(ev_sk), SOL_SOCKET, SO_DETACH_FILTER, NULL, 0);
			refused = 1;
		}
	}
	if (next && !refused)
		loop_timer_set(&repeats_timer, next - now);
	else
		loop_timer_cancel(&repeats_timer);
}

static void repeats_due(struct loop_timer *t)
{
	(void)t;
	install_filter();
}

/* After a round of events: a new filter when the table changed; when an
 * address the filter dropped changed, a change back may have been dropped
 * before the new filter was in, so the addresses are dumped again (the
 * dump is newer than anything dropped). A dump that keeps finding changes
 * gives up dropping addresses until they settle. */
static void settle_repeats(void)
{
	for (unsigned tries = 0; repeats_pending == REPEATS_RESYNC; tries++) {
		if (tries == RESYNC_TRIES) {
			repeats_forget_addr6(&repeats);
			break;
		}
		repeats_pending = REPEATS_SAME;
		install_filter();
		dump(RTM_GETADDR, AF_INET6, "IPv6 addresses");
	}
	if (repeats_pending != REPEATS_SAME)
		install_filter();
	repeats_pending = REPEATS_SAME;
}

void sys_ndopt_forgotten(void)
{
	if (ev_sk && repeats_forget_ndopt(&repeats) != REPEATS_SAME)
		install_filter();
}

/* ---- the events ------------------------------------------------------------------- */

#define EVENTS_PER_WAKE 64

static void events_ready(struct loop_fd *lfd, uint32_t events)
{
	(void)lfd;
	(void)events;
	for (unsigned k = 0; k < EVENTS_PER_WAKE; k++) {
		int rc = nl_recvmsgs_default(ev_sk);

		if (rc == -NLE_AGAIN)
			break;
		if (rc == -NLE_NOMEM) {
			/* the kernel dropped events (ENOBUFS): ask for the whole state */
			log_warn("rtnetlink events overflowed: dumping the links, addresses and routes again");
			dump_all();
		} else if (rc < 0) {
			log_warn("reading rtnetlink events: %s", nl_geterror(rc));
			break;
		}
	}
	settle_repeats();
}

static struct nl_sock *route_socket(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk)
		return NULL;
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_msg, NULL);
	if (nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

int rtnl_open(const struct sys_handlers *h)
{
	int rc;

	handlers = h;
	ev_sk = route_socket();
	dump_sk = route_socket();
	req_sk = route_socket();
	if (!ev_sk || !dump_sk || !req_sk) {
		log_err("opening rtnetlink sockets: %s", strerror(errno));
		return -1;
	}
	nl_socket_enable_auto_ack(req_sk);
	nl_socket_set_buffer_size(ev_sk, EVENT_BUFFER, 0);
	rc = nl_socket_add_memberships(ev_sk, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
				       RTNLGRP_IPV6_ROUTE, RTNLGRP_ND_USEROPT, 0);
	if (rc < 0) {
		log_err("subscribing to rtnetlink events: %s", nl_geterror(rc));
		return -1;
	}
	nl_socket_set_nonblocking(ev_sk);
	ev_lfd.fd = nl_socket_get_fd(ev_sk);
	ev_lfd.cb = events_ready;
	if (loop_fd_add(&ev_lfd, EPOLLIN) < 0)
		return -1;
	repeats_timer.lfd.fd = -1;
	repeats_timer.cb = repeats_due;
	/* subscribed first: what changes during the dump arrives as events */
	if (dump_all() < 0)
		return -1;
	repeats_pending = REPEATS_SAME;
	install_filter();
	return 0;
}

void rtnl_close(void)
{
	loop_timer_free(&repeats_timer);
	memset(&repeats, 0, sizeof(repeats));
	loop_fd_del(&ev_lfd);
	nl_socket_free(ev_sk);
	nl_socket_free(dump_sk);
	nl_socket_free(req_sk);
	ev_sk = dump_sk = req_sk = NULL;
}

/* ---- requests ------------------------------------------------------------------- */

static int fail(int rc, const char *what)
{
	log_err("%s: %s", what, nl_geterror(rc));
	return rc == -NLE_EXIST ? -EEXIST : -EIO;
}

int sys_link_up(int ifindex, const char *name)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *change = rtnl_link_alloc();
	char what[64];
	int rc = -NLE_NOMEM;

	if (orig && change) {
		rtnl_link_set_ifindex(orig, ifindex);
		rtnl_link_set_flags(change, IFF_UP);
		rc = rtnl_link_change(req_sk, orig, change, 0);
	}
	rtnl_link_put(orig);
	rtnl_link_put(change);
	snprintf(what, sizeof(what), "setting %s up", name);
	return rc < 0 ? fail(rc, what) : 0;
}

static struct nl_addr *build_addr(const struct sys_addr *a)
{
	struct nl_addr *n = a->family == AF_INET ? nl_addr_build(AF_INET, &a->v4, 4)
						: nl_addr_build(AF_INET6, &a->v6, 16);

	if (n)
		nl_addr_set_prefixlen(n, a->prefix);
	return n;
}

/* IPv4 gets its broadcast address, as ifupdown gives it. */
static void set_broadcast(struct rtnl_addr *ra, const struct sys_addr *a)
{
	struct in_addr b;
	struct nl_addr *n;

	if (a->family != AF_INET || a->prefix >= 31)
		return;
	b.s_addr = a->v4.s_addr | htonl(0xffffffffu >> a->prefix);
	n = nl_addr_build(AF_INET, &b, 4);
	if (n) {
		rtnl_addr_set_broadcast(ra, n);
		nl_addr_put(n);
	}
}

static int addr_request(const struct sys_addr *a, int add)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = build_addr(a);
	char ip[INET6_ADDRSTRLEN], what[96];
	int rc = -NLE_NOMEM;

	if (ra && local) {
		rtnl_addr_set_ifindex(ra, a->ifindex);
		rtnl_addr_set_family(ra, a->family);
		rtnl_addr_set_local(ra, local);
		rtnl_addr_set_prefixlen(ra, a->prefix);
		if (add)
			set_broadcast(ra, a);
		rc = add ? rtnl_addr_add(req_sk, ra, NLM_F_REPLACE) : rtnl_addr_delete(req_sk, ra, 0);
	}
	nl_addr_put(local);
	rtnl_addr_put(ra);
	/* removing: gone already (a privacy address goes with its stable one) */
	if (rc >= 0 || (!add && rc == -NLE_NOADDR))
		return 0;
	inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->v4 : (const void *)&a->v6, ip, sizeof(ip));
	snprintf(what, sizeof(what), "%s %s/%u on ifindex %d", add ? "adding" : "removing", ip, a->prefix, a->ifindex);
	return fail(rc, what);
}

int sys_addr_add(const struct sys_addr *a)
{
	return addr_request(a, 1);
}

int sys_addr_del(const struct sys_addr *a)
{
	return addr_request(a, 0);
}

int sys_route6_del(const struct sys_route6 *r6)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = nl_addr_build(AF_INET6, &r6->dst, 16), *via = NULL;
	char ip[INET6_ADDRSTRLEN], what[128];
	int rc = -NLE_NOMEM;

	if (r && nh && dst) {
		nl_addr_set_prefixlen(dst, r6->dst_len);
		rtnl_route_set_family(r, AF_INET6);
		rtnl_route_set_dst(r, dst);
		rtnl_route_set_table(r, RT_TABLE_MAIN);
		rtnl_route_set_type(r, RTN_UNICAST);
		/* libnl says "static" unless told: the kernel's are "ra" or
		 * "kernel", and only "unspecified" matches them all */
		rtnl_route_set_protocol(r, RTPROT_UNSPEC);
		rtnl_route_nh_set_ifindex(nh, r6->ifindex);
		if (!IN6_IS_ADDR_UNSPECIFIED(&r6->gateway) &&
		    (via = nl_addr_build(AF_INET6, &r6->gateway, 16)))
			rtnl_route_nh_set_gateway(nh, via);
		rtnl_route_add_nexthop(r, nh);
		nh = NULL;	/* the route owns it now */
		rc = rtnl_route_delete(req_sk, r, 0);
	}
	if (nh)
		rtnl_route_nh_free(nh);
	nl_addr_put(dst);
	nl_addr_put(via);
	rtnl_route_put(r);
	if (rc >= 0 || rc == -NLE_OBJ_NOTFOUND)	/* gone already */
		return 0;
	inet_ntop(AF_INET6, &r6->dst, ip, sizeof(ip));
	snprintf(what, sizeof(what), "removing the route to %s/%u (ifindex %d)", ip, r6->dst_len, r6->ifindex);
	return fail(rc, what);
}

/* Adds (or replaces) or removes one route of the main table: dst/len out
 * of ifindex, via gw when there is one. 0, or the libnl error. */
static int route_change(int family, const void *dst_addr, unsigned len, int ifindex, const void *gw,
			int add)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	unsigned size = family == AF_INET ? 4 : 16;
	struct nl_addr *dst = nl_addr_build(family, dst_addr, size), *via = NULL;
	int rc = -NLE_NOMEM;

	if (r && nh && dst && (!gw || (via = nl_addr_build(family, gw, size)))) {
		nl_addr_set_prefixlen(dst, (int)len);
		rtnl_route_set_family(r, (uint8_t)family);
		rtnl_route_set_dst(r, dst);
		rtnl_route_set_table(r, RT_TABLE_MAIN);
		rtnl_route_set_protocol(r, RTPROT_BOOT);
		rtnl_route_set_scope(r, gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
		rtnl_route_set_type(r, RTN_UNICAST);
		rtnl_route_nh_set_ifindex(nh, ifindex);
		if (via)
			rtnl_route_nh_set_gateway(nh, via);
		rtnl_route_add_nexthop(r, nh);
		nh = NULL;	/* the route owns it now */
		rc = add ? rtnl_route_add(req_sk, r, NLM_F_REPLACE) : rtnl_route_delete(req_sk, r, 0);
	}
	if (nh)
		rtnl_route_nh_free(nh);
	nl_addr_put(dst);
	nl_addr_put(via);
	rtnl_route_put(r);
	return rc;
}

/* A route to one address (/32, /128) straight out of ifindex. */
static int host_route(int family, int ifindex, const void *host, int add)
{
	char ip[INET6_ADDRSTRLEN], what[128];
	int rc = route_change(family, host, family == AF_INET ? 32 : 128, ifindex, NULL, add);

	if (rc >= 0 || (!add && rc == -NLE_OBJ_NOTFOUND))
		return 0;
	inet_ntop(family, host, ip, sizeof(ip));
	snprintf(what, sizeof(what), "%s the host route to %s (ifindex %d)", add ? "adding" : "removing", ip, ifindex);
	return fail(rc, what);
}

int sys_route_host(int ifindex, struct in_addr host, int add)
{
	return host_route(AF_INET, ifindex, &host, add);
}

int sys_route6_host(int ifindex, const struct in6_addr *host, int add)
{
	return host_route(AF_INET6, ifindex, host, add);
}

int sys_neigh_proxy6(int ifindex, const struct in6_addr *addr, int add)
{
	struct rtnl_neigh *n = rtnl_neigh_alloc();
	struct nl_addr *dst = nl_addr_build(AF_INET6, addr, 16);
	char ip[INET6_ADDRSTRLEN], what[128];
	int rc = -NLE_NOMEM;

	if (n && dst) {
		rtnl_neigh_set_family(n, AF_INET6);
		rtnl_neigh_set_ifindex(n, ifindex);
		rtnl_neigh_set_dst(n, dst);
		rtnl_neigh_set_flags(n, NTF_PROXY);
		rtnl_neigh_set_state(n, NUD_PERMANENT);
		rc = add ? rtnl_neigh_add(req_sk, n, NLM_F_CREATE | NLM_F_REPLACE) : rtnl_neigh_delete(req_sk, n, 0);
	}
	nl_addr_put(dst);
	rtnl_neigh_put(n);
	if (rc >= 0 || (!add && rc == -NLE_OBJ_NOTFOUND))
		return 0;
	inet_ntop(AF_INET6, addr, ip, sizeof(ip));
	snprintf(what, sizeof(what), "%s the neighbour proxy for %s (ifindex %d)", add ? "adding" : "removing", ip, ifindex);
	return fail(rc, what);
}

int sys_route_default(int ifindex, struct in_addr gw, int add)
{
	static const struct in_addr any = { 0 };
	char ip[INET_ADDRSTRLEN], what[96];
	int rc = route_change(AF_INET, &any, 0, ifindex, &gw, add);

	if (rc >= 0)
		return 0;
	inet_ntop(AF_INET, &gw, ip, sizeof(ip));
	snprintf(what, sizeof(what), "%s the default route via %s (ifindex %d)", add ? "adding" : "removing", ip, ifindex);
	return fail(rc, what);
}
