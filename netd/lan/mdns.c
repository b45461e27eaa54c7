/* mDNS on the Wi-Fi LAN (issue 16), in netd's loop.
 *
 * The reflector (off unless interfaces.conf's eth0 stanza says
 * "mdns-reflector yes"): UDP 5353 sockets on the host link and on the
 * Wi-Fi, IPv4 (224.0.0.251) and IPv6 (ff02::fb), each bound to its
 * interface. A message sent to the group on one side is sent to the group
 * on the other, so the host's queries reach the LAN, the answers come
 * back, and the LAN's announcements reach the host. Never passed on:
 *   - a message to the guest's own address (only the group's are), or
 *     from one of the guest's addresses;
 *   - a malformed message (mdns_wire.c);
 *   - the same bytes seen within MDNS_LOOP_WINDOW_MS of passing them, in
 *     either direction: another reflector on the LAN sending back what we
 *     sent (no mDNS sender repeats itself within a second);
 *   - more than MDNS_REFLECT_PER_SECOND messages a second each way: a
 *     flood is cut, counted, and said once a second.
 * On the way, questions lose their unicast-response bit (the answer must
 * come by multicast, to be passed back); A records for the host link's
 * network become the guest's Wi-Fi address in station mode (the address
 * the Wi-Fi side can reach, through a port forward), and AAAA records for
 * the host link's prefix or any link-local address are withheld: they
 * mean nothing on the other link. Records from the Wi-Fi side that claim
 * the host link's addresses are withheld on the way to the host.
 *
 * The responder: mdnsd-services.conf's services are announced on the
 * Wi-Fi side (IPv4) with the guest's Wi-Fi address whenever it has one,
 * twice a second apart (RFC 6762 8.3), answered when asked, and withdrawn
 * with a goodbye (TTL 0) when netd stops or the address goes. Not done:
 * probing for name conflicts, known-answer suppression, and answers to
 * legacy queries from ports other than 5353. */
#include "mdns.h"
#include "mdns_records.h"
#include "mdns_wire.h"
#include "netd.h"
#include "events.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "paths.h"
#include "rate.h"

#define RECENT 64

enum side { SIDE_HOST, SIDE_WIFI };
enum { S_HOST4, S_WIFI4, S_HOST6, S_WIFI6, S_COUNT };

struct mdns_sock {
	struct loop_fd lfd;
	int family;
	enum side side;
	int ifindex;
};

static struct {
	int reflect;
	int stopped;			/* netd is stopping: nothing more is said */
	struct mdns_service_list services;
	struct mdns_zone zone;
	struct mdns_sock sock[S_COUNT];
	struct rate_window rate[2];	/* by the side it goes to */
	struct { uint32_t hash; uint64_t ms; } recent[RECENT];
	unsigned recent_next;
	uint64_t said_ms;
	unsigned long long passed, dropped_rate, dropped_loop, dropped_malformed, answered;
	unsigned announce_left;
	struct loop_timer announce_timer;
	uint8_t buf[65536], out[MDNS_MSG_CAP];
} md;

/* ---- the guest's own addresses -------------------------------------------------- */

static int own_address(int family, const void *a)
{
	for (unsigned k = 0; k < netd.view.n_addrs; k++) {
		const struct sys_addr *x = &netd.view.addrs[k];

		if (x->family != family)
			continue;
		if (family == AF_INET ? !memcmp(&x->v4, a, 4) : !memcmp(&x->v6, a, 16))
			return 1;
	}
	return 0;
}

static struct in_addr wifi_addr4(void)
{
	struct in_addr none = { 0 };

	return netd.wifi.ifindex && netd.wifi.want4 && view_has_addr(&netd.wifi.addr4) ? netd.wifi.addr4.v4
											    : none;
}

/* ---- sockets --------------------------------------------------------------------- */

static int join4(int fd, int ifindex)
{
	struct ip_mreqn m = { .imr_ifindex = ifindex };
	int ttl = 255, no = 0;

	inet_pton(AF_INET, MDNS_GROUP4, &m.imr_multiaddr);
	return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof(m)) < 0 ||
	       setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof(m)) < 0 ||
	       setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
	       setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &no, sizeof(no)) < 0 ||
	       setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &(int){ 1 }, sizeof(int)) < 0 ? -1 : 0;
}

static int join6(int fd, int ifindex)
{
	struct ipv6_mreq m = { .ipv6mr_interface = (unsigned)ifindex };
	int hops = 255, no = 0;

	inet_pton(AF_INET6, MDNS_GROUP6, &m.ipv6mr_multiaddr);
	return setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, sizeof(m)) < 0 ||
	       setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) < 0 ||
	       setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	       setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &no, sizeof(no)) < 0 ||
	       setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &(int){ 1 }, sizeof(int)) < 0 ? -1 : 0;
}

