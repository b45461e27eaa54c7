/* The uplink lease as udhcpc reports it: its script (netd itself, in
 * udhcpc-event mode) turns the event and its environment into lines of
 * key=value, sends them to the daemon and keeps a copy in /run/netd/lease.
 * The values come from a DHCP server on the Wi-Fi network: untrusted, so
 * every one is checked before it reaches a file or the kernel. */
#ifndef NETD_LEASE_H
#define NETD_LEASE_H

#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define LEASE_MSG_MAX 4096
#define LEASE_MAX_DNS 3		/* resolv.conf's MAXNS */
#define LEASE_NAME_MAX 254
#define LEASE_SEARCH_MAX 256	/* resolv.conf's search line */

enum lease_event {
	LEASE_DECONFIG,		/* udhcpc starts, or lost the lease */
	LEASE_BOUND,
	LEASE_RENEW,
	LEASE_NAK,
	LEASE_LEASEFAIL,
};

struct lease {
	enum lease_event event;
	char ifname[IF_NAMESIZE];
	uint8_t has_ip, has_router;
	struct in_addr ip;
	uint8_t prefix;
	struct in_addr router;
	struct in_addr dns[LEASE_MAX_DNS];
	uint8_t n_dns;
	char domain[LEASE_NAME_MAX];
	char search[LEASE_SEARCH_MAX];	/* names separated by one space */
	uint32_t seconds;
	struct in_addr server;
};

/* The environment variables udhcpc sets that the message carries. */
extern const char *const lease_env_keys[];

const char *lease_event_name(enum lease_event e);
/* 0, or -1 with the reason logged when the message is unusable; bad
 * optional values (one DNS server, the domain) are dropped and logged. */
int lease_parse(const char *msg, size_t len, struct lease *out);
/* The message for event name ev from getenv-style lookups. Length or -1. */
int lease_format(char *buf, size_t size, const char *ev, const char *(*get)(const char *key));
/* True for a DNS name made of letters, digits, '-', '_' and dots. */
int valid_domain(const char *s);

#endif
