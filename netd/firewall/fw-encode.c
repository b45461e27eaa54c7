#include "fw-encode.h"

#include <arpa/inet.h>
#include <string.h>

#include "ipv4.h"

/* The entry being written: its header (ipt_entry or ip6t_entry) is
 * followed by the blobs; target_offset and next_offset are the header's. */
struct encoder {
	struct fw_entry *out;
	size_t len;
	uint16_t *target_offset, *next_offset;
	enum fw_family family;
	int overflow;
};

/* Reserves one aligned extension blob; its header size and name are set,
 * the data is zero. NULL when the entry is full. */
static void *reserve(struct encoder *enc, size_t data_size)
{
	size_t size = XT_ALIGN(sizeof(struct xt_entry_match)) + XT_ALIGN(data_size);
	unsigned char *p;

	if (enc->len + size > sizeof(enc->out->bytes)) {
		enc->overflow = 1;
		return NULL;
	}
	p = enc->out->bytes + enc->len;
	enc->len += size;
	((struct xt_entry_match *)(void *)p)->u.match_size = (uint16_t)size;
	return p;
}

static void *add_match(struct encoder *enc, const char *name, uint8_t revision, size_t data_size)
{
	struct xt_entry_match *m = reserve(enc, data_size);

	if (!m)
		return NULL;
	snprintf(m->u.user.name, sizeof(m->u.user.name), "%s", name);
	m->u.user.revision = revision;
	return m->data;
}

static void *add_target(struct encoder *enc, const char *name, uint8_t revision, size_t data_size)
{
	struct xt_entry_target *t;

	*enc->target_offset = (uint16_t)enc->len;
	t = reserve(enc, data_size);
	if (!t)
		return NULL;
	snprintf(t->u.user.name, sizeof(t->u.user.name), "%s", name);
	t->u.user.revision = revision;
	return t->data;
}

static void set_iface(char *name, unsigned char *mask, const char *ifname)
{
	size_t len = strlen(ifname);

	memcpy(name, ifname, len + 1);
	/* The terminating NUL is compared too: "eth0" does not match "eth01". */
	memset(mask, 0xff, len + 1);
}

/* The IP protocol number a rule matches; 0: any. */
static uint8_t proto_number(enum fw_proto proto, int ipv6)
{
	switch (proto) {
	case FW_PROTO_ANY:
		break;
	case FW_PROTO_TCP:
		return IPPROTO_TCP;
	case FW_PROTO_UDP:
		return IPPROTO_UDP;
	case FW_PROTO_ICMP:
		return ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	}
	return 0;
}

static void encode_ip(const struct fw_rule *r, struct ipt_ip *ip)
{
	if (*r->in)
		set_iface(ip->iniface, ip->iniface_mask, r->in);
	if (r->not_in)
		ip->invflags |= IPT_INV_VIA_IN;
	if (*r->out)
		set_iface(ip->outiface, ip->outiface_mask, r->out);
	if (r->src.prefix) {
		ip->smsk.s_addr = prefix_mask(r->src.prefix).s_addr;
		ip->src.s_addr = r->src.v4.s_addr & ip->smsk.s_addr;
	}
	if (r->dst.prefix) {
		ip->dmsk.s_addr = prefix_mask(r->dst.prefix).s_addr;
		ip->dst.s_addr = r->dst.v4.s_addr & ip->dmsk.s_addr;
	}
	ip->proto = proto_number(r->proto, 0);
}

/* Unset port ranges are 0-65535, as iptables writes them: {0, 0} would
 * match port 0 only. */
static void port_range(uint16_t range[2], uint16_t lo, uint16_t hi)
{
	range[0] = lo;
	range[1] = lo || hi ? hi : 0xffff;
}

static void encode_ports(struct encoder *enc, const struct fw_rule *r)
{
	if (!r->sport_lo && !r->dport_lo)
		return;
	if (r->proto == FW_PROTO_TCP) {
		struct xt_tcp *tcp = add_match(enc, "tcp", 0, sizeof(*tcp));

		if (tcp) {
			port_range(tcp->spts, r->sport_lo, r->sport_hi);
			port_range(tcp->dpts, r->dport_lo, r->dport_hi);
		}
	} else if (r->proto == FW_PROTO_UDP) {
		struct xt_udp *udp = add_match(enc, "udp", 0, sizeof(*udp));

		if (udp) {
			port_range(udp->spts, r->sport_lo, r->sport_hi);
			port_range(udp->dpts, r->dport_lo, r->dport_hi);
		}
	}
}

