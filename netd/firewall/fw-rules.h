/* netd's firewall as data: fw_build() turns the network netd runs into the
 * list of rules of netd's own chains, with no kernel call, so that tests
 * can compare it with what is expected. firewall.c applies the list through
 * libiptc; fw_rule_format() prints a rule the way iptables-save does.
 *
 * The model is family-agnostic where it costs nothing: addresses carry both
 * families, "icmp" means ICMP or ICMPv6 and ICMP types are named by what
 * they report, so the IPv6 side can reuse the builder's shape. */
#ifndef NETD_FW_RULES_H
#define NETD_FW_RULES_H

#include "firewall.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum fw_family { FW_IPV4, FW_IPV6 };
enum fw_table { FW_TABLE_FILTER, FW_TABLE_NAT };

/* netd's own chains, each linked from the built-in chain of the same name. */
enum fw_chain {
	FW_CHAIN_INPUT,
	FW_CHAIN_FORWARD,
	FW_CHAIN_PREROUTING,
	FW_CHAIN_POSTROUTING,
};
#define FW_N_CHAINS 4

enum fw_proto { FW_PROTO_ANY, FW_PROTO_TCP, FW_PROTO_UDP, FW_PROTO_ICMP };

enum fw_icmp {
	FW_ICMP_ANY,
	FW_ICMP_UNREACHABLE,	/* IPv4: includes "fragmentation needed": path MTU */
	FW_ICMP_TIME_EXCEEDED,
	FW_ICMP_PARAM_PROBLEM,
	/* IPv6 only: a rule with one of these does not encode for IPv4 */
	FW_ICMP_PACKET_TOO_BIG,	/* path MTU */
	FW_ICMP_MLD_QUERY,	/* multicast listener query (snooping switches) */
	FW_ICMP_ROUTER_ADVERT,
	FW_ICMP_NEIGHBOR_SOLICIT,
	FW_ICMP_NEIGHBOR_ADVERT,
};
/* The type number in the family's ICMP; -1 for any, -2 when the family
 * has no such message. */
int fw_icmp_type(enum fw_family family, enum fw_icmp icmp);

/* Connection-tracking states, as a mask; 0 means no conntrack match. */
enum {
	FW_CT_INVALID = 1 << 0,
	FW_CT_ESTABLISHED = 1 << 1,
	FW_CT_RELATED = 1 << 2,
	FW_CT_NEW = 1 << 3,
	FW_CT_DNAT = 1 << 4,	/* the packet's connection was destination-NATed */
};

enum fw_target { FW_ACCEPT, FW_DROP, FW_REJECT, FW_MASQUERADE, FW_DNAT };

/* What a rule counts for in netd's status. */
enum fw_count { FW_COUNT_NONE, FW_COUNT_FORWARDED, FW_COUNT_DROPPED_INBOUND };

struct fw_addr {
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
	uint8_t prefix;		/* 0: any address */
};

struct fw_rule {
	enum fw_chain chain;
	char in[IF_NAMESIZE];		/* "" = any */
	bool not_in;			/* any interface but in */
	char out[IF_NAMESIZE];
	struct fw_addr src;
	struct fw_addr dst;
	bool dst_local;			/* only to an address of the guest's own */
	enum fw_proto proto;
	enum fw_icmp icmp;		/* with FW_PROTO_ICMP only */
	uint16_t sport_lo, sport_hi;	/* 0, 0 = any; tcp and udp only */
	uint16_t dport_lo, dport_hi;
	unsigned ct;			/* FW_CT_* mask */
	enum fw_target target;
	/* DNAT: the new destination; ports map one to one from dport_lo. */
	struct fw_addr to;
	uint16_t to_port_lo, to_port_hi;
	enum fw_count count;
	char comment[128];		/* always set; starts with FW_COMMENT_PREFIX */
};

#define FW_COMMENT_PREFIX "wifibox: "
#define FW_MAX_BRIDGE_PORTS 16
#define FW_MAX_RELAY_PORTS 16	/* netd/config/relays.h RELAYS_MAX */
#define FW_MAX_RULES (2 * FW_MAX_FORWARDS + FW_MAX_BRIDGE_PORTS + FW_MAX_RELAY_PORTS + 32)

struct fw_ruleset {
	enum fw_family family;
	size_t n;
	struct fw_rule rules[FW_MAX_RULES];
};

/* Builds netd's IPv4 rules for c. Entries that cannot be honoured (a
 * forward that would capture a guest service, more than the maximum) are
 * logged and left out; the rest is built. 0, or -1 if c itself is
 * unusable. */
int fw_build(const struct fw_config *c, struct fw_ruleset *rs);
/* The same policy for IPv6: what IPv6 needs on top (neighbour discovery,
 * router advertisements from the uplink, "packet too big", multicast
 * listener queries) and nothing of DHCP; forwards with ipv6 set only. */
int fw_build6(const struct fw_config *c, struct fw_ruleset *rs);

enum fw_table fw_chain_table(enum fw_chain chain);
/* "WIFIBOX-INPUT" and so on. */
const char *fw_chain_name(enum fw_chain chain);
/* The built-in chain it hangs from: "INPUT" and so on. */
const char *fw_chain_hook(enum fw_chain chain);
const char *fw_table_name(enum fw_table table);
const char *fw_target_name(enum fw_target target);
/* The counter class of a rule found in the kernel, from its comment. */
enum fw_count fw_count_of_comment(const char *comment);

/* One rule as iptables-save prints it ("-A WIFIBOX-INPUT -i eth0 ...").
 * Returns the length snprintf would have written. */
int fw_rule_format(enum fw_family family, const struct fw_rule *r, char *buf, size_t size);
/* The whole rule set in iptables-restore form, including the chains and
 * the jumps from the built-in chains, for iptables-restore --noflush. */
int fw_ruleset_write_restore(const struct fw_ruleset *rs, FILE *f);

#endif
