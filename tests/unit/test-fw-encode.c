/* The kernel entries fw_encode4() makes: sizes the kernel checks, the
 * fields each extension reads, and the comparison that decides whether a
 * chain must be rewritten. */
#include "fw-encode.h"
#include "check.h"

#include <arpa/inet.h>

static struct fw_entry a, b;

static struct fw_rule rule(enum fw_chain chain, enum fw_target target)
{
	struct fw_rule r = { .chain = chain, .target = target };

	snprintf(r.comment, sizeof(r.comment), "wifibox: test");
	return r;
}

/* The i-th extension blob after the ipt_entry (the target last). */
static const struct xt_entry_match *blob(const struct fw_entry *e, int i)
{
	size_t off = sizeof(struct ipt_entry);

	while (i-- > 0)
		off += ((const struct xt_entry_match *)(const void *)(e->bytes + off))->u.match_size;
	return (const void *)(e->bytes + off);
}

static const struct xt_entry_target *target_of(const struct fw_entry *e)
{
	return (const void *)(e->bytes + e->e.target_offset);
}

TEST(sizes_are_aligned_and_add_up)
{
	struct fw_rule r = rule(FW_CHAIN_INPUT, FW_ACCEPT);

	r.proto = FW_PROTO_TCP;
	r.dport_lo = r.dport_hi = 22;
	r.ct = FW_CT_NEW;
	CHECK_INT(fw_encode4(&r, &a), 0);
	/* tcp, conntrack, comment, then the standard target */
	CHECK_STR(blob(&a, 0)->u.user.name, "tcp");
	CHECK_INT(blob(&a, 0)->u.match_size, XT_ALIGN(sizeof(struct xt_entry_match)) + XT_ALIGN(sizeof(struct xt_tcp)));
	CHECK_STR(blob(&a, 1)->u.user.name, "conntrack");
	CHECK_INT(blob(&a, 1)->u.user.revision, 3);
	CHECK_INT(blob(&a, 1)->u.match_size, sizeof(struct xt_entry_match) + XT_ALIGN(sizeof(struct xt_conntrack_mtinfo3)));
	CHECK_STR(blob(&a, 2)->u.user.name, "comment");
	CHECK_INT(a.e.target_offset, (const unsigned char *)blob(&a, 3) - a.bytes);
	CHECK_STR(target_of(&a)->u.user.name, "ACCEPT");
	CHECK_INT(target_of(&a)->u.target_size, XT_ALIGN(sizeof(struct xt_standard_target)));
	CHECK_INT(a.e.next_offset, a.e.target_offset + target_of(&a)->u.target_size);
	CHECK_INT(a.e.next_offset % 8, 0);
}

TEST(ports_unset_mean_all_ports)
{
	struct fw_rule r = rule(FW_CHAIN_INPUT, FW_ACCEPT);
	const struct xt_udp *udp;

	r.proto = FW_PROTO_UDP;
	r.dport_lo = r.dport_hi = 67;
	CHECK_INT(fw_encode4(&r, &a), 0);
	CHECK_INT(a.e.ip.proto, IPPROTO_UDP);
	udp = (const void *)blob(&a, 0)->data;
	CHECK_INT(udp->spts[0], 0);
	CHECK_INT(udp->spts[1], 0xffff);
	CHECK_INT(udp->dpts[0], 67);
	CHECK_INT(udp->dpts[1], 67);
}

TEST(interfaces_match_exactly_and_invert)
{
	struct fw_rule r = rule(FW_CHAIN_FORWARD, FW_DROP);

	snprintf(r.in, sizeof(r.in), "eth0");
	r.not_in = true;
	snprintf(r.out, sizeof(r.out), "wlan0");
	CHECK_INT(fw_encode4(&r, &a), 0);
	CHECK_STR(a.e.ip.iniface, "eth0");
	CHECK_INT(a.e.ip.iniface_mask[4], 0xff);	/* the NUL too */
	CHECK_INT(a.e.ip.iniface_mask[5], 0);
	CHECK_INT(a.e.ip.outiface_mask[5], 0xff);
	CHECK_INT(a.e.ip.invflags, IPT_INV_VIA_IN);
}