static void encode_icmp4(struct encoder *enc, uint8_t type)
{
	struct ipt_icmp *icmp = add_match(enc, "icmp", 0, sizeof(*icmp));

	if (icmp) {
		icmp->type = type;
		icmp->code[0] = 0;
		icmp->code[1] = 0xff;
	}
}

static void encode_icmp6(struct encoder *enc, uint8_t type)
{
	struct ip6t_icmp *icmp = add_match(enc, "icmp6", 0, sizeof(*icmp));

	if (icmp) {
		icmp->type = type;
		icmp->code[0] = 0;
		icmp->code[1] = 0xff;
	}
}

static void encode_icmp(struct encoder *enc, const struct fw_rule *r)
{
	int type = fw_icmp_type(enc->family, r->icmp);

	if (r->proto != FW_PROTO_ICMP || type == -1)
		return;
	if (type < 0) {
		enc->overflow = 1;	/* no such message in this family */
		return;
	}
	if (enc->family == FW_IPV6)
		encode_icmp6(enc, (uint8_t)type);
	else
		encode_icmp4(enc, (uint8_t)type);
}

static uint16_t ct_state_mask(unsigned ct)
{
	uint16_t mask = 0;

	if (ct & FW_CT_INVALID)
		mask |= XT_CONNTRACK_STATE_INVALID;
	if (ct & FW_CT_ESTABLISHED)
		mask |= XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED);
	if (ct & FW_CT_RELATED)
		mask |= XT_CONNTRACK_STATE_BIT(IP_CT_RELATED);
	if (ct & FW_CT_NEW)
		mask |= XT_CONNTRACK_STATE_BIT(IP_CT_NEW);
	if (ct & FW_CT_DNAT)
		mask |= XT_CONNTRACK_STATE_DNAT;
	return mask;
}

static void encode_conntrack(struct encoder *enc, const struct fw_rule *r)
{
	struct xt_conntrack_mtinfo3 *ct;

	if (!r->ct)
		return;
	ct = add_match(enc, "conntrack", 3, sizeof(*ct));
	if (ct) {
		ct->match_flags = XT_CONNTRACK_STATE;
		ct->state_mask = ct_state_mask(r->ct);
	}
}

/* -m addrtype --dst-type LOCAL, revision 1: the one that knows IPv6. */
static void encode_addrtype(struct encoder *enc, const struct fw_rule *r)
{
	struct xt_addrtype_info_v1 *info;

	if (!r->dst_local)
		return;
	info = add_match(enc, "addrtype", 1, sizeof(*info));
	if (info)
		info->dest = XT_ADDRTYPE_LOCAL;
}

static void encode_comment(struct encoder *enc, const struct fw_rule *r)
{
	struct xt_comment_info *c = add_match(enc, "comment", 0, sizeof(*c));

	if (c)
		snprintf(c->comment, sizeof(c->comment), "%s", r->comment);
}

static void encode_dnat(struct encoder *enc, const struct fw_rule *r)
{
	struct nf_nat_range2 *range = add_target(enc, "DNAT", 2, sizeof(*range));

	if (!range)
		return;
	range->flags = NF_NAT_RANGE_MAP_IPS;
	if (enc->family == FW_IPV6) {
		range->min_addr.in6 = r->to.v6;
		range->max_addr.in6 = r->to.v6;
	} else {
		range->min_addr.ip = range->max_addr.ip = r->to.v4.s_addr;
	}
	if (!r->to_port_lo)
		return;
	range->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
	range->min_proto.all = htons(r->to_port_lo);
	range->max_proto.all = htons(r->to_port_hi);
	/* A range maps one to one: outside port p goes to to_port_lo + (p - dport_lo). */
	if (r->to_port_hi != r->to_port_lo && r->to_port_lo != r->dport_lo) {
		range->flags |= NF_NAT_RANGE_PROTO_OFFSET;
		range->base_proto.all = htons(r->dport_lo);
	}
}

