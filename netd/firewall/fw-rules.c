/* fw_build(): the rule set of netd's chains, as data. Who may reach what:
 *  - the uplink (the Wi-Fi side in station mode, eth0 in access-point mode)
 *    reaches only replies, the DHCP client, ICMP errors and port forwards;
 *  - the inside network reaches the guest's DHCP and DNS servers and ICMP,
 *    the host link also the control-socket bridge; the rest is refused;
 *  - the inside network may go out through the uplink, masqueraded.
 * IPv6 gets the same policy (fw_build6) with NAT66: the inside has a
 * unique local prefix that only the guest's uplink address can stand
 * for outside. */
#include "fw-rules.h"
#include "log.h"

#include <arpa/inet.h>
#include <string.h>

static const struct {
	const char *name, *hook;
	enum fw_table table;
} chains[FW_N_CHAINS] = {
	[FW_CHAIN_INPUT] = { "WIFIBOX-INPUT", "INPUT", FW_TABLE_FILTER },
	[FW_CHAIN_FORWARD] = { "WIFIBOX-FORWARD", "FORWARD", FW_TABLE_FILTER },
	[FW_CHAIN_PREROUTING] = { "WIFIBOX-PREROUTING", "PREROUTING", FW_TABLE_NAT },
	[FW_CHAIN_POSTROUTING] = { "WIFIBOX-POSTROUTING", "POSTROUTING", FW_TABLE_NAT },
};

enum fw_table fw_chain_table(enum fw_chain chain)
{
	return chains[chain].table;
}

const char *fw_chain_name(enum fw_chain chain)
{
	return chains[chain].name;
}

const char *fw_chain_hook(enum fw_chain chain)
{
	return chains[chain].hook;
}

const char *fw_table_name(enum fw_table table)
{
	switch (table) {
	case FW_TABLE_FILTER:
		return "filter";
	case FW_TABLE_NAT:
		return "nat";
	}
	return "?";
}

const char *fw_target_name(enum fw_target target)
{
	switch (target) {
	case FW_ACCEPT:
		return "ACCEPT";
	case FW_DROP:
		return "DROP";
	case FW_REJECT:
		return "REJECT";
	case FW_MASQUERADE:
		return "MASQUERADE";
	case FW_DNAT:
		return "DNAT";
	}
	return "?";
}

int fw_icmp_type(enum fw_family family, enum fw_icmp icmp)
{
	int v6 = family == FW_IPV6;

	switch (icmp) {
	case FW_ICMP_ANY:
		return -1;
	case FW_ICMP_UNREACHABLE:
		return v6 ? 1 : 3;
	case FW_ICMP_TIME_EXCEEDED:
		return v6 ? 3 : 11;
	case FW_ICMP_PARAM_PROBLEM:
		return v6 ? 4 : 12;
	case FW_ICMP_PACKET_TOO_BIG:
		return v6 ? 2 : -2;
	case FW_ICMP_MLD_QUERY:
		return v6 ? 130 : -2;
	case FW_ICMP_ROUTER_ADVERT:
		return v6 ? 134 : -2;
	case FW_ICMP_NEIGHBOR_SOLICIT:
		return v6 ? 135 : -2;
	case FW_ICMP_NEIGHBOR_ADVERT:
		return v6 ? 136 : -2;
	}
	return -2;
}

/* Comments name why a rule exists; the counted ones are recognised by
 * their comment when netd reads the counters back from the kernel. */
#define C_FORWARD_OUT FW_COMMENT_PREFIX "forward out"
#define C_FORWARD_REPLIES FW_COMMENT_PREFIX "forwarded replies"
#define C_PORT_FORWARD FW_COMMENT_PREFIX "port forward"
#define C_DROP_INBOUND FW_COMMENT_PREFIX "drop inbound"
#define C_TO_BRIDGED_HOST FW_COMMENT_PREFIX "to the bridged host"

enum fw_count fw_count_of_comment(const char *comment)
{
	if (!strcmp(comment, C_FORWARD_OUT) || !strcmp(comment, C_FORWARD_REPLIES) ||
	    !strcmp(comment, C_TO_BRIDGED_HOST) ||
	    !strncmp(comment, C_PORT_FORWARD " ", strlen(C_PORT_FORWARD) + 1))
		return FW_COUNT_FORWARDED;
	if (!strcmp(comment, C_DROP_INBOUND))
		return FW_COUNT_DROPPED_INBOUND;
	return FW_COUNT_NONE;
}