static int open_socket(int family, const char *ifname, int ifindex)
{
	struct sockaddr_in sa4 = { .sin_family = AF_INET, .sin_port = htons(MDNS_PORT) };
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6, .sin6_port = htons(MDNS_PORT) };
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), on = 1, e;

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) < 0 ||
	    (family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0) ||
	    (family == AF_INET ? join4(fd, ifindex) : join6(fd, ifindex)) < 0 ||
	    (family == AF_INET ? bind(fd, (struct sockaddr *)&sa4, sizeof(sa4))
			       : bind(fd, (struct sockaddr *)&sa6, sizeof(sa6))) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

static void readable(struct loop_fd *lfd, uint32_t events);

static void open_one(int which, int family, enum side side, const struct link *l)
{
	struct mdns_sock *s = &md.sock[which];
	int fd;

	if (s->lfd.fd >= 0 || !l->ifindex || (family == AF_INET6 && !netd.ipv6.on))
		return;
	fd = open_socket(family, l->name, l->ifindex);
	if (fd < 0) {
		netd_error(ERR_SOCKET_FAILED, "mDNS on %s (%s): %s", l->name,
			   family == AF_INET ? "IPv4" : "IPv6", strerror(-fd));
		return;
	}
	s->lfd.fd = fd;
	s->lfd.cb = readable;
	s->family = family;
	s->side = side;
	s->ifindex = l->ifindex;
	loop_fd_add(&s->lfd, EPOLLIN);
}

static void close_all(void)
{
	for (int k = 0; k < S_COUNT; k++) {
		struct mdns_sock *s = &md.sock[k];

		if (s->lfd.fd < 0)
			continue;
		loop_fd_del(&s->lfd);
		close(s->lfd.fd);
		s->lfd.fd = -1;
	}
}

/* Both sides are there: open what is wanted. */
static void open_all(void)
{
	int was_open = md.sock[S_HOST4].lfd.fd >= 0;

	if (md.stopped || !netd.wifi.ifindex || netd.mode == MODE_NONE)
		return;
	if (md.reflect || md.services.n)
		open_one(S_WIFI4, AF_INET, SIDE_WIFI, &netd.wifi);
	if (!md.reflect || !netd.eth.ifindex)
		return;
	open_one(S_HOST4, AF_INET, SIDE_HOST, &netd.eth);
	open_one(S_WIFI6, AF_INET6, SIDE_WIFI, &netd.wifi);
	open_one(S_HOST6, AF_INET6, SIDE_HOST, &netd.eth);
	if (!was_open && md.sock[S_HOST4].lfd.fd >= 0)
		log_info("mDNS reflector on between %s and %s", netd.eth.name, netd.wifi.name);
}

static void send_group(struct mdns_sock *s, const uint8_t *msg, size_t len)
{
	struct sockaddr_in to4 = { .sin_family = AF_INET, .sin_port = htons(MDNS_PORT) };
	struct sockaddr_in6 to6 = { .sin6_family = AF_INET6, .sin6_port = htons(MDNS_PORT),
				    .sin6_scope_id = (uint32_t)s->ifindex };
	ssize_t n;

	inet_pton(AF_INET, MDNS_GROUP4, &to4.sin_addr);
	inet_pton(AF_INET6, MDNS_GROUP6, &to6.sin6_addr);
	n = s->family == AF_INET ? sendto(s->lfd.fd, msg, len, MSG_DONTWAIT, (struct sockaddr *)&to4, sizeof(to4))
				 : sendto(s->lfd.fd, msg, len, MSG_DONTWAIT, (struct sockaddr *)&to6, sizeof(to6));
	if (n < 0)
		log_debug("mDNS: sending on ifindex %d: %s", s->ifindex, strerror(errno));
}

/* ---- the reflector ----------------------------------------------------------------- */

static uint32_t hash_of(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t k = 0; k < n; k++)
		h = (h ^ p[k]) * 16777619u;
	return h;
}

static int seen_recently(uint32_t h, uint64_t now)
{
	for (int k = 0; k < RECENT; k++)
		if (md.recent[k].hash == h && md.recent[k].ms && now - md.recent[k].ms < MDNS_LOOP_WINDOW_MS)
			return 1;
	return 0;
}

