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
/* The upstream file's text for the servers in netd.dns (space-separated
 * IPv4 addresses), with a leading comment; pure, for the unit tests. */
size_t dns_upstream_text(const char *servers, int have_uplink, char *out, size_t size);

#endif
