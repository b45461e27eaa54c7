#include "mdns_wire.h"

#include <stdio.h>
#include <string.h>

#define MAX_POINTERS 64		/* more than any honest name needs */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

int mdns_is_response(const uint8_t *msg, size_t len)
{
	return len >= MDNS_HEADER && (msg[2] & 0x80);
}

/* A pointer must point before the label that holds it: no loops. */
int mdns_read_name(const uint8_t *msg, size_t len, size_t off, uint8_t *out, size_t *next)
{
	size_t n = 0, limit = off;
	int pointers = 0, jumped = 0;

	for (;;) {
		uint8_t c;

		if (off >= len)
			return -1;
		c = msg[off];
		if ((c & 0xc0) == 0xc0) {
			size_t to;

			if (off + 1 >= len || ++pointers > MAX_POINTERS)
				return -1;
			to = (size_t)(c & 0x3f) << 8 | msg[off + 1];
			if (to >= limit)
				return -1;
			if (!jumped)
				*next = off + 2;
			jumped = 1;
			limit = to;
			off = to;
			continue;
		}
		if (c & 0xc0)
			return -1;	/* 0x40 and 0x80: extended label types, not used */
		if (off + 1 + c > len || n + 1 + c > MDNS_NAME_MAX)
			return -1;
		memcpy(out + n, msg + off, (size_t)c + 1);
		n += (size_t)c + 1;
		off += (size_t)c + 1;
		if (c == 0)
			break;
	}
	if (!jumped)
		*next = off;
	return (int)n;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int mdns_name_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	if (alen != blen)
		return 0;
	for (size_t k = 0; k < alen; k++)
		if (lower(a[k]) != lower(b[k]))
			return 0;
	return 1;
}

void mdns_name_text(const uint8_t *name, size_t len, char *out, size_t size)
{
	size_t o = 0, k = 0;

	if (!size)
		return;
	while (k < len && name[k] && o + 1 < size) {
		size_t l = name[k++];

		for (size_t j = 0; j < l && k < len && o + 2 < size; j++, k++) {
			if (name[k] == '.' || name[k] == '\\')
				out[o++] = '\\';
			out[o++] = (char)(name[k] >= ' ' && name[k] < 127 ? name[k] : '?');
		}
		if (o + 1 < size)
			out[o++] = '.';
	}
	out[o] = '\0';
}

int mdns_name_add(uint8_t *name, size_t *len, const char *label, size_t label_len)
{
	if (!label_len || label_len > 63 || *len + 1 + label_len + 1 > MDNS_NAME_MAX)
		return -1;
	name[(*len)++] = (uint8_t)label_len;
	memcpy(name + *len, label, label_len);
	*len += label_len;
	return 0;
}

int mdns_name_add_dotted(uint8_t *name, size_t *len, const char *s, int final)
{
	while (*s) {
		size_t l = strcspn(s, ".");

		if (mdns_name_add(name, len, s, l) < 0)
			return -1;
		s += l;
		if (*s == '.')
			s++;
	}
	if (final) {
		if (*len + 1 > MDNS_NAME_MAX)
			return -1;
		name[(*len)++] = 0;
	}
	return 0;
}

/* One question or record at *off; -1 when cut short. */
static int read_item(const uint8_t *msg, size_t len, size_t *off, struct mdns_item *it)
{
	int n = mdns_read_name(msg, len, *off, it->name, off);

	if (n < 0 || *off + 4 > len)
		return -1;
	it->name_len = (size_t)n;
	it->type_off = *off;
	it->type = get16(msg + *off);
	it->class = get16(msg + *off + 2);
	*off += 4;
	if (it->section == MDNS_QUESTION)
		return 0;
	if (*off + 6 > len)
		return -1;
	it->ttl = get32(msg + *off);
	it->rdlen = get16(msg + *off + 4);
	it->rdata_off = *off + 6;
	*off += 6;
	if (*off + it->rdlen > len)
		return -1;
	*off += it->rdlen;
	return 0;
}

int mdns_walk(const uint8_t *msg, size_t len,
	      int (*visit)(void *arg, const struct mdns_item *it), void *arg)
{
	struct mdns_item it;
	size_t off = MDNS_HEADER;

	if (len < MDNS_HEADER)
		return -1;
	for (int s = MDNS_QUESTION; s <= MDNS_ADDITIONAL; s++) {
		unsigned count = get16(msg + 4 + 2 * s);

		for (unsigned k = 0; k < count; k++) {
			memset(&it, 0, sizeof(it));
			it.section = (enum mdns_section)s;
			if (read_item(msg, len, &off, &it) < 0)
				return -1;
			if (visit && visit(arg, &it))
				return 1;
		}
	}
	return 0;
}

