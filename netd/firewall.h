/* The firewall seam: netd describes the network it runs, this module turns
 * it into netd's own iptables chains through libiptc, in one commit per
 * table. Applying the same description twice leaves the tables unchanged;
 * the user's own rules are never touched.
 *
 * netd calls fw_apply() whenever the mode, the uplink or the port forwards
 * change, and fw_read_counters() when it writes its status. */
#ifndef NETD_FIREWALL_H
#define NETD_FIREWALL_H

#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

enum fw_mode {
	FW_MODE_STATION,	/* uplink = the Wi-Fi interface, inside = eth0 */
	FW_MODE_AP,		/* uplink = eth0, inside = the Wi-Fi interface */
};

struct fw_forward {
	uint8_t proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t outside_lo, outside_hi;	/* port range on the uplink */
	struct in_addr inside_addr;	/* a host on the inside network */
	uint16_t inside_port;		/* first port; a range maps one to one */
};

struct fw_config {
	enum fw_mode mode;
	char uplink[IF_NAMESIZE];	/* "" while there is no uplink yet */
	char inside[IF_NAMESIZE];
	struct in_addr inside_net;	/* e.g. 10.0.0.0 */
	struct in_addr inside_mask;	/* e.g. 255.255.255.0 */
	const struct fw_forward *forwards;
	size_t n_forwards;
	const uint16_t *bridge_ports;	/* uds-passthru TCP ports, host side only */
	size_t n_bridge_ports;
};

struct fw_counters {
	uint64_t forwarded_packets, forwarded_bytes;
	uint64_t dropped_inbound_packets, dropped_inbound_bytes;
};

/* 0 on success; -1 with the reason logged (what, which table, why). */
int fw_apply(const struct fw_config *c);
int fw_read_counters(struct fw_counters *out);

#endif