static void encode_reject(struct encoder *enc)
{
	if (enc->family == FW_IPV6) {
		struct ip6t_reject_info *info = add_target(enc, "REJECT", 0, sizeof(*info));

		if (info)
			info->with = IP6T_ICMP6_PORT_UNREACH;
	} else {
		struct ipt_reject_info *info = add_target(enc, "REJECT", 0, sizeof(*info));

		if (info)
			info->with = IPT_ICMP_PORT_UNREACHABLE;
	}
}

/* The kernel's IPv6 MASQUERADE takes a plain nf_nat_range; IPv4's the
 * older multi-range form with one range. */
static void encode_masquerade(struct encoder *enc)
{
	if (enc->family == FW_IPV6) {
		add_target(enc, "MASQUERADE", 0, sizeof(struct nf_nat_range));
	} else {
		struct nf_nat_ipv4_multi_range_compat *mr =
			add_target(enc, "MASQUERADE", 0, sizeof(*mr));

		if (mr)
			mr->rangesize = 1;
	}
}

static void encode_target(struct encoder *enc, const struct fw_rule *r)
{
	switch (r->target) {
	case FW_ACCEPT:
	case FW_DROP:
		/* A standard target: libiptc turns the name into a verdict. */
		add_target(enc, fw_target_name(r->target), 0, sizeof(int));
		break;
	case FW_REJECT:
		encode_reject(enc);
		break;
	case FW_MASQUERADE:
		encode_masquerade(enc);
		break;
	case FW_DNAT:
		encode_dnat(enc, r);
		break;
	}
}

static void set_mask6(struct in6_addr *mask, uint8_t prefix)
{
	memset(mask, 0, sizeof(*mask));
	for (unsigned i = 0; i < 16 && prefix; i++) {
		unsigned bits = prefix > 8 ? 8 : prefix;

		mask->s6_addr[i] = (uint8_t)(0xff00u >> bits);
		prefix = (uint8_t)(prefix - bits);
	}
}

/* ip6tables sets IP6T_F_PROTO with -p: without it the kernel does not
 * look at the protocol at all. */
static void encode_ip6(const struct fw_rule *r, struct ip6t_ip6 *ip)
{
	if (*r->in)
		set_iface(ip->iniface, ip->iniface_mask, r->in);
	if (r->not_in)
		ip->invflags |= IP6T_INV_VIA_IN;
	if (*r->out)
		set_iface(ip->outiface, ip->outiface_mask, r->out);
	if (r->src.prefix) {
		set_mask6(&ip->smsk, r->src.prefix > 128 ? 128 : r->src.prefix);
		for (unsigned i = 0; i < 16; i++)
			ip->src.s6_addr[i] = r->src.v6.s6_addr[i] & ip->smsk.s6_addr[i];
	}
	if (r->dst.prefix) {
		set_mask6(&ip->dmsk, r->dst.prefix > 128 ? 128 : r->dst.prefix);
		for (unsigned i = 0; i < 16; i++)
			ip->dst.s6_addr[i] = r->dst.v6.s6_addr[i] & ip->dmsk.s6_addr[i];
	}
	ip->proto = proto_number(r->proto, 1);
	if (ip->proto)
		ip->flags |= IP6T_F_PROTO;
}

static void encode_blobs(struct encoder *enc, const struct fw_rule *r)
{
	encode_ports(enc, r);
	encode_icmp(enc, r);
	encode_addrtype(enc, r);
	encode_conntrack(enc, r);
	encode_comment(enc, r);
	encode_target(enc, r);
	*enc->next_offset = (uint16_t)enc->len;
}

int fw_encode4(const struct fw_rule *r, struct fw_entry *out)
{
	struct encoder enc = { out, sizeof(struct ipt_entry), &out->e.target_offset,
			       &out->e.next_offset, FW_IPV4, 0 };

	memset(out, 0, sizeof(*out));
	encode_ip(r, &out->e.ip);
	encode_blobs(&enc, r);
	return enc.overflow ? -1 : 0;
}

