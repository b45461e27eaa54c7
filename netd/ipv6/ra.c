#include "ra.h"

#include <string.h>

#define ND_RA_TYPE 134
#define OPT_PREFIX 3
#define OPT_RDNSS 25
#define PREFIX_ON_LINK 0x80
#define PREFIX_AUTONOMOUS 0x40

struct out {
	uint8_t *buf;
	size_t size, len;
	int full;
};

static uint8_t *take(struct out *o, size_t n)
{
	uint8_t *p;

	if (o->full || o->len + n > o->size) {
		o->full = 1;
		return NULL;
	}
	p = o->buf + o->len;
	memset(p, 0, n);
	o->len += n;
	return p;
}

static void be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void be32(uint8_t *p, uint32_t v)
{
	be16(p, (uint16_t)(v >> 16));
	be16(p + 2, (uint16_t)v);
}

/* type 134, code 0, checksum (the kernel's), hop limit, flags (no DHCPv6:
 * M and O clear), router lifetime, reachable time and retransmit timer
 * left to the host (0) */
static void header(struct out *o, const struct ra_params *p)
{
	uint8_t *h = take(o, 16);

	if (!h)
		return;
	h[0] = ND_RA_TYPE;
	h[4] = p->hop_limit;
	be16(h + 6, p->router_lifetime_s);
}

static void prefix_option(struct out *o, const struct in6_addr *prefix, uint8_t len, uint8_t flags,
			  uint32_t valid_s, uint32_t preferred_s)
{
	uint8_t *opt = take(o, 32);
	unsigned bits = len > 128 ? 128 : len;

	if (!opt)
		return;
	opt[0] = OPT_PREFIX;
	opt[1] = 4;
	opt[2] = (uint8_t)bits;
	opt[3] = flags;
	be32(opt + 4, valid_s);
	be32(opt + 8, preferred_s);
	for (unsigned i = 0; i < 16 && bits; i++) {
		unsigned b = bits > 8 ? 8 : bits;

		opt[16 + i] = prefix->s6_addr[i] & (uint8_t)(0xff00u >> b);
		bits -= b;
	}
}

static void rdnss_option(struct out *o, const struct in6_addr *dns, unsigned n, uint32_t lifetime)
{
	uint8_t *opt;

	if (!n)
		return;
	opt = take(o, 8 + 16 * (size_t)n);
	if (!opt)
		return;
	opt[0] = OPT_RDNSS;
	opt[1] = (uint8_t)(1 + 2 * n);
	be32(opt + 4, lifetime);
	memcpy(opt + 8, dns, 16 * (size_t)n);
}

size_t ra_build(const struct ra_params *p, uint8_t *buf, size_t size)
{
	struct out o = { buf, size, 0, 0 };
	unsigned n = p->n_dns > RA_MAX_DNS ? RA_MAX_DNS : p->n_dns;
	unsigned old = p->n_old_dns > RA_MAX_DNS ? RA_MAX_DNS : p->n_old_dns;

	header(&o, p);
	prefix_option(&o, &p->prefix, p->prefix_len, PREFIX_ON_LINK | PREFIX_AUTONOMOUS, p->valid_s,
		      p->preferred_s);
	if (p->bridged_len)
		prefix_option(&o, &p->bridged_prefix, p->bridged_len, PREFIX_AUTONOMOUS,
			      p->bridged_valid_s, p->bridged_preferred_s);
	if (p->old_bridged_len)
		prefix_option(&o, &p->old_bridged_prefix, p->old_bridged_len, PREFIX_AUTONOMOUS, 0, 0);
	rdnss_option(&o, p->dns, n, p->dns_lifetime_s);
	rdnss_option(&o, p->old_dns, old, 0);
	return o.full ? 0 : o.len;
}

/* ---- the uplink's DNS servers ---------------------------------------------- */

int ra_dns_usable(const struct in6_addr *a)
{
	const uint8_t *b = a->s6_addr;

	if (b[0] == 0xff || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80))
		return 0;	/* multicast, link-local */
	return !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_LOOPBACK(a) &&
	       !IN6_IS_ADDR_V4MAPPED(a) && !IN6_IS_ADDR_V4COMPAT(a);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void take_rdnss(const uint8_t *opt, size_t size, struct ra_dns *out)
{
	uint32_t lifetime = get32(opt + 4);
	struct in6_addr a;

	for (size_t off = 8; off + 16 <= size; off += 16) {
		memcpy(&a, opt + off, 16);
		if (!ra_dns_usable(&a)) {
			out->skipped++;
		} else if (out->n < RA_MAX_DNS) {
			out->lifetime_s[out->n] = lifetime;
			out->addr[out->n++] = a;
		}
	}
}

int ra_parse_rdnss(const uint8_t *opts, size_t len, struct ra_dns *out)
{
	size_t off = 0;
	int found = 0;

	memset(out, 0, sizeof(*out));
	while (off + 2 <= len) {
		size_t size = (size_t)opts[off + 1] * 8;

		if (!size || off + size > len)
			break;	/* malformed: the rest cannot be trusted */
		/* RFC 8106: length 3 or more, odd (header and whole addresses) */
		if (opts[off] == OPT_RDNSS && size >= 24 && (opts[off + 1] & 1)) {
			take_rdnss(opts + off, size, out);
			found++;
		}
		off += size;
	}
	return found;
}