static void remember(uint32_t h, uint64_t now)
{
	md.recent[md.recent_next].hash = h;
	md.recent[md.recent_next].ms = now;
	md.recent_next = (md.recent_next + 1) % RECENT;
}

static int over_the_rate(enum side to, uint64_t now)
{
	if (!rate_over(&md.rate[to], MDNS_REFLECT_PER_SECOND, now))
		return 0;
	md.dropped_rate++;
	if (rate_may_say(&md.said_ms, now)) {
		log_warn("mDNS: more than %d messages a second towards the %s: the rest dropped (%llu so far)",
			 MDNS_REFLECT_PER_SECOND, to == SIDE_WIFI ? "Wi-Fi" : "host", md.dropped_rate);
	}
	return 1;
}

/* What changes on the way to side to (see the top of the file). */
static void rewrite_rules(enum side to, struct mdns_rewrite *rw)
{
	const struct plan_link *host = &netd.plan.eth;

	memset(rw, 0, sizeof(*rw));
	rw->clear_unicast = 1;
	if (netd.mode == MODE_STATION) {
		rw->mask4 = prefix_mask(host->prefix);
		rw->net4 = host->addr;
		if (to == SIDE_WIFI)
			rw->to4 = wifi_addr4();
	}
	if (host->has_addr6) {
		rw->net6 = host->addr6;
		rw->len6 = host->prefix6;
	}
}

static struct mdns_sock *other_side(const struct mdns_sock *s)
{
	int k = s->side == SIDE_HOST ? (s->family == AF_INET ? S_WIFI4 : S_WIFI6)
				     : (s->family == AF_INET ? S_HOST4 : S_HOST6);

	return md.sock[k].lfd.fd >= 0 ? &md.sock[k] : NULL;
}

static void reflect(struct mdns_sock *from, size_t len)
{
	struct mdns_sock *to = other_side(from);
	uint64_t now = loop_now_ms();
	struct mdns_rewrite rw;
	struct mdns_rewrite_count changed;
	uint32_t h = hash_of(md.buf, len);

	if (!to)
		return;
	if (seen_recently(h, now)) {
		md.dropped_loop++;
		return;
	}
	remember(h, now);
	if (over_the_rate(to->side, now))
		return;
	rewrite_rules(to->side, &rw);
	if (mdns_rewrite(md.buf, len, &rw, &changed) < 0) {
		md.dropped_malformed++;
		return;
	}
	remember(hash_of(md.buf, len), now);
	send_group(to, md.buf, len);
	md.passed++;
}

/* ---- the responder ------------------------------------------------------------------ */

static void answer(struct mdns_sock *s, size_t len)
{
	int n;

	n = mdns_answer(&md.zone, md.buf, len, md.out, sizeof(md.out));
	if (n <= 0)
		return;
	send_group(s, md.out, (size_t)n);
	md.answered++;
}

static void announce(int goodbye)
{
	struct mdns_sock *s = &md.sock[S_WIFI4];

	if (s->lfd.fd < 0 || !md.zone.addr.s_addr)
		return;
	for (size_t k = 0; k < md.services.n; k++) {
		int n = mdns_announcement(&md.zone, k, goodbye, md.out, sizeof(md.out));

		if (n > 0)
			send_group(s, md.out, (size_t)n);
	}
}

static void announce_fired(struct loop_timer *t)
{
	(void)t;
	if (!md.announce_left)
		return;
	announce(0);
	if (--md.announce_left)
		loop_timer_set(&md.announce_timer, 1000);
}

/* The address the services are announced at: the Wi-Fi's, while the
 * Wi-Fi daemon is connected and netd is not stopping; else none. */
static struct in_addr announce_addr(void)
{
	struct in_addr none = { 0 };

	return md.stopped || !netd.sup.connected ? none : wifi_addr4();
}

/* The Wi-Fi address came or changed: announce with it; went: withdraw. */
static void follow_address(void)
{
	struct in_addr now = announce_addr();
	char a[INET_ADDRSTRLEN];

	if (!md.services.n || now.s_addr == md.zone.addr.s_addr)
		return;
	if (md.zone.addr.s_addr)
		announce(1);
	md.zone.addr = now;
	if (!now.s_addr)
		return;
	log_info("mDNS: announcing %zu service(s) of %s at %s", md.services.n, paths.mdns_services_conf,
		 inet_ntop(AF_INET, &now, a, sizeof(a)));
	md.announce_left = 2;
	announce_fired(&md.announce_timer);
}

/* ---- receiving ------------------------------------------------------------------------ */