static struct fw_rule *add(struct fw_ruleset *rs, enum fw_chain chain,
			   enum fw_target target, const char *comment)
{
	struct fw_rule *r;

	if (rs->n >= FW_MAX_RULES) {
		log_err("firewall: more than %d rules: '%s' and later ones left out",
			FW_MAX_RULES, comment);
		return NULL;
	}
	r = &rs->rules[rs->n++];
	memset(r, 0, sizeof(*r));
	r->chain = chain;
	r->target = target;
	r->count = fw_count_of_comment(comment);
	snprintf(r->comment, sizeof(r->comment), "%s", comment);
	return r;
}

static void set_in(struct fw_rule *r, const char *ifname)
{
	if (r)
		snprintf(r->in, sizeof(r->in), "%s", ifname);
}

static void add_dport(struct fw_ruleset *rs, enum fw_chain chain, const char *in,
		      enum fw_proto proto, uint16_t port, const char *comment)
{
	struct fw_rule *r = add(rs, chain, FW_ACCEPT, comment);

	if (!r)
		return;
	set_in(r, in);
	r->proto = proto;
	r->dport_lo = r->dport_hi = port;
}

static void add_icmp(struct fw_ruleset *rs, const char *in, enum fw_icmp type,
		     const char *comment)
{
	struct fw_rule *r = add(rs, FW_CHAIN_INPUT, FW_ACCEPT, comment);

	if (!r)
		return;
	set_in(r, in);
	r->proto = FW_PROTO_ICMP;
	r->icmp = type;
}

/* The interface the FreeBSD host is on: eth0 in both modes. */
static const char *host_link(const struct fw_config *c)
{
	switch (c->mode) {
	case FW_MODE_STATION:
		return c->inside;
	case FW_MODE_AP:
		return c->uplink;
	}
	return "";
}

static int is_v6(const struct fw_ruleset *rs)
{
	return rs->family == FW_IPV6;
}

static void build_input_inside(const struct fw_config *c, struct fw_ruleset *rs)
{
	if (!is_v6(rs))	/* IPv6 hosts configure themselves from the guest's RAs */
		add_dport(rs, FW_CHAIN_INPUT, c->inside, FW_PROTO_UDP, 67, FW_COMMENT_PREFIX "dhcp server");
	add_dport(rs, FW_CHAIN_INPUT, c->inside, FW_PROTO_UDP, 53, FW_COMMENT_PREFIX "dns");
	add_dport(rs, FW_CHAIN_INPUT, c->inside, FW_PROTO_TCP, 53, FW_COMMENT_PREFIX "dns");
	add_icmp(rs, c->inside, FW_ICMP_ANY, FW_COMMENT_PREFIX "icmp from the inside");
}

static void build_input_host(const struct fw_config *c, struct fw_ruleset *rs)
{
	const char *host = host_link(c);
	size_t i, n = c->n_bridge_ports;

	if (!*host)
		return;
	if (n > FW_MAX_BRIDGE_PORTS) {
		log_err("firewall: %zu control-socket bridge ports, only the first %d are opened",
			n, FW_MAX_BRIDGE_PORTS);
		n = FW_MAX_BRIDGE_PORTS;
	}
	/* uds-passthru listens on eth0's IPv4 address only */
	for (i = 0; i < n && !is_v6(rs); i++)
		add_dport(rs, FW_CHAIN_INPUT, host, FW_PROTO_TCP, c->bridge_ports[i],
			  FW_COMMENT_PREFIX "control-socket bridge");
	if (strcmp(host, c->inside))
		add_icmp(rs, host, FW_ICMP_ANY, FW_COMMENT_PREFIX "icmp from the host");
}

/* What IPv6 itself needs from the uplink: the router's advertisements
 * (the address, the default route, its DNS), neighbour discovery, and the
 * queries of multicast-snooping access points, without which they stop
 * passing the neighbour solicitations meant for the guest. The kernel
 * drops any of these that did not come from the link itself (hop limit
 * 255). */
static void build_input_ndp(struct fw_ruleset *rs)
{
	add_icmp(rs, "", FW_ICMP_ROUTER_ADVERT, FW_COMMENT_PREFIX "router advertisements");
	add_icmp(rs, "", FW_ICMP_NEIGHBOR_SOLICIT, FW_COMMENT_PREFIX "neighbour discovery");
	add_icmp(rs, "", FW_ICMP_NEIGHBOR_ADVERT, FW_COMMENT_PREFIX "neighbour discovery");
	add_icmp(rs, "", FW_ICMP_MLD_QUERY, FW_COMMENT_PREFIX "multicast listener queries");
}

