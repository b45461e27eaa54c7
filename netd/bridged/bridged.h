/* Bridged mode (issue 17): the host gets its own address on the Wi-Fi
 * network, without NAT. See bridged.c. */
#ifndef NETD_BRIDGED_H
#define NETD_BRIDGED_H

#include <netinet/in.h>
#include <stdint.h>

#define BRIDGED_HOST_LEASE_MAX_S 300	/* the host comes back this often (half of it) */
#define BRIDGED_ANSWER_MS 4000		/* an offer comes within this, or the try failed */
#define BRIDGED_TRIES 3			/* failed tries before NAT takes over */
#define BRIDGED_MAX_HOST6 8		/* the host's IPv6 addresses answered for */

/* Reads the plan: on with "bridge-uplink yes", station mode only. */
void bridged_init(void);
void bridged_stop(void);
/* The relay stands in for udhcpd on the host link (udhcpd stays off). */
int bridged_relaying(void);
/* The host's address on the Wi-Fi network, for the firewall and the
 * status; 0.0.0.0 while it has none. */
struct in_addr bridged_host(void);
/* For the status: "off", "relaying", "bridged", "nat-fallback". */
const char *bridged_state(void);
const char *bridged_fallback_reason(void);
/* The neighbours learned ("ADDR MAC"), "" for none. */
const char *bridged_neighbours(void);
unsigned long long bridged_relayed(void);
/* IPv6: the Wi-Fi network's prefix the host takes an address in (the
 * uplink's /64), advertised on eth0; its length, 0: none. */
uint8_t bridged_prefix6(struct in6_addr *prefix);
/* The host's IPv6 addresses learned in it, space-separated; "": none. */
const char *bridged_hosts6(void);

#endif
