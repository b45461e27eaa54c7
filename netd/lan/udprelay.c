/* forwarding.conf's UDP relays (issue 16), in netd's loop: what Wifibox's
 * guest ran one socat per line for. For each line a UDP socket bound to
 * its port on the Wi-Fi interface only (SO_BINDTODEVICE), broadcasts
 * allowed, receives what the Wi-Fi side sends there (a broadcast, or to
 * the guest's address) and each datagram goes on, as it came, to the
 * line's address and port, usually the host's. The sockets follow the
 * Wi-Fi interface: opened when it is found, closed when it goes. The
 * firewall opens these ports from the Wi-Fi side and no others. A relay
 * passes at most UDPRELAY_PER_SECOND datagrams a second: a flood from the
 * Wi-Fi side is cut there, counted and said once a second. */
#include "udprelay.h"
#include "netd.h"
#include "events.h"
#include "ifsock.h"
#include "relays.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "paths.h"
#include "rate.h"

struct relay {
	struct loop_fd in;
	const struct relay_rule *rule;
	struct rate_window rate;
	uint64_t passed, dropped;
};

static struct {
	struct relay_list list;
	struct relay relays[RELAYS_MAX];
	uint16_t ports[RELAYS_MAX];
	int out;			/* the sending socket; -1: none */
	unsigned char buf[65536];
	uint64_t said_ms;
} ur = { .out = -1 };

const uint16_t *udprelay_ports(size_t *n)
{
	*n = ur.list.n;
	return ur.ports;
}

static int over_the_rate(struct relay *x)
{
	uint64_t now = loop_now_ms();

	if (!rate_over(&x->rate, UDPRELAY_PER_SECOND, now))
		return 0;
	x->dropped++;
	if (rate_may_say(&ur.said_ms, now)) {
		log_warn("forwarding.conf line %u: more than %d datagrams a second on port %u: the rest "
			 "dropped (%llu so far)", x->rule->line, UDPRELAY_PER_SECOND, x->rule->port,
			 (unsigned long long)x->dropped);
	}
	return 1;
}

static void pass_on(struct relay *x, size_t len)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = x->rule->to,
				  .sin_port = htons(x->rule->to_port) };

	if (sendto(ur.out, ur.buf, len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to)) < 0) {
		x->dropped++;
		log_debug("forwarding.conf line %u: sending on: %s", x->rule->line, strerror(errno));
		return;
	}
	x->passed++;
}

static void readable(struct loop_fd *lfd, uint32_t events)
{
	struct relay *x = container_of(lfd, struct relay, in);

	(void)events;
	for (int k = 0; k < 32; k++) {
		ssize_t n = recv(lfd->fd, ur.buf, sizeof(ur.buf), MSG_DONTWAIT);

		if (n < 0)
			return;
		if (!over_the_rate(x))
			pass_on(x, (size_t)n);
	}
}

static void close_all(void)
{
	for (size_t k = 0; k < ur.list.n; k++) {
		struct relay *x = &ur.relays[k];

		if (x->in.fd < 0)
			continue;
		loop_fd_del(&x->in);
		close(x->in.fd);
		x->in.fd = -1;
	}
	if (ur.out >= 0)
		close(ur.out);
	ur.out = -1;
}

static int open_out(void)
{
	int on = 1;

	ur.out = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ur.out < 0 || setsockopt(ur.out, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) < 0) {
		netd_error(ERR_SOCKET_FAILED, "forwarding.conf: a sending socket: %s", strerror(errno));
		if (ur.out >= 0)
			close(ur.out);
		ur.out = -1;
		return -1;
	}
	return 0;
}

/* The Wi-Fi interface is there: every relay listens on it. */
static void open_all(const char *ifname)
{
	if (!ur.list.n || netd.mode != MODE_STATION)
		return;
	close_all();
	if (open_out() < 0)
		return;
	for (size_t k = 0; k < ur.list.n; k++) {
		struct relay *x = &ur.relays[k];
		int fd = ifsock_udp(ifname, x->rule->port);

		if (fd < 0) {
			netd_error(ERR_SOCKET_FAILED, "%s line %u: receiving on port %u on %s: %s",
				   paths.forwarding_conf, x->rule->line, x->rule->port, ifname, strerror(-fd));
			continue;
		}
		x->in.fd = fd;
		x->in.cb = readable;
		loop_fd_add(&x->in, EPOLLIN);
		log_info("relaying UDP port %u from %s to %s:%u (%s line %u)", x->rule->port, ifname,
			 inet_ntoa(x->rule->to), x->rule->to_port, paths.forwarding_conf, x->rule->line);
	}
}

void udprelay_init(void)
{
	int rc;

	close_all();
	memset(&ur, 0, sizeof(ur));
	ur.out = -1;
	for (size_t k = 0; k < RELAYS_MAX; k++)
		ur.relays[k].in.fd = -1;
	if (netd.mode != MODE_STATION)
		return;
	rc = relays_load(paths.forwarding_conf, &ur.list);
	if (rc == -ENOENT)
		return;
	if (rc < 0)
		netd_error(ERR_CONFIG_UNREADABLE, "reading %s: %s: no UDP relays", paths.forwarding_conf,
			   strerror(-rc));
	else if (rc > 0)
		netd_error(ERR_CONFIG_SYNTAX, "%s: %d lines skipped (see above): the others apply",
			   paths.forwarding_conf, rc);
	for (size_t k = 0; k < ur.list.n; k++) {
		ur.relays[k].rule = &ur.list.r[k];
		ur.ports[k] = ur.list.r[k].port;
	}
}

void udprelay_stop(void)
{
	close_all();
}

void udprelay_on_event(const struct netd_ev *ev)
{
	switch (ev->type) {
	case EV_WIFI_FOUND:
		open_all(ev->link->name);
		break;
	case EV_WIFI_GONE:
		close_all();
		break;
	case EV_LINK_FOUND:
	case EV_LINK_CHANGED:
	case EV_LINK_CONFIGURED:
	case EV_LINK_GONE:
	case EV_ADDR:
	case EV_ASSOCIATED:
	case EV_DISASSOCIATED:
	case EV_LEASE:
	case EV_LEASE_LOST:
	case EV_DNS6:
	case EV_COUNT:
		break;
	}
}