/* Everything not from the inside or the host link: the uplink, and any
 * interface netd does not know about, so an unexpected one is closed too. */
static void build_input_outside(struct fw_ruleset *rs)
{
	struct fw_rule *r;

	if (!is_v6(rs) && (r = add(rs, FW_CHAIN_INPUT, FW_ACCEPT, FW_COMMENT_PREFIX "dhcp client"))) {
		r->proto = FW_PROTO_UDP;
		r->sport_lo = r->sport_hi = 67;
		r->dport_lo = r->dport_hi = 68;
	}
	add_icmp(rs, "", FW_ICMP_UNREACHABLE, FW_COMMENT_PREFIX "icmp errors");
	if (is_v6(rs))
		add_icmp(rs, "", FW_ICMP_PACKET_TOO_BIG, FW_COMMENT_PREFIX "icmp errors");
	add_icmp(rs, "", FW_ICMP_TIME_EXCEEDED, FW_COMMENT_PREFIX "icmp errors");
	add_icmp(rs, "", FW_ICMP_PARAM_PROBLEM, FW_COMMENT_PREFIX "icmp errors");
	if (is_v6(rs))
		build_input_ndp(rs);
	add(rs, FW_CHAIN_INPUT, FW_DROP, C_DROP_INBOUND);
}

/* The UDP relays of forwarding.conf receive from the Wi-Fi side: only
 * their ports, only over IPv4, only in station mode (the uplink is the
 * Wi-Fi then). */
static void build_input_relays(const struct fw_config *c, struct fw_ruleset *rs)
{
	size_t n = c->n_relay_ports < FW_MAX_RELAY_PORTS ? c->n_relay_ports : FW_MAX_RELAY_PORTS;

	if (is_v6(rs) || c->mode != FW_MODE_STATION || !c->uplink[0])
		return;
	for (size_t i = 0; i < n; i++)
		add_dport(rs, FW_CHAIN_INPUT, c->uplink, FW_PROTO_UDP, c->relay_ports[i],
			  FW_COMMENT_PREFIX "udp relay (forwarding.conf)");
}

/* mDNS: the reflector listens on the host link and the Wi-Fi, the
 * responder on the Wi-Fi; nothing is open while both are off. */
static void build_input_mdns(const struct fw_config *c, struct fw_ruleset *rs)
{
	const char *wifi = c->mode == FW_MODE_STATION ? c->uplink : c->inside;
	const char *host = host_link(c);

	if (c->mdns_host && *host)
		add_dport(rs, FW_CHAIN_INPUT, host, FW_PROTO_UDP, 5353, FW_COMMENT_PREFIX "mdns reflector");
	if (c->mdns_wifi && *wifi)
		add_dport(rs, FW_CHAIN_INPUT, wifi, FW_PROTO_UDP, 5353, FW_COMMENT_PREFIX "mdns");
}

static void build_input(const struct fw_config *c, struct fw_ruleset *rs)
{
	struct fw_rule *r;

	set_in(add(rs, FW_CHAIN_INPUT, FW_ACCEPT, FW_COMMENT_PREFIX "loopback"), "lo");
	r = add(rs, FW_CHAIN_INPUT, FW_ACCEPT, FW_COMMENT_PREFIX "replies");
	if (r)
		r->ct = FW_CT_ESTABLISHED | FW_CT_RELATED;
	build_input_inside(c, rs);
	build_input_host(c, rs);
	build_input_mdns(c, rs);
	/* A refusal, not silence: the host and the inside are trusted and get
	 * a quick answer rather than a time-out. */
	set_in(add(rs, FW_CHAIN_INPUT, FW_REJECT, FW_COMMENT_PREFIX "other inside traffic"),
	       c->inside);
	build_input_relays(c, rs);
	build_input_outside(rs);
}

static int valid_forward(const struct fw_forward *f)
{
	return (f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP) && f->outside_lo &&
	       f->outside_lo <= f->outside_hi && f->inside_port &&
	       (unsigned)f->inside_port + (f->outside_hi - f->outside_lo) <= 65535;
}

static enum fw_proto proto_of(uint8_t ipproto)
{
	return ipproto == IPPROTO_TCP ? FW_PROTO_TCP : FW_PROTO_UDP;
}