TEST(dnat_single_port)
{
	struct fw_rule r = rule(FW_CHAIN_PREROUTING, FW_DNAT);
	const struct nf_nat_range2 *range;

	r.proto = FW_PROTO_TCP;
	r.dport_lo = r.dport_hi = 2222;
	inet_pton(AF_INET, "10.0.0.2", &r.to.v4);
	r.to.prefix = 32;
	r.to_port_lo = r.to_port_hi = 22;
	CHECK_INT(fw_encode4(&r, &a), 0);
	CHECK_STR(target_of(&a)->u.user.name, "DNAT");
	CHECK_INT(target_of(&a)->u.user.revision, 2);
	range = (const void *)target_of(&a)->data;
	CHECK_INT(range->flags, NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED);
	CHECK_INT(range->min_addr.ip, r.to.v4.s_addr);
	CHECK_INT(range->max_addr.ip, r.to.v4.s_addr);
	CHECK_INT(ntohs(range->min_proto.all), 22);
	CHECK_INT(ntohs(range->max_proto.all), 22);
}

TEST(dnat_shifted_range_uses_an_offset)
{
	struct fw_rule r = rule(FW_CHAIN_PREROUTING, FW_DNAT);
	const struct nf_nat_range2 *range;

	r.proto = FW_PROTO_TCP;
	r.dport_lo = 8000;
	r.dport_hi = 8010;
	inet_pton(AF_INET, "10.0.0.3", &r.to.v4);
	r.to_port_lo = 9000;
	r.to_port_hi = 9010;
	CHECK_INT(fw_encode4(&r, &a), 0);
	range = (const void *)target_of(&a)->data;
	CHECK(range->flags & NF_NAT_RANGE_PROTO_OFFSET);
	CHECK_INT(ntohs(range->base_proto.all), 8000);
	/* The same range inside needs no offset: the port is kept. */
	r.to_port_lo = 8000;
	r.to_port_hi = 8010;
	CHECK_INT(fw_encode4(&r, &b), 0);
	range = (const void *)target_of(&b)->data;
	CHECK(!(range->flags & NF_NAT_RANGE_PROTO_OFFSET));
}

TEST(masquerade_and_reject)
{
	struct fw_rule r = rule(FW_CHAIN_POSTROUTING, FW_MASQUERADE);
	const struct nf_nat_ipv4_multi_range_compat *mr;
	const struct ipt_reject_info *rej;

	CHECK_INT(fw_encode4(&r, &a), 0);
	mr = (const void *)target_of(&a)->data;
	CHECK_STR(target_of(&a)->u.user.name, "MASQUERADE");
	CHECK_INT(mr->rangesize, 1);
	CHECK_INT(mr->range[0].flags, 0);
	r = rule(FW_CHAIN_INPUT, FW_REJECT);
	CHECK_INT(fw_encode4(&r, &a), 0);
	rej = (const void *)target_of(&a)->data;
	CHECK_INT(rej->with, IPT_ICMP_PORT_UNREACHABLE);
}

TEST(conntrack_states)
{
	struct fw_rule r = rule(FW_CHAIN_FORWARD, FW_ACCEPT);
	const struct xt_conntrack_mtinfo3 *ct;

	r.ct = FW_CT_ESTABLISHED | FW_CT_RELATED;
	CHECK_INT(fw_encode4(&r, &a), 0);
	ct = (const void *)blob(&a, 0)->data;
	CHECK_INT(ct->match_flags, XT_CONNTRACK_STATE);
	CHECK_INT(ct->state_mask, XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED) | XT_CONNTRACK_STATE_BIT(IP_CT_RELATED));
	r.ct = FW_CT_DNAT;
	CHECK_INT(fw_encode4(&r, &a), 0);
	ct = (const void *)blob(&a, 0)->data;
	CHECK_INT(ct->state_mask, XT_CONNTRACK_STATE_DNAT);
}

