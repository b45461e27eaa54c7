/* The kernel seam's stand-in for unit tests: calls are logged, events are
 * injected by the test through the handlers sys_open was given. */
#include "fakes.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


char fake_sys_log[8192];
const struct sys_handlers *fake_sys;
int fake_sys_fail;
void (*fake_sys_dump)(void);
void (*fake_sys_dump_wifi)(void);

enum sys_ipv6 fake_sys_ipv6;
int fake_sys_forward4, fake_sys_forward6;
struct sys_forwarding_wish fake_sysctl_wish;
unsigned char fake_ra[RA_FAKE_MAX];
size_t fake_ra_len;
int fake_ra_sends, fake_ra_ifindex;

void fake_sys_reset(void)
{
	fake_sys_log[0] = '\0';
	fake_sys_fail = 0;
	fake_sys_dump = NULL;
	fake_sys_dump_wifi = NULL;
	fake_sys_ipv6 = SYS_IPV6_ON;
	fake_sys_forward4 = fake_sys_forward6 = 0;
	fake_sysctl_wish.v4 = fake_sysctl_wish.v6 = -1;
	fake_ra_len = 0;
	fake_ra_sends = 0;
	fake_ra_ifindex = 0;
}

static int result(void)
{
	if (fake_sys_fail > 0) {
		fake_sys_fail--;
		return -EIO;
	}
	return 0;
}

int sys_open(const struct sys_handlers *h)
{
	fake_sys = h;
	if (fake_sys_dump)
		fake_sys_dump();
	return 0;
}

void sys_open_wifi(void)
{
	if (fake_sys_dump_wifi)
		fake_sys_dump_wifi();
}

void sys_close(void)
{
	fake_sys = NULL;
}

int sys_link_up(int ifindex, const char *name)
{
	fake_log(fake_sys_log, sizeof(fake_sys_log), "link_up %d %s", ifindex, name);
	return result();
}

static void addr_call(const char *what, const struct sys_addr *a)
{
	char ip[INET6_ADDRSTRLEN];

	inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->v4 : (const void *)&a->v6, ip, sizeof(ip));
	fake_log(fake_sys_log, sizeof(fake_sys_log), "%s %d %s/%u", what, a->ifindex, ip, a->prefix);
}

int sys_addr_add(const struct sys_addr *a)
{
	addr_call("addr_add", a);
	return result();
}

int sys_addr_del(const struct sys_addr *a)
{
	addr_call("addr_del", a);
	return result();
}

int sys_route_default(int ifindex, struct in_addr gw, int add)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &gw, ip, sizeof(ip));
	fake_log(fake_sys_log, sizeof(fake_sys_log), "route_%s %d %s", add ? "add" : "del", ifindex, ip);
	return result();
}

int sys_route_host(int ifindex, struct in_addr host, int add)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &host, ip, sizeof(ip));
	fake_log(fake_sys_log, sizeof(fake_sys_log), "hostroute_%s %d %s", add ? "add" : "del", ifindex, ip);
	return result();
}

int sys_route6_host(int ifindex, const struct in6_addr *host, int add)
{
	char ip[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, host, ip, sizeof(ip));
	fake_log(fake_sys_log, sizeof(fake_sys_log), "hostroute6_%s %d %s", add ? "add" : "del", ifindex, ip);
	return result();
}

int sys_neigh_proxy6(int ifindex, const struct in6_addr *addr, int add)
{
	char ip[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, addr, ip, sizeof(ip));
	fake_log(fake_sys_log, sizeof(fake_sys_log), "proxy6_%s %d %s", add ? "add" : "del", ifindex, ip);
	return result();
}

int sys_route6_del(const struct sys_route6 *r)
{
	char ip[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &r->dst, ip, sizeof(ip));
	inet_ntop(AF_INET6, &r->gateway, gw, sizeof(gw));
	if (IN6_IS_ADDR_UNSPECIFIED(&r->gateway))
		fake_log(fake_sys_log, sizeof(fake_sys_log), "route6_del %d %s/%u", r->ifindex, ip, r->dst_len);
	else
		fake_log(fake_sys_log, sizeof(fake_sys_log), "route6_del %d %s/%u via %s", r->ifindex, ip,
			 r->dst_len, gw);
	return result();
}