/* In access-point mode the uplink is the host link: a TCP forward there
 * would capture the host's control-socket bridge. */
static int captures_bridge(const struct fw_config *c, const struct fw_forward *f)
{
	size_t i;

	if (c->mode != FW_MODE_AP || f->proto != IPPROTO_TCP || f->ipv6)
		return 0;
	for (i = 0; i < c->n_bridge_ports && i < FW_MAX_BRIDGE_PORTS; i++)
		if (c->bridge_ports[i] >= f->outside_lo && c->bridge_ports[i] <= f->outside_hi)
			return 1;
	return 0;
}

static void forward_comment(const struct fw_forward *f, char *buf, size_t size)
{
	char ip[INET6_ADDRSTRLEN], addr[INET6_ADDRSTRLEN + 2], out[12], in[12];
	unsigned last = (unsigned)f->inside_port + (f->outside_hi - f->outside_lo);

	if (f->ipv6) {
		inet_ntop(AF_INET6, &f->inside_addr6, ip, sizeof(ip));
		snprintf(addr, sizeof(addr), "[%s]", ip);
	} else {
		inet_ntop(AF_INET, &f->inside_addr, addr, sizeof(addr));
	}
	if (f->outside_lo == f->outside_hi) {
		snprintf(out, sizeof(out), "%u", f->outside_lo);
		snprintf(in, sizeof(in), "%u", f->inside_port);
	} else {
		snprintf(out, sizeof(out), "%u-%u", f->outside_lo, f->outside_hi);
		snprintf(in, sizeof(in), "%u-%u", f->inside_port, last);
	}
	snprintf(buf, size, C_PORT_FORWARD " %s %s -> %s:%s",
		 f->proto == IPPROTO_TCP ? "tcp" : "udp", out, addr, in);
}

static void build_one_forward(const struct fw_config *c, const struct fw_forward *f,
			      struct fw_ruleset *rs)
{
	struct fw_rule *dnat, *accept;
	char comment[sizeof(((struct fw_rule *)0)->comment)];
	uint16_t span = (uint16_t)(f->outside_hi - f->outside_lo);

	forward_comment(f, comment, sizeof(comment));
	dnat = add(rs, FW_CHAIN_PREROUTING, FW_DNAT, comment);
	accept = add(rs, FW_CHAIN_FORWARD, FW_ACCEPT, comment);
	if (!dnat || !accept)
		return;
	/* Only what is addressed to the guest itself: a packet the uplink
	 * routes through the guest to some other address keeps its
	 * destination (and meets FORWARD's drop). */
	set_in(dnat, c->uplink);
	dnat->dst_local = true;
	dnat->proto = proto_of(f->proto);
	dnat->dport_lo = f->outside_lo;
	dnat->dport_hi = f->outside_hi;
	if (f->ipv6) {
		dnat->to.v6 = f->inside_addr6;
		dnat->to.prefix = 128;
	} else {
		dnat->to.v4 = f->inside_addr;
		dnat->to.prefix = 32;
	}
	dnat->to_port_lo = f->inside_port;
	dnat->to_port_hi = (uint16_t)(f->inside_port + span);

	/* Only connections our DNAT made: a packet routed straight to the
	 * inside address from the uplink is still dropped. */
	set_in(accept, c->uplink);
	snprintf(accept->out, sizeof(accept->out), "%s", c->inside);
	accept->dst = dnat->to;
	accept->proto = dnat->proto;
	accept->dport_lo = dnat->to_port_lo;
	accept->dport_hi = dnat->to_port_hi;
	accept->ct = FW_CT_DNAT;
}

static void build_forwards(const struct fw_config *c, struct fw_ruleset *rs)
{
	size_t i, n = c->n_forwards;

	if (!*c->uplink)
		return;
	if (n > FW_MAX_FORWARDS) {
		log_err("firewall: %zu port forwards, only the first %d are applied",
			n, FW_MAX_FORWARDS);
		n = FW_MAX_FORWARDS;
	}
	for (i = 0; i < n; i++) {
		const struct fw_forward *f = &c->forwards[i];

		if (!f->ipv6 != !is_v6(rs))
			continue;	/* the other family's tables */
		if (!valid_forward(f)) {
			log_err("firewall: port forward #%zu (protocol %u, ports %u-%u to port %u) "
				"is not valid: left out", i + 1, f->proto, f->outside_lo,
				f->outside_hi, f->inside_port);
			continue;
		}
		if (captures_bridge(c, f)) {
			log_err("firewall: port forward tcp %u-%u would capture the host's "
				"control-socket bridge on %s: left out",
				f->outside_lo, f->outside_hi, c->uplink);
			continue;
		}
		build_one_forward(c, f, rs);
	}
}

