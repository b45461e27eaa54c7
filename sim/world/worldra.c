/* worldra: the simulated world's IPv6 router (test-only, never in the
 * image, which has no radvd). It advertises a prefix and DNS servers on
 * the world's access point, as the Wi-Fi network's router would:
 *
 *   worldra [-l DNS_LIFETIME] IFACE PREFIX/LEN [DNS6...]
 *
 * Router lifetime 1800 s, the prefix on-link and autonomous (SLAAC), one
 * RDNSS option with the DNS servers given (none: no option), valid 1800 s
 * or DNS_LIFETIME seconds ("infinite": 0xffffffff, as a hostile hotspot
 * may say). It
 * advertises every 10 s and answers each router solicitation at once: a
 * test tool, not a daemon, so it is simple rather than frugal. Exit 100
 * on bad usage, 111 when the socket cannot be made. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define INTERVAL_MS 10000
#define MAX_DNS 3

struct ra {
	uint8_t buf[256];
	size_t len;
};

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* RFC 4861 4.2 and 4.6.2, RFC 8106 5.1. */
static void build(struct ra *ra, const struct in6_addr *prefix, unsigned len,
		  const struct in6_addr *dns, unsigned n_dns, uint32_t dns_lifetime)
{
	uint8_t *p = ra->buf;

	memset(ra->buf, 0, sizeof(ra->buf));
	p[0] = ND_ROUTER_ADVERT;
	p[4] = 64;
	put16(p + 6, 1800);
	p += 16;
	p[0] = ND_OPT_PREFIX_INFORMATION;
	p[1] = 4;
	p[2] = (uint8_t)len;
	p[3] = 0xc0;	/* on-link, autonomous */
	put32(p + 4, 86400);
	put32(p + 8, 14400);
	memcpy(p + 16, prefix, 16);
	p += 32;
	if (n_dns) {
		p[0] = 25;
		p[1] = (uint8_t)(1 + 2 * n_dns);
		put32(p + 4, dns_lifetime);
		memcpy(p + 8, dns, 16 * n_dns);
		p += 8 + 16 * n_dns;
	}
	ra->len = (size_t)(p - ra->buf);
}

static int open_socket(const char *ifname, unsigned ifindex)
{
	static const int hops = 255;
	struct ipv6_mreq routers = { .ipv6mr_interface = ifindex };
	struct icmp6_filter f;
	int fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);

	if (fd < 0)
		return -1;
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ND_ROUTER_SOLICIT, &f);
	inet_pton(AF_INET6, "ff02::2", &routers.ipv6mr_multiaddr);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &routers, sizeof(routers)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void advertise(int fd, unsigned ifindex, const struct ra *ra)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_scope_id = ifindex };

	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	/* before the link-local address is ready this fails: the next try
	 * comes with the next interval or solicitation */
	sendto(fd, ra->buf, ra->len, 0, (struct sockaddr *)&to, sizeof(to));
}

static int usage(void)
{
	fprintf(stderr, "usage: worldra [-l DNS_LIFETIME|infinite] IFACE PREFIX/LEN [DNS6...]\n");
	return 100;
}

int main(int argc, char **argv)
{
	struct in6_addr prefix, dns[MAX_DNS];
	unsigned ifindex, len, n_dns = 0;
	char addr[INET6_ADDRSTRLEN], *slash;
	struct ra ra;
	uint32_t dns_lifetime = 1800;
	int fd;

	if (argc > 2 && !strcmp(argv[1], "-l")) {
		dns_lifetime = !strcmp(argv[2], "infinite") ? 0xffffffffu : (uint32_t)strtoul(argv[2], NULL, 10);
		argc -= 2;
		argv += 2;
	}
	if (argc < 3 || !(slash = strchr(argv[2], '/')) || (size_t)(slash - argv[2]) >= sizeof(addr))
		return usage();
	memcpy(addr, argv[2], (size_t)(slash - argv[2]));
	addr[slash - argv[2]] = '\0';
	len = (unsigned)atoi(slash + 1);
	if (inet_pton(AF_INET6, addr, &prefix) != 1 || len < 1 || len > 128)
		return usage();
	for (int k = 3; k < argc && n_dns < MAX_DNS; k++)
		if (inet_pton(AF_INET6, argv[k], &dns[n_dns++]) != 1)
			return usage();
	ifindex = if_nametoindex(argv[1]);
	fd = ifindex ? open_socket(argv[1], ifindex) : -1;
	if (fd < 0) {
		fprintf(stderr, "worldra: %s: %s\n", argv[1], strerror(errno));
		return 111;
	}
	build(&ra, &prefix, len, dns, n_dns, dns_lifetime);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint8_t in[1280];

		advertise(fd, ifindex, &ra);
		/* the interval, or a solicitation: advertise again */
		if (poll(&p, 1, INTERVAL_MS) > 0)
			recv(fd, in, sizeof(in), 0);
	}
}
