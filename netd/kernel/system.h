/* The kernel seam: links and addresses through rtnetlink (libnl-route,
 * system-rtnl.c), Wi-Fi interfaces and the regulatory domain through
 * nl80211 (libnl-genl, system-nl80211.c), and sysctl files. Unit tests
 * link system-fake.c instead. No libnl type crosses this line.
 *
 * Events first: sys_open subscribes to the multicast groups and only then
 * dumps the current state, delivering both through the same handlers, so
 * that nothing appearing in between goes unseen. */
#ifndef NETD_SYSTEM_H
#define NETD_SYSTEM_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>

#define SYS_LINK_UP 1		/* administratively up */
#define SYS_LINK_CARRIER 2	/* lower layer up */

struct sys_link {
	int ifindex;
	char name[IF_NAMESIZE];
	unsigned flags;
};

/* IPv6 address states, from the kernel's IFA_F_* flags */
#define SYS_ADDR_TENTATIVE 1	/* duplicate address detection running */
#define SYS_ADDR_TEMPORARY 2	/* a privacy address */
#define SYS_ADDR_DEPRECATED 4	/* preferred lifetime over */
#define SYS_ADDR_DADFAILED 8

struct sys_addr {
	int ifindex;
	int family;		/* AF_INET or AF_INET6 */
	struct in_addr v4;
	struct in6_addr v6;
	uint8_t prefix;
	unsigned flags;		/* SYS_ADDR_*; not part of the address's identity */
};

/* An IPv6 unicast route of the main table: a default route (dst_len 0)
 * as the kernel learned it from the uplink's router advertisements, or
 * a prefix route (an advertised on-link prefix, a link's own). */
struct sys_route6 {
	int ifindex;
	struct in6_addr gateway;
	struct in6_addr dst;
	uint8_t dst_len;
};

struct sys_wifi {
	int ifindex;
	uint32_t wiphy;
	char name[IF_NAMESIZE];
};

struct sys_handlers {
	void (*link)(const struct sys_link *l, int gone);
	void (*addr)(const struct sys_addr *a, int gone);
	/* Only interfaces a station or an access point can run on. */
	void (*wifi)(const struct sys_wifi *w, int gone);
	void (*route6)(const struct sys_route6 *r, int gone);
	/* The options of a router advertisement the kernel accepted on
	 * ifindex, as it passes them up (RDNSS and DNSSL): untrusted bytes,
	 * whose option framing the kernel has checked. Returns for how many
	 * seconds the same bytes again would change nothing (0: pass each
	 * one): until then the seam drops them in the kernel, unless
	 * sys_ndopt_forgotten is called. */
	unsigned (*ndopt)(int ifindex, const uint8_t *opts, size_t len);
	/* A router solicitation arrived on the advertising link (sys_ra_open). */
	void (*rs)(int ifindex);
};

/* Links and addresses: 0, or -1 when rtnetlink itself is unusable. */
int sys_open(const struct sys_handlers *h);
/* Wi-Fi interfaces, through the same handlers. nl80211 may come later (a
 * cfg80211 module): its absence is logged and waited for. Separate so that
 * the host link is served before the Wi-Fi side is even looked at. */
void sys_open_wifi(void);
void sys_close(void);

/* Each returns 0 or -errno, with what/which/why logged on failure. */
int sys_link_up(int ifindex, const char *name);
int sys_addr_add(const struct sys_addr *a);
int sys_addr_del(const struct sys_addr *a);
int sys_route_default(int ifindex, struct in_addr gw, int add);
/* A route to one address (/32) straight out of ifindex: bridged mode's
 * way to the host (netd/bridged). */
int sys_route_host(int ifindex, struct in_addr host, int add);
int sys_route6_host(int ifindex, const struct in6_addr *host, int add);
/* Answers neighbour solicitations for addr on ifindex (proxy NDP; with
 * net.ipv6.conf.IF.proxy_ndp=1): the host's addresses on the Wi-Fi side. */
int sys_neigh_proxy6(int ifindex, const struct in6_addr *addr, int add);
/* Removes an IPv6 route (its dst/dst_len on its ifindex, via its gateway
 * unless that is ::, main table). */
int sys_route6_del(const struct sys_route6 *r);
/* What netd learned from router advertisement options is forgotten: the
 * next ones reach it, even if they are the same as before. */
void sys_ndopt_forgotten(void);
int sys_set_regdom(const char *alpha2);
int sys_sysctl(const char *path, const char *value);
/* What the user's sysctl files say about forwarding: -1 nothing, else
 * the last value (0 off, 1 on) of the family's forwarding keys. */
struct sys_forwarding_wish {
	int v4, v6;
};

/* The config share's sysctl.d/ and sysctl.conf (netd/sysctl.h); the
 * number of lines reported. Forwarding keys are not written but noted in
 * *wish: forwarding waits for the firewall. */
unsigned sys_apply_sysctl_config(const char *dir, struct sys_forwarding_wish *wish);

/* Whether IPv6 can be used on ifname (NULL: at all): */
enum sys_ipv6 {
	SYS_IPV6_ON,
	SYS_IPV6_DISABLED,	/* disable_ipv6 = 1 (all, or the interface) */
	SYS_IPV6_ABSENT,	/* no IPv6 in the kernel (ipv6.disable=1) */
};
enum sys_ipv6 sys_ipv6_state(const char *ifname);

/* Router advertisements: a raw ICMPv6 socket on ifindex, joined to the
 * all-routers group; router solicitations arriving there reach the
 * handlers' rs (hop limit 255, type and code checked, nothing else read).
 * Opening again moves it to another link. 0 or -errno, logged. */
int sys_ra_open(int ifindex, const char *ifname);
/* One advertisement to all nodes (ff02::1) on the open link, hop limit
 * 255, from the link-local address. 0 or -errno, logged. */
int sys_ra_send(const void *ra, size_t len);
void sys_ra_close(void);

#endif
