/* The host's DNS forwarder (dnsmasq) on the host link, in station mode:
 * the host asks the guest, and the guest asks the network it is on now.
 * See dns.c. */
#ifndef NETD_DNS_H
#define NETD_DNS_H

#include <stddef.h>

#define DNS_UPSTREAM_MAX 512

void dns_init(void);
/* The guest answers the host's DNS: station mode, the host link served. */
int dns_forwarding(void);
/* What %%DNS%% gives the host: the guest's own host-link address while
 * it forwards, else the uplink's servers (netd.dns). */
const char *dns_for_host(void);
/* For the status: "off" (not station mode), or dnsmasq's state. */
const char *dns_state(void);
/* The servers it asks now ("" for none). */
const char *dns_upstream(void);
void dns_stop(void);
int dns_stopped(void);
/* Its process, for the unit tests' fake exits. */
struct proc *dns_proc(void);
/* The upstream file's text: a comment, then the IPv4 servers in v4
 * (space-separated; what is no address is left out) and the n6 IPv6
 * ones. Pure, for the unit tests. */
struct in6_addr;
size_t dns_upstream_text(const char *v4, const struct in6_addr *v6, unsigned n6, char *out,
			 size_t size);

#endif
