#include "fw-encode.h"

#include <arpa/inet.h>
#include <string.h>

struct encoder {
	struct fw_entry *out;
	size_t len;
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

	enc->out->e.target_offset = (uint16_t)enc->len;
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

static uint32_t prefix_mask(uint8_t prefix)
{
	return prefix ? htonl(~0u << (32 - (prefix > 32 ? 32 : prefix))) : 0;
}

static void encode_ip(const struct fw_rule *r, struct ipt_ip *ip)
{
	if (*r->in)
		set_iface(ip->iniface, ip->iniface_mask, r->in);
	if (r->not_in)
		ip->invflags |= IPT_INV_VIA_IN;
	if (*r->out)
		set_iface(ip->outiface, ip->outiface_mask, r->out);
	if (r->dst.prefix) {
		ip->dmsk.s_addr = prefix_mask(r->dst.prefix);
		ip->dst.s_addr = r->dst.v4.s_addr & ip->dmsk.s_addr;
	}
	switch (r->proto) {
	case FW_PROTO_ANY:
		break;
	case FW_PROTO_TCP:
		ip->proto = IPPROTO_TCP;
		break;
	case FW_PROTO_UDP:
		ip->proto = IPPROTO_UDP;
		break;
	case FW_PROTO_ICMP:
		ip->proto = IPPROTO_ICMP;
		break;
	}
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

static int icmp4_type(enum fw_icmp icmp)
{
	switch (icmp) {
	case FW_ICMP_ANY:
		return -1;
	case FW_ICMP_UNREACHABLE:
		return ICMP_DEST_UNREACH;
	case FW_ICMP_TIME_EXCEEDED:
		return ICMP_TIME_EXCEEDED;
	case FW_ICMP_PARAM_PROBLEM:
		return ICMP_PARAMETERPROB;
	}
	return -1;
}

static void encode_icmp(struct encoder *enc, const struct fw_rule *r)
{
	struct ipt_icmp *icmp;
	int type = icmp4_type(r->icmp);

	if (r->proto != FW_PROTO_ICMP || type < 0)
		return;
	icmp = add_match(enc, "icmp", 0, sizeof(*icmp));
	if (icmp) {
		icmp->type = (uint8_t)type;
		icmp->code[0] = 0;
		icmp->code[1] = 0xff;
	}
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
	range->min_addr.ip = range->max_addr.ip = r->to.v4.s_addr;
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

static void encode_target(struct encoder *enc, const struct fw_rule *r)
{
	switch (r->target) {
	case FW_ACCEPT:
	case FW_DROP:
		/* A standard target: libiptc turns the name into a verdict. */
		add_target(enc, fw_target_name(r->target), 0, sizeof(int));
		break;
	case FW_REJECT: {
		struct ipt_reject_info *info = add_target(enc, "REJECT", 0, sizeof(*info));

		if (info)
			info->with = IPT_ICMP_PORT_UNREACHABLE;
		break;
	}
	case FW_MASQUERADE: {
		struct nf_nat_ipv4_multi_range_compat *mr =
			add_target(enc, "MASQUERADE", 0, sizeof(*mr));

		if (mr)
			mr->rangesize = 1;
		break;
	}
	case FW_DNAT:
		encode_dnat(enc, r);
		break;
	}
}

int fw_encode4(const struct fw_rule *r, struct fw_entry *out)
{
	struct encoder enc = { out, sizeof(struct ipt_entry), 0 };

	memset(out, 0, sizeof(*out));
	encode_ip(r, &out->e.ip);
	encode_ports(&enc, r);
	encode_icmp(&enc, r);
	encode_conntrack(&enc, r);
	encode_comment(&enc, r);
	encode_target(&enc, r);
	out->e.next_offset = (uint16_t)enc.len;
	return enc.overflow ? -1 : 0;
}

static int same_matches(const struct ipt_entry *a, const struct ipt_entry *b)
{
	size_t off = sizeof(*a);

	if (a->target_offset != b->target_offset)
		return 0;
	while (off < a->target_offset) {
		const struct xt_entry_match *ma = (const void *)((const char *)a + off);
		const struct xt_entry_match *mb = (const void *)((const char *)b + off);
		size_t size = ma->u.match_size;

		/* The kernel writes back the name up to its NUL only: compare
		 * it as a string, and the data as bytes. */
		if (size < sizeof(*ma) || size != mb->u.match_size ||
		    off + size > a->target_offset ||
		    strncmp(ma->u.user.name, mb->u.user.name, sizeof(ma->u.user.name)) ||
		    ma->u.user.revision != mb->u.user.revision ||
		    memcmp(ma->data, mb->data, size - sizeof(*ma)))
			return 0;
		off += size;
	}
	return 1;
}

static int same_target(const struct ipt_entry *a, const char *target_a,
		       const struct ipt_entry *b, const char *target_b)
{
	const struct xt_entry_target *ta = (const void *)((const char *)a + a->target_offset);
	const struct xt_entry_target *tb = (const void *)((const char *)b + b->target_offset);
	size_t size = ta->u.target_size;

	if (strcmp(target_a, target_b))
		return 0;
	/* Standard targets (verdicts, jumps) are told apart by name alone. */
	if (strcmp(ta->u.user.name, target_a) || strcmp(tb->u.user.name, target_b))
		return 1;
	return size >= sizeof(*ta) && size == tb->u.target_size &&
	       a->target_offset + size <= a->next_offset &&
	       ta->u.user.revision == tb->u.user.revision &&
	       !memcmp(ta->data, tb->data, size - sizeof(*ta));
}

int fw_entry_same(const struct ipt_entry *a, const char *target_a,
		  const struct ipt_entry *b, const char *target_b)
{
	return !memcmp(&a->ip, &b->ip, sizeof(a->ip)) && a->next_offset == b->next_offset &&
	       same_matches(a, b) && same_target(a, target_a, b, target_b);
}