TEST(dst_local_is_an_addrtype_match_after_the_ports)
{
	struct fw_rule r = rule(FW_CHAIN_PREROUTING, FW_DNAT);
	const struct xt_addrtype_info_v1 *info;

	r.proto = FW_PROTO_TCP;
	r.dport_lo = r.dport_hi = 2222;
	r.dst_local = true;
	inet_pton(AF_INET, "10.0.0.2", &r.to.v4);
	r.to_port_lo = r.to_port_hi = 22;
	CHECK_INT(fw_encode4(&r, &a), 0);
	CHECK_STR(blob(&a, 0)->u.user.name, "tcp");
	CHECK_STR(blob(&a, 1)->u.user.name, "addrtype");
	CHECK_INT(blob(&a, 1)->u.user.revision, 1);
	info = (const void *)blob(&a, 1)->data;
	CHECK_INT(info->dest, XT_ADDRTYPE_LOCAL);
	CHECK_INT(info->source, 0);
	CHECK_INT(info->flags, 0);
	/* the same for IPv6: revision 1 is the one that has it */
	CHECK_INT(fw_encode6(&r, &a), 0);
	/* without it, a rule differs */
	fw_encode4(&r, &a);
	r.dst_local = false;
	fw_encode4(&r, &b);
	CHECK(!fw_entry_same(&a.e, "DNAT", &b.e, "DNAT"));
}

TEST(icmp_types)
{
	struct fw_rule r = rule(FW_CHAIN_INPUT, FW_ACCEPT);
	const struct ipt_icmp *icmp;

	r.proto = FW_PROTO_ICMP;
	r.icmp = FW_ICMP_TIME_EXCEEDED;
	CHECK_INT(fw_encode4(&r, &a), 0);
	CHECK_STR(blob(&a, 0)->u.user.name, "icmp");
	icmp = (const void *)blob(&a, 0)->data;
	CHECK_INT(icmp->type, 11);
	CHECK_INT(icmp->code[0], 0);
	CHECK_INT(icmp->code[1], 0xff);
	/* any type: no icmp match at all, only the protocol */
	r.icmp = FW_ICMP_ANY;
	CHECK_INT(fw_encode4(&r, &a), 0);
	CHECK_STR(blob(&a, 0)->u.user.name, "comment");
}

TEST(same_rule_compares_equal)
{
	struct fw_rule r = rule(FW_CHAIN_PREROUTING, FW_DNAT);

	r.proto = FW_PROTO_TCP;
	r.dport_lo = r.dport_hi = 2222;
	inet_pton(AF_INET, "10.0.0.2", &r.to.v4);
	r.to_port_lo = r.to_port_hi = 22;
	fw_encode4(&r, &a);
	fw_encode4(&r, &b);
	CHECK(fw_entry_same(&a.e, "DNAT", &b.e, "DNAT"));
	/* The kernel writes a match name back only up to its NUL. */
	memset(((struct xt_entry_match *)(void *)(b.bytes + sizeof(struct ipt_entry)))->u.user.name + 4,
	       0x5a, 8);
	CHECK(fw_entry_same(&a.e, "DNAT", &b.e, "DNAT"));
	/* Counters are not part of a rule. */
	b.e.counters.pcnt = 99;
	CHECK(fw_entry_same(&a.e, "DNAT", &b.e, "DNAT"));
}

