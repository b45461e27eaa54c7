/* Rules as text, in the order and spelling of iptables-save, so that tests
 * compare the built rule set with the kernel's view line by line and the
 * benchmark feeds the same rules to iptables-restore. */
#include "fw-rules.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;	/* what would have been written */
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	size_t room = o->len < o->size ? o->size - o->len : 0;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static void put_addr(struct out *o, enum fw_family family, const struct fw_addr *a)
{
	char text[INET6_ADDRSTRLEN];

	switch (family) {
	case FW_IPV4:
		inet_ntop(AF_INET, &a->v4, text, sizeof(text));
		break;
	case FW_IPV6:
		inet_ntop(AF_INET6, &a->v6, text, sizeof(text));
		break;
	}
	put(o, "%s", text);
}

static void put_ports(struct out *o, const char *option, uint16_t lo, uint16_t hi)
{
	if (!lo && !hi)
		return;
	if (lo == hi)
		put(o, " %s %u", option, lo);
	else
		put(o, " %s %u:%u", option, lo, hi);
}

static const char *proto_name(enum fw_proto proto)
{
	switch (proto) {
	case FW_PROTO_ANY:
		return NULL;
	case FW_PROTO_TCP:
		return "tcp";
	case FW_PROTO_UDP:
		return "udp";
	case FW_PROTO_ICMP:
		return "icmp";
	}
	return NULL;
}

static void put_proto(struct out *o, enum fw_family family, const struct fw_rule *r)
{
	const char *name = proto_name(r->proto);
	int type = fw_icmp_type(family, r->icmp);

	if (!name)
		return;
	switch (r->proto) {
	case FW_PROTO_ANY:
		break;
	case FW_PROTO_TCP:
	case FW_PROTO_UDP:
		put(o, " -p %s", name);
		if (r->sport_lo || r->dport_lo) {
			put(o, " -m %s", name);
			put_ports(o, "--sport", r->sport_lo, r->sport_hi);
			put_ports(o, "--dport", r->dport_lo, r->dport_hi);
		}
		break;
	case FW_PROTO_ICMP:
		put(o, " -p %s", family == FW_IPV4 ? "icmp" : "ipv6-icmp");
		if (type >= 0)
			put(o, family == FW_IPV4 ? " -m icmp --icmp-type %d" : " -m icmp6 --icmpv6-type %d",
			    type);
		else if (type == -2)	/* a builder bug: make it fail to restore */
			put(o, " -m icmp --icmp-type none");
		break;
	}
}

static void put_ctstate(struct out *o, unsigned ct)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {	/* iptables-save's order */
		{ FW_CT_INVALID, "INVALID" }, { FW_CT_NEW, "NEW" },
		{ FW_CT_RELATED, "RELATED" }, { FW_CT_ESTABLISHED, "ESTABLISHED" },
		{ FW_CT_DNAT, "DNAT" },
	};
	const char *sep = " ";
	size_t i;

	if (!ct)
		return;
	put(o, " -m conntrack --ctstate");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (ct & names[i].bit) {
			put(o, "%s%s", sep, names[i].name);
			sep = ",";
		}
	}
}

static void put_target(struct out *o, enum fw_family family, const struct fw_rule *r)
{
	put(o, " -j %s", fw_target_name(r->target));
	switch (r->target) {
	case FW_ACCEPT:
	case FW_DROP:
	case FW_MASQUERADE:
		break;
	case FW_REJECT:
		put(o, " --reject-with %s", family == FW_IPV4 ? "icmp-port-unreachable"
							     : "icmp6-port-unreachable");
		break;
	case FW_DNAT:
		/* An IPv6 address with a port goes in brackets. */
		put(o, " --to-destination %s", family == FW_IPV6 && r->to_port_lo ? "[" : "");
		put_addr(o, family, &r->to);
		if (r->to_port_lo)
			put(o, "%s:%u", family == FW_IPV6 ? "]" : "", r->to_port_lo);
		if (r->to_port_hi != r->to_port_lo)
			put(o, "-%u", r->to_port_hi);
		if (r->to_port_hi != r->to_port_lo && r->to_port_lo != r->dport_lo)
			put(o, "/%u", r->dport_lo);
		break;
	}
}

static void put_rule(struct out *o, enum fw_family family, const struct fw_rule *r)
{
	put(o, "-A %s", fw_chain_name(r->chain));
	if (r->src.prefix) {
		put(o, " -s ");
		put_addr(o, family, &r->src);
		put(o, "/%u", r->src.prefix);
	}
	if (r->dst.prefix) {
		put(o, " -d ");
		put_addr(o, family, &r->dst);
		put(o, "/%u", r->dst.prefix);
	}
	if (*r->in)
		put(o, "%s -i %s", r->not_in ? " !" : "", r->in);
	if (*r->out)
		put(o, " -o %s", r->out);
	put_proto(o, family, r);
	if (r->dst_local)
		put(o, " -m addrtype --dst-type LOCAL");
	put_ctstate(o, r->ct);
	put(o, " -m comment --comment \"%s\"", r->comment);
	put_target(o, family, r);
}

int fw_rule_format(enum fw_family family, const struct fw_rule *r, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };

	if (size)
		buf[0] = '\0';
	put_rule(&o, family, r);
	return (int)o.len;
}

static void write_table(const struct fw_ruleset *rs, enum fw_table table, FILE *f)
{
	char line[512];
	enum fw_chain ch;
	size_t i;

	fprintf(f, "*%s\n", fw_table_name(table));
	for (ch = 0; ch < FW_N_CHAINS; ch++)
		if (fw_chain_table(ch) == table)
			fprintf(f, ":%s - [0:0]\n", fw_chain_name(ch));
	for (ch = 0; ch < FW_N_CHAINS; ch++)
		if (fw_chain_table(ch) == table)
			fprintf(f, "-I %s 1 -j %s\n", fw_chain_hook(ch), fw_chain_name(ch));
	for (i = 0; i < rs->n; i++) {
		if (fw_chain_table(rs->rules[i].chain) != table)
			continue;
		fw_rule_format(rs->family, &rs->rules[i], line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	fprintf(f, "COMMIT\n");
}

int fw_ruleset_write_restore(const struct fw_ruleset *rs, FILE *f)
{
	write_table(rs, FW_TABLE_FILTER, f);
	write_table(rs, FW_TABLE_NAT, f);
	return ferror(f) ? -1 : 0;
}