int fw_encode6(const struct fw_rule *r, struct fw_entry *out)
{
	struct encoder enc = { out, sizeof(struct ip6t_entry), &out->e6.target_offset,
			       &out->e6.next_offset, FW_IPV6, 0 };

	memset(out, 0, sizeof(*out));
	encode_ip6(r, &out->e6.ipv6);
	encode_blobs(&enc, r);
	return enc.overflow ? -1 : 0;
}

/* Both entries' matches, from hdr (the header's size) to target_offset. */
static int same_matches(const unsigned char *a, const unsigned char *b, size_t hdr,
			uint16_t target_a, uint16_t target_b)
{
	size_t off = hdr;

	if (target_a != target_b)
		return 0;
	while (off < target_a) {
		const struct xt_entry_match *ma = (const void *)((const char *)a + off);
		const struct xt_entry_match *mb = (const void *)((const char *)b + off);
		size_t size = ma->u.match_size;

		/* The kernel writes back the name up to its NUL only: compare
		 * it as a string, and the data as bytes. */
		if (size < sizeof(*ma) || size != mb->u.match_size ||
		    off + size > target_a ||
		    strncmp(ma->u.user.name, mb->u.user.name, sizeof(ma->u.user.name)) ||
		    ma->u.user.revision != mb->u.user.revision ||
		    memcmp(ma->data, mb->data, size - sizeof(*ma)))
			return 0;
		off += size;
	}
	return 1;
}

/* Each entry with its target_offset and next_offset. */
struct entry_view {
	const unsigned char *p;
	uint16_t target, next;
	const char *target_name;
};

static int same_target(const struct entry_view *a, const struct entry_view *b)
{
	const struct xt_entry_target *ta = (const void *)(a->p + a->target);
	const struct xt_entry_target *tb = (const void *)(b->p + b->target);
	const char *target_a = a->target_name, *target_b = b->target_name;
	size_t size = ta->u.target_size;

	if (strcmp(target_a, target_b))
		return 0;
	/* Standard targets (verdicts, jumps) are told apart by name alone. */
	if (strcmp(ta->u.user.name, target_a) || strcmp(tb->u.user.name, target_b))
		return 1;
	return size >= sizeof(*ta) && size == tb->u.target_size &&
	       a->target + size <= a->next &&
	       ta->u.user.revision == tb->u.user.revision &&
	       !memcmp(ta->data, tb->data, size - sizeof(*ta));
}

int fw_entry_same(const struct ipt_entry *a, const char *target_a,
		  const struct ipt_entry *b, const char *target_b)
{
	struct entry_view va = { (const void *)a, a->target_offset, a->next_offset, target_a };
	struct entry_view vb = { (const void *)b, b->target_offset, b->next_offset, target_b };

	return !memcmp(&a->ip, &b->ip, sizeof(a->ip)) && a->next_offset == b->next_offset &&
	       same_matches(va.p, vb.p, sizeof(*a), va.target, vb.target) && same_target(&va, &vb);
}

int fw_entry6_same(const struct ip6t_entry *a, const char *target_a,
		   const struct ip6t_entry *b, const char *target_b)
{
	struct entry_view va = { (const void *)a, a->target_offset, a->next_offset, target_a };
	struct entry_view vb = { (const void *)b, b->target_offset, b->next_offset, target_b };

	return !memcmp(&a->ipv6, &b->ipv6, sizeof(a->ipv6)) && a->next_offset == b->next_offset &&
	       same_matches(va.p, vb.p, sizeof(*a), va.target, vb.target) && same_target(&va, &vb);
}

const char *fw_entry_comment(const void *entry, size_t hdr_size, uint16_t target_offset)
{
	const unsigned char *e = entry;
	size_t off = hdr_size;

	while (off + sizeof(struct xt_entry_match) <= target_offset) {
		const struct xt_entry_match *m = (const void *)(e + off);

		if (m->u.match_size < sizeof(*m))
			break;
		if (!strcmp(m->u.user.name, "comment") &&
		    m->u.match_size >= sizeof(*m) + sizeof(struct xt_comment_info)) {
			const struct xt_comment_info *info = (const void *)m->data;

			if (memchr(info->comment, '\0', sizeof(info->comment)))
				return info->comment;
		}
		off += m->u.match_size;
	}
	return NULL;
}