/* ---- the reflector's rewriting --------------------------------------------- */

struct rewrite_walk {
	uint8_t *msg;
	const struct mdns_rewrite *rw;
	struct mdns_rewrite_count *count;
};

static int inside4(const struct mdns_rewrite *rw, const uint8_t *a)
{
	struct in_addr x;

	memcpy(&x, a, 4);
	return rw->mask4.s_addr && (x.s_addr & rw->mask4.s_addr) == (rw->net4.s_addr & rw->mask4.s_addr);
}

static int inside6(const struct mdns_rewrite *rw, const uint8_t *a)
{
	unsigned bits = rw->len6, full = bits / 8;

	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return 1;	/* link-local: means nothing on the other link */
	if (!bits || memcmp(a, rw->net6.s6_addr, full))
		return 0;
	return bits % 8 == 0 || !((a[full] ^ rw->net6.s6_addr[full]) & (0xff00 >> (bits % 8)));
}

static void withhold(struct rewrite_walk *w, const struct mdns_item *it)
{
	put16(w->msg + it->type_off, MDNS_TYPE_WITHHELD);
	w->count->withheld++;
}

static int rewrite_item(void *arg, const struct mdns_item *it)
{
	struct rewrite_walk *w = arg;
	uint8_t *rdata = w->msg + it->rdata_off;

	if (it->section == MDNS_QUESTION) {
		if (w->rw->clear_unicast && (it->class & MDNS_UNICAST_RESPONSE)) {
			put16(w->msg + it->type_off + 2, (uint16_t)(it->class & 0x7fff));
			w->count->unicast_cleared++;
		}
		return 0;
	}
	if (it->type == MDNS_TYPE_A && it->rdlen == 4 && inside4(w->rw, rdata)) {
		if (!w->rw->to4.s_addr) {
			withhold(w, it);
			return 0;
		}
		memcpy(rdata, &w->rw->to4, 4);
		w->count->replaced++;
	} else if (it->type == MDNS_TYPE_AAAA && it->rdlen == 16 && inside6(w->rw, rdata)) {
		withhold(w, it);
	}
	return 0;
}

/* The walk reads a copy, so that a name compressed into bytes being
 * changed (a hostile message can point into an address) reads as it was;
 * the changed message must then still be well-formed, or it is dropped. */
int mdns_rewrite(uint8_t *msg, size_t len, const struct mdns_rewrite *rw,
		 struct mdns_rewrite_count *count)
{
	static uint8_t original[65536];
	struct rewrite_walk w = { msg, rw, count };

	memset(count, 0, sizeof(*count));
	if (len > sizeof(original))
		return -1;
	memcpy(original, msg, len);
	if (mdns_walk(original, len, rewrite_item, &w) < 0)
		return -1;
	return mdns_walk(msg, len, NULL, NULL) < 0 ? -1 : 0;
}

/* ---- writing ------------------------------------------------------------------ */

static void out_bytes(struct mdns_out *o, const void *p, size_t n)
{
	if (o->overflow || o->cap - o->len < n) {
		o->overflow = 1;
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static void out16(struct mdns_out *o, uint16_t v)
{
	uint8_t b[2];

	put16(b, v);
	out_bytes(o, b, 2);
}

static void count_one(struct mdns_out *o, enum mdns_section s)
{
	if (!o->overflow)
		put16(o->buf + 4 + 2 * s, (uint16_t)(get16(o->buf + 4 + 2 * s) + 1));
}

void mdns_out_start(struct mdns_out *o, uint8_t *buf, size_t cap, uint16_t id, uint16_t flags)
{
	o->buf = buf;
	o->cap = cap;
	o->len = 0;
	o->overflow = 0;
	out16(o, id);
	out16(o, flags);
	for (int k = 0; k < 4; k++)
		out16(o, 0);
}

void mdns_out_question(struct mdns_out *o, const uint8_t *name, size_t name_len, uint16_t type,
		       uint16_t class)
{
	out_bytes(o, name, name_len);
	out16(o, type);
	out16(o, class);
	count_one(o, MDNS_QUESTION);
}

void mdns_out_record(struct mdns_out *o, enum mdns_section s, const uint8_t *name, size_t name_len,
		     uint16_t type, uint16_t class, uint32_t ttl, const void *rdata, size_t rdlen)
{
	if (rdlen > 0xffff) {
		o->overflow = 1;
		return;
	}
	out_bytes(o, name, name_len);
	out16(o, type);
	out16(o, class);
	out16(o, (uint16_t)(ttl >> 16));
	out16(o, (uint16_t)ttl);
	out16(o, (uint16_t)rdlen);
	out_bytes(o, rdata, rdlen);
	count_one(o, s);
}