TEST(different_rules_compare_different)
{
	struct fw_rule r = rule(FW_CHAIN_PREROUTING, FW_DNAT);

	r.proto = FW_PROTO_TCP;
	r.dport_lo = r.dport_hi = 2222;
	inet_pton(AF_INET, "10.0.0.2", &r.to.v4);
	r.to_port_lo = r.to_port_hi = 22;
	fw_encode4(&r, &a);
	r.to_port_lo = r.to_port_hi = 23;	/* target data */
	fw_encode4(&r, &b);
	CHECK(!fw_entry_same(&a.e, "DNAT", &b.e, "DNAT"));
	r.to_port_lo = r.to_port_hi = 22;
	r.dport_lo = r.dport_hi = 2223;		/* match data */
	fw_encode4(&r, &b);
	CHECK(!fw_entry_same(&a.e, "DNAT", &b.e, "DNAT"));
	r.dport_lo = r.dport_hi = 2222;
	snprintf(r.in, sizeof(r.in), "wlan1");	/* ip part */
	fw_encode4(&r, &b);
	CHECK(!fw_entry_same(&a.e, "DNAT", &b.e, "DNAT"));
	snprintf(r.comment, sizeof(r.comment), "wifibox: other");	/* comment */
	r.in[0] = '\0';
	fw_encode4(&r, &b);
	CHECK(!fw_entry_same(&a.e, "DNAT", &b.e, "DNAT"));
}

TEST(standard_targets_compare_by_verdict_name)
{
	struct fw_rule r = rule(FW_CHAIN_INPUT, FW_ACCEPT);
	struct xt_standard_target *t;

	fw_encode4(&r, &a);
	fw_encode4(&r, &b);
	/* What the kernel hands back: the standard target, named "", with a
	 * verdict; libiptc names it "ACCEPT". */
	t = (void *)(b.bytes + b.e.target_offset);
	memset(t->target.u.user.name, 0, sizeof(t->target.u.user.name));
	t->verdict = -NF_ACCEPT - 1;
	CHECK(fw_entry_same(&b.e, "ACCEPT", &a.e, "ACCEPT"));
	CHECK(!fw_entry_same(&b.e, "DROP", &a.e, "ACCEPT"));
}

/* ---- IPv6 (issue 8): ip6t_entry, the icmp6 match, NAT66 targets ---- */

static const struct xt_entry_match *blob6(const struct fw_entry *e, int i)
{
	size_t off = sizeof(struct ip6t_entry);

	while (i-- > 0)
		off += ((const struct xt_entry_match *)(const void *)(e->bytes + off))->u.match_size;
	return (const void *)(e->bytes + off);
}

static const struct xt_entry_target *target6_of(const struct fw_entry *e)
{
	return (const void *)(e->bytes + e->e6.target_offset);
}

TEST(ipv6_protocol_needs_the_proto_flag)
{
	struct fw_rule r = rule(FW_CHAIN_INPUT, FW_ACCEPT);
	const struct ip6t_icmp *icmp;

	r.proto = FW_PROTO_ICMP;
	r.icmp = FW_ICMP_PACKET_TOO_BIG;
	CHECK_INT(fw_encode6(&r, &a), 0);
	CHECK_INT(a.e6.ipv6.proto, IPPROTO_ICMPV6);
	CHECK_INT(a.e6.ipv6.flags, IP6T_F_PROTO);
	CHECK_STR(blob6(&a, 0)->u.user.name, "icmp6");
	CHECK_INT(blob6(&a, 0)->u.match_size, XT_ALIGN(sizeof(struct xt_entry_match)) + XT_ALIGN(sizeof(struct ip6t_icmp)));
	icmp = (const void *)blob6(&a, 0)->data;
	CHECK_INT(icmp->type, 2);
	CHECK_INT(icmp->code[1], 0xff);
	CHECK_STR(blob6(&a, 1)->u.user.name, "comment");
	CHECK_INT(a.e6.next_offset, a.e6.target_offset + target6_of(&a)->u.target_size);
	CHECK_INT(a.e6.next_offset % 8, 0);
	/* any protocol: no flag, or the kernel would look for protocol 0 */
	r.proto = FW_PROTO_ANY;
	CHECK_INT(fw_encode6(&r, &a), 0);
	CHECK_INT(a.e6.ipv6.flags, 0);
	CHECK_INT(a.e6.ipv6.proto, 0);
}