void sys_ndopt_forgotten(void)
{
	fake_log(fake_sys_log, sizeof(fake_sys_log), "ndopt_forgotten");
}

int sys_set_regdom(const char *alpha2)
{
	fake_log(fake_sys_log, sizeof(fake_sys_log), "regdom %s", alpha2);
	return result();
}

int sys_sysctl(const char *path, const char *value)
{
	fake_log(fake_sys_log, sizeof(fake_sys_log), "sysctl %s %s", path, value);
	if (!strcmp(path, "/proc/sys/net/ipv4/ip_forward"))
		fake_sys_forward4 = atoi(value);
	if (!strcmp(path, "/proc/sys/net/ipv6/conf/all/forwarding"))
		fake_sys_forward6 = atoi(value);
	return result();
}

unsigned sys_apply_sysctl_config(const char *dir, struct sys_forwarding_wish *wish)
{
	fake_log(fake_sys_log, sizeof(fake_sys_log), "sysctl_config %s", dir);
	*wish = fake_sysctl_wish;
	return 0;
}

void fake_sys_link(int ifindex, const char *name, unsigned flags, int gone)
{
	struct sys_link l = { .ifindex = ifindex, .flags = flags };

	snprintf(l.name, sizeof(l.name), "%s", name);
	fake_sys->link(&l, gone);
}

void fake_sys_addr4(int ifindex, const char *cidr, int gone)
{
	struct sys_addr a = { .ifindex = ifindex, .family = AF_INET };
	char ip[INET_ADDRSTRLEN];
	unsigned prefix = 32;

	sscanf(cidr, "%15[0-9.]/%u", ip, &prefix);
	inet_pton(AF_INET, ip, &a.v4);
	a.prefix = (uint8_t)prefix;
	fake_sys->addr(&a, gone);
}

void fake_sys_wifi(int ifindex, const char *name, int gone)
{
	struct sys_wifi w = { .ifindex = ifindex, .wiphy = 0 };

	snprintf(w.name, sizeof(w.name), "%s", name);
	fake_sys->wifi(&w, gone);
}

enum sys_ipv6 sys_ipv6_state(const char *ifname)
{
	(void)ifname;
	return fake_sys_ipv6;
}

int sys_ra_open(int ifindex, const char *ifname)
{
	fake_log(fake_sys_log, sizeof(fake_sys_log), "ra_open %d %s", ifindex, ifname);
	fake_ra_ifindex = ifindex;
	return result();
}

int sys_ra_send(const void *ra, size_t len)
{
	fake_log(fake_sys_log, sizeof(fake_sys_log), "ra_send %zu", len);
	if (len > sizeof(fake_ra))
		return -EMSGSIZE;
	memcpy(fake_ra, ra, len);
	fake_ra_len = len;
	fake_ra_sends++;
	return result();
}

void sys_ra_close(void)
{
	if (!fake_ra_ifindex)
		return;
	fake_log(fake_sys_log, sizeof(fake_sys_log), "ra_close %d", fake_ra_ifindex);
	fake_ra_ifindex = 0;
}

void fake_sys_addr6(int ifindex, const char *cidr, unsigned flags, int gone)
{
	struct sys_addr a = { .ifindex = ifindex, .family = AF_INET6, .flags = flags };
	char ip[INET6_ADDRSTRLEN];
	unsigned prefix = 128;

	sscanf(cidr, "%45[0-9a-fA-F:]/%u", ip, &prefix);
	inet_pton(AF_INET6, ip, &a.v6);
	a.prefix = (uint8_t)prefix;
	fake_sys->addr(&a, gone);
}

void fake_sys_route6(int ifindex, const char *gateway, int gone)
{
	struct sys_route6 r = { .ifindex = ifindex };

	inet_pton(AF_INET6, gateway, &r.gateway);
	fake_sys->route6(&r, gone);
}

void fake_sys_prefix6(int ifindex, const char *cidr, int gone)
{
	struct sys_route6 r = { .ifindex = ifindex };
	char ip[INET6_ADDRSTRLEN];
	unsigned len = 128;

	sscanf(cidr, "%45[0-9a-fA-F:]/%u", ip, &len);
	inet_pton(AF_INET6, ip, &r.dst);
	r.dst_len = (uint8_t)len;
	fake_sys->route6(&r, gone);
}