/* The destination and source of what came: only the group's, not ours. */
static int wanted(const struct mdns_sock *s, struct msghdr *mh, const void *src)
{
	uint8_t group[16];

	inet_pton(s->family, s->family == AF_INET ? MDNS_GROUP4 : MDNS_GROUP6, group);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			if (memcmp(&pi.ipi_addr, group, 4))
				return 0;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			if (memcmp(&pi.ipi6_addr, group, 16))
				return 0;
		}
	}
	return !own_address(s->family, src);
}

static void one_message(struct mdns_sock *s, size_t len)
{
	if (mdns_walk(md.buf, len, NULL, NULL) < 0) {
		md.dropped_malformed++;
		return;
	}
	if (s->side == SIDE_WIFI && s->family == AF_INET && md.services.n)
		answer(s, len);
	if (md.reflect)
		reflect(s, len);
}

static void readable(struct loop_fd *lfd, uint32_t events)
{
	struct mdns_sock *s = container_of(lfd, struct mdns_sock, lfd);
	struct sockaddr_in6 src;
	char control[128];
	struct iovec iov = { md.buf, sizeof(md.buf) };
	struct msghdr mh;

	(void)events;
	for (int k = 0; k < 32; k++) {
		ssize_t n;

		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &src;
		mh.msg_namelen = sizeof(src);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = control;
		mh.msg_controllen = sizeof(control);
		n = recvmsg(lfd->fd, &mh, MSG_DONTWAIT);
		if (n < 0)
			return;
		if (!wanted(s, &mh, s->family == AF_INET ? (const void *)&((struct sockaddr_in *)&src)->sin_addr
							 : (const void *)&src.sin6_addr))
			continue;
		one_message(s, (size_t)n);
	}
}

/* ---- netd's side ------------------------------------------------------------------------ */

static void load_services(void)
{
	int rc = mdns_services_load(paths.mdns_services_conf, &md.services);

	if (rc == -ENOENT)
		return;
	if (rc < 0)
		netd_error(ERR_CONFIG_UNREADABLE, "reading %s: %s: no services announced",
			   paths.mdns_services_conf, strerror(-rc));
	else if (rc > 0)
		netd_error(ERR_CONFIG_SYNTAX, "%s: %d block(s) skipped (see above): the others apply",
			   paths.mdns_services_conf, rc);
}

void mdns_check_forwards(void)
{
	if (md.services.n && netd.mode == MODE_STATION)
		mdns_services_check_forwards(&md.services, &netd.forwards);
}

void mdns_init(void)
{
	char name[256] = "";

	memset(&md, 0, sizeof(md));
	for (int k = 0; k < S_COUNT; k++)
		md.sock[k].lfd.fd = -1;
	md.announce_timer.cb = announce_fired;
	if (netd.mode == MODE_NONE)
		return;
	md.reflect = netd.plan.mdns_reflector;
	load_services();
	gethostname(name, sizeof(name) - 1);
	mdns_zone_set_host(&md.zone, name);
	md.zone.services = &md.services;
}

void mdns_stop(void)
{
	md.stopped = 1;
	if (md.zone.addr.s_addr)
		announce(1);
	md.zone.addr.s_addr = 0;
	md.announce_left = 0;
	loop_timer_cancel(&md.announce_timer);
	close_all();
}

int mdns_wants_host(void)
{
	return md.reflect;
}

int mdns_wants_wifi(void)
{
	return md.reflect || md.services.n;
}

const char *mdns_reflector_state(void)
{
	return netd.mode == MODE_NONE ? "" : md.reflect ? "on" : "off";
}

unsigned mdns_service_count(void)
{
	return (unsigned)md.services.n;
}

unsigned long long mdns_reflected(void)
{
	return md.passed;
}

unsigned long long mdns_dropped(void)
{
	return md.dropped_rate + md.dropped_loop + md.dropped_malformed;
}

void mdns_on_event(const struct netd_ev *ev)
{
	switch (ev->type) {
	case EV_WIFI_FOUND:
	case EV_LINK_FOUND:
		open_all();
		break;
	case EV_WIFI_GONE:
		md.zone.addr.s_addr = 0;
		md.announce_left = 0;
		close_all();
		break;
	case EV_LINK_GONE:
		if (ev->link == &netd.eth) {
			close_all();
			open_all();
		}
		break;
	case EV_LINK_CONFIGURED:
	case EV_ADDR:
	case EV_ASSOCIATED:
	case EV_DISASSOCIATED:	/* said again when back */
	case EV_LEASE:
	case EV_LEASE_LOST:
		follow_address();
		break;
	case EV_LINK_CHANGED:
	case EV_DNS6:
	case EV_COUNT:
		break;
	}
}
