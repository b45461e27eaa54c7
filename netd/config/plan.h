/* The plan: what netd will make of the links, from interfaces.conf and
 * the mode, with the contract's defaults for whatever is missing or could
 * not be read. Pure: no kernel, no files. */
#ifndef NETD_PLAN_H
#define NETD_PLAN_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>

#include "ifconf.h"

#define HOST_LINK "eth0"
#define PLAN_HOST_ADDR6 "fd00::ffff"	/* the contract's eth0 inet6 default */
#define PLAN_AP_ADDR6 "fd00:1::1"	/* access point: the Wi-Fi clients' prefix */

enum netd_mode {
	MODE_NONE,	/* no Wi-Fi config: the host link only */
	MODE_STATION,
	MODE_AP,
};

enum plan_v4 {
	PLAN_V4_NONE,
	PLAN_V4_STATIC,
	PLAN_V4_DHCP,
};

struct plan_link {
	char name[IF_NAMESIZE];		/* wifi: the preferred name only */
	enum plan_v4 v4;
	struct in_addr addr;
	uint8_t prefix;
	uint8_t has_gateway;
	struct in_addr gateway;
	uint8_t has_addr6;
	struct in6_addr addr6;		/* set when IPv6 is on */
	uint8_t prefix6;
	struct in_addr dns[IFC_MAX_DNS];	/* dns-nameservers, for udhcpd */
	uint8_t n_dns;
	struct in6_addr dns6[IFC_MAX_DNS];	/* the inet6 stanza's: advertised */
	uint8_t n_dns6;				/* when the uplink's are unknown */
};

struct plan {
	struct plan_link eth;
	struct plan_link wifi;
	int mdns_reflector;		/* eth0's "mdns-reflector yes" */
	int bridge_uplink;		/* eth0's "bridge-uplink yes": bridged mode */
};

const char *mode_name(enum netd_mode m);
/* Fills p; every default taken because of the file is logged. */
void plan_resolve(const struct ifc_conf *c, enum netd_mode mode, const char *path, struct plan *p);
/* The first address after the network's, the last before its broadcast. */
void plan_pool(struct in_addr addr, uint8_t prefix, struct in_addr *first, struct in_addr *last);
/* Two networks share an address (the shorter prefix decides). */
int net4_overlap(struct in_addr a, uint8_t plen_a, struct in_addr b, uint8_t plen_b);
/* The first bits of two IPv6 addresses are the same. */
int net6_same_prefix(const struct in6_addr *a, const struct in6_addr *b, unsigned bits);

#endif