TEST(ipv6_only_messages_do_not_encode_for_ipv4)
{
	struct fw_rule r = rule(FW_CHAIN_INPUT, FW_ACCEPT);

	r.proto = FW_PROTO_ICMP;
	r.icmp = FW_ICMP_NEIGHBOR_SOLICIT;
	CHECK_INT(fw_encode4(&r, &a), -1);
	CHECK_INT(fw_encode6(&r, &a), 0);
}

TEST(ipv6_masquerade_reject_and_dnat)
{
	struct fw_rule r = rule(FW_CHAIN_POSTROUTING, FW_MASQUERADE);
	const struct ip6t_reject_info *rej;
	const struct nf_nat_range2 *range;
	struct in6_addr want;

	snprintf(r.out, sizeof(r.out), "wlan0");
	CHECK_INT(fw_encode6(&r, &a), 0);
	CHECK_STR(target6_of(&a)->u.user.name, "MASQUERADE");
	CHECK_INT(target6_of(&a)->u.target_size, XT_ALIGN(sizeof(struct xt_entry_target)) + XT_ALIGN(sizeof(struct nf_nat_range)));
	CHECK_STR(a.e6.ipv6.outiface, "wlan0");

	r = rule(FW_CHAIN_INPUT, FW_REJECT);
	CHECK_INT(fw_encode6(&r, &a), 0);
	rej = (const void *)target6_of(&a)->data;
	CHECK_INT(rej->with, IP6T_ICMP6_PORT_UNREACH);

	r = rule(FW_CHAIN_PREROUTING, FW_DNAT);
	r.proto = FW_PROTO_TCP;
	r.dport_lo = r.dport_hi = 2222;
	inet_pton(AF_INET6, "fd00::2", &r.to.v6);
	r.to.prefix = 128;
	r.to_port_lo = r.to_port_hi = 22;
	CHECK_INT(fw_encode6(&r, &a), 0);
	CHECK_INT(target6_of(&a)->u.user.revision, 2);
	range = (const void *)target6_of(&a)->data;
	inet_pton(AF_INET6, "fd00::2", &want);
	CHECK(!memcmp(&range->min_addr.in6, &want, 16));
	CHECK(!memcmp(&range->max_addr.in6, &want, 16));
	CHECK_INT(ntohs(range->min_proto.all), 22);
}

TEST(ipv6_destination_prefix_is_masked)
{
	struct fw_rule r = rule(FW_CHAIN_FORWARD, FW_ACCEPT);
	struct in6_addr want_net, want_mask;

	inet_pton(AF_INET6, "fd00::abcd:2", &r.dst.v6);
	r.dst.prefix = 100;
	CHECK_INT(fw_encode6(&r, &a), 0);
	inet_pton(AF_INET6, "fd00::a000:0", &want_net);
	inet_pton(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:f000:0", &want_mask);
	CHECK(!memcmp(&a.e6.ipv6.dst, &want_net, 16));
	CHECK(!memcmp(&a.e6.ipv6.dmsk, &want_mask, 16));
}

TEST(ipv6_same_and_different)
{
	struct fw_rule r = rule(FW_CHAIN_INPUT, FW_ACCEPT);

	r.proto = FW_PROTO_ICMP;
	r.icmp = FW_ICMP_ROUTER_ADVERT;
	CHECK_INT(fw_encode6(&r, &a), 0);
	CHECK_INT(fw_encode6(&r, &b), 0);
	CHECK(fw_entry6_same(&a.e6, "ACCEPT", &b.e6, "ACCEPT"));
	r.icmp = FW_ICMP_NEIGHBOR_ADVERT;
	CHECK_INT(fw_encode6(&r, &b), 0);
	CHECK(!fw_entry6_same(&a.e6, "ACCEPT", &b.e6, "ACCEPT"));
	CHECK_STR(fw_entry_comment(&b.e6, sizeof(b.e6), b.e6.target_offset), "wifibox: test");
}