/* Bridged mode's host: its IPv4 address, or the Wi-Fi network's IPv6
 * prefix it has addresses in. 0 when this family has none. */
static int bridged_dst(const struct fw_config *c, const struct fw_ruleset *rs, struct fw_addr *out)
{
	struct fw_addr a = { .prefix = 0 };

	if (is_v6(rs) && c->bridged_prefix6_len) {
		a.v6 = c->bridged_prefix6;
		a.prefix = c->bridged_prefix6_len;
	} else if (!is_v6(rs) && c->bridged_host.s_addr) {
		a.v4 = c->bridged_host;
		a.prefix = 32;
	}
	if (out)
		*out = a;
	return a.prefix != 0;
}

/* Bridged mode: the Wi-Fi network reaches the host's own address, as it
 * would a Wi-Fi client of its own; the host's firewall applies. */
static void build_forward_bridged(const struct fw_config *c, struct fw_ruleset *rs)
{
	struct fw_rule *r;

	if (!*c->uplink || !bridged_dst(c, rs, NULL))
		return;
	r = add(rs, FW_CHAIN_FORWARD, FW_ACCEPT, C_TO_BRIDGED_HOST);
	if (r) {
		set_in(r, c->uplink);
		snprintf(r->out, sizeof(r->out), "%s", c->inside);
		bridged_dst(c, rs, &r->dst);
	}
}

static void build_forward_chain(const struct fw_config *c, struct fw_ruleset *rs)
{
	struct fw_rule *r;

	r = add(rs, FW_CHAIN_FORWARD, FW_ACCEPT, C_FORWARD_REPLIES);
	if (r)
		r->ct = FW_CT_ESTABLISHED | FW_CT_RELATED;
	if (*c->uplink && strcmp(c->uplink, c->inside)) {
		r = add(rs, FW_CHAIN_FORWARD, FW_ACCEPT, C_FORWARD_OUT);
		if (r) {
			set_in(r, c->inside);
			snprintf(r->out, sizeof(r->out), "%s", c->uplink);
		}
	}
	build_forwards(c, rs);
	build_forward_bridged(c, rs);
	r = add(rs, FW_CHAIN_FORWARD, FW_DROP, C_DROP_INBOUND);
	if (r) {
		set_in(r, c->inside);
		r->not_in = true;
	}
	add(rs, FW_CHAIN_FORWARD, FW_DROP, FW_COMMENT_PREFIX "drop other");
}

static void build_nat(const struct fw_config *c, struct fw_ruleset *rs)
{
	struct fw_rule *r;

	if (!*c->uplink)
		return;
	if (bridged_dst(c, rs, NULL)) {
		/* ACCEPT in the nat table: the end of NAT for these packets */
		r = add(rs, FW_CHAIN_POSTROUTING, FW_ACCEPT, FW_COMMENT_PREFIX "bridged host: not masqueraded");
		if (r) {
			bridged_dst(c, rs, &r->src);
			snprintf(r->out, sizeof(r->out), "%s", c->uplink);
		}
	}
	r = add(rs, FW_CHAIN_POSTROUTING, FW_MASQUERADE, FW_COMMENT_PREFIX "masquerade");
	if (r)
		snprintf(r->out, sizeof(r->out), "%s", c->uplink);
}

static int ifname_ok(const char *name)
{
	return memchr(name, '\0', IF_NAMESIZE) != NULL;
}

static int build(const struct fw_config *c, enum fw_family family, struct fw_ruleset *rs)
{
	rs->family = family;
	rs->n = 0;
	if (!ifname_ok(c->inside) || !*c->inside) {
		log_err("firewall: no usable inside interface name: rules not built");
		return -1;
	}
	if (!ifname_ok(c->uplink)) {
		log_err("firewall: the uplink interface name is not terminated: rules not built");
		return -1;
	}
	build_input(c, rs);
	build_forward_chain(c, rs);
	build_nat(c, rs);
	return 0;
}

int fw_build(const struct fw_config *c, struct fw_ruleset *rs)
{
	return build(c, FW_IPV4, rs);
}

int fw_build6(const struct fw_config *c, struct fw_ruleset *rs)
{
	return build(c, FW_IPV6, rs);
}
