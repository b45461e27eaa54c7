/* The router advertisement socket: raw ICMPv6 on the inside link, fed
 * only router solicitations by the kernel's ICMPv6 filter. Of each one
 * netd reads the type, the code and the hop limit, nothing else: it
 * answers by advertising to all nodes again, which needs nothing from the
 * solicitation. */
#include "system-impl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

static struct loop_fd ra_lfd = { .fd = -1 };
static int ra_ifindex;
static char ra_ifname[IF_NAMESIZE];
static const struct sys_handlers *ra_handlers;

void ra_set_handlers(const struct sys_handlers *h)
{
	ra_handlers = h;
}

static int hop_limit(struct msghdr *m)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c))
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int v;

			memcpy(&v, CMSG_DATA(c), sizeof(v));
			return v;
		}
	return -1;
}

/* RFC 4861 6.1.1: hop limit 255 (from the link itself), code 0, at least
 * the 8 bytes of the header. */
static void solicitations(struct loop_fd *lfd, uint32_t events)
{
	uint8_t buf[1280];
	char control[CMSG_SPACE(sizeof(int))];
	struct sockaddr_in6 from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m;
	ssize_t n;

	(void)events;
	for (;;) {
		memset(&m, 0, sizeof(m));
		m.msg_name = &from;
		m.msg_namelen = sizeof(from);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = control;
		m.msg_controllen = sizeof(control);
		n = recvmsg(lfd->fd, &m, MSG_DONTWAIT);
		if (n < 0)
			return;
		if (n >= 8 && buf[0] == ND_ROUTER_SOLICIT && buf[1] == 0 && hop_limit(&m) == 255 &&
		    ra_handlers && ra_handlers->rs)
			ra_handlers->rs(ra_ifindex);
	}
}

static int opt(int fd, int level, int name, const void *v, socklen_t len, const char *what)
{
	if (setsockopt(fd, level, name, v, len) == 0)
		return 0;
	log_err("router advertisements on %s: %s: %s", ra_ifname, what, strerror(errno));
	return -1;
}

static int configure(int fd, int ifindex)
{
	static const int hops = 255, on = 1, off = 0;
	struct ipv6_mreq all_routers = { .ipv6mr_interface = (unsigned)ifindex };
	struct icmp6_filter filter;

	ICMP6_FILTER_SETBLOCKALL(&filter);
	ICMP6_FILTER_SETPASS(ND_ROUTER_SOLICIT, &filter);
	inet_pton(AF_INET6, "ff02::2", &all_routers.ipv6mr_multiaddr);
	if (opt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter), "ICMPv6 filter") < 0 ||
	    opt(fd, SOL_SOCKET, SO_BINDTODEVICE, ra_ifname, (socklen_t)strlen(ra_ifname), "binding") < 0 ||
	    opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops), "hop limit") < 0 ||
	    opt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops), "hop limit") < 0 ||
	    opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof(off), "multicast loop") < 0 ||
	    opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex), "multicast interface") < 0 ||
	    opt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on), "hop limits") < 0 ||
	    opt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &all_routers, sizeof(all_routers), "joining ff02::2") < 0)
		return -1;
	return 0;
}

int sys_ra_open(int ifindex, const char *ifname)
{
	int fd, err;

	sys_ra_close();
	snprintf(ra_ifname, sizeof(ra_ifname), "%s", ifname);
	fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0) {
		err = errno;
		log_err("router advertisements on %s: socket: %s", ifname, strerror(err));
		return -err;
	}
	if (configure(fd, ifindex) < 0) {
		err = errno;
		close(fd);
		return -err;
	}
	ra_ifindex = ifindex;
	ra_lfd.fd = fd;
	ra_lfd.cb = solicitations;
	if (loop_fd_add(&ra_lfd, EPOLLIN) < 0) {
		err = errno;
		sys_ra_close();
		return -err;
	}
	return 0;
}

int sys_ra_send(const void *ra, size_t len)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)ra_ifindex };
	int err;

	if (ra_lfd.fd < 0)
		return -EBADF;
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	if (sendto(ra_lfd.fd, ra, len, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)len)
		return 0;
	err = errno;
	log_err("sending a router advertisement on %s: %s", ra_ifname, strerror(err));
	return -err;
}

void sys_ra_close(void)
{
	if (ra_lfd.fd < 0)
		return;
	loop_fd_del(&ra_lfd);
	close(ra_lfd.fd);
	ra_lfd.fd = -1;
	ra_ifindex = 0;
}
