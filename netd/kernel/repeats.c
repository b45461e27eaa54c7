#include "repeats.h"

#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#define NLMSG_HEAD 16		/* struct nlmsghdr */
#define ADDR6_BODY 28		/* struct ifaddrmsg, then the address attribute (4 + 16) */
#define ADDR6_KEY 4		/* from the ifindex on: which address on which link */
#define NDOPT_HEAD 16		/* struct nduseroptmsg, in the body */

static uint16_t host16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* What BPF's absolute loads see: the bytes in network order. */
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t type_as_loaded(uint16_t type)
{
	uint8_t b[2];

	memcpy(b, &type, sizeof(b));
	return (uint32_t)b[0] << 8 | b[1];
}

static void drop_entry(struct repeats *t, unsigned k)
{
	t->r[k] = t->r[--t->n];
}

/* ---- addresses ------------------------------------------------------------------ */

/* The first bytes of an IPv6 address message: ifaddrmsg (family,
 * prefix length, flags, scope, ifindex) and the attribute the kernel
 * always puts first, the address. NULL when it is not one. */
static const uint8_t *addr6_body(const uint8_t *msg, size_t len)
{
	const uint8_t *b = msg + NLMSG_HEAD;
	uint16_t attr = len >= NLMSG_HEAD + ADDR6_BODY ? host16(b + 10) : 0;

	if (len < NLMSG_HEAD + ADDR6_BODY || b[0] != AF_INET6 || host16(b + 8) != 4 + 16 ||
	    (attr != IFA_ADDRESS && attr != IFA_LOCAL))
		return NULL;
	return b;
}

static int find_addr6(const struct repeats *t, const uint8_t *body)
{
	for (unsigned k = 0; k < t->n; k++)
		if (t->r[k].kind == REPEAT_ADDR6 &&
		    !memcmp(t->r[k].body + ADDR6_KEY, body + ADDR6_KEY, ADDR6_BODY - ADDR6_KEY))
			return (int)k;
	return -1;
}

enum repeat_change repeats_addr6(struct repeats *t, const uint8_t *msg, size_t len)
{
	uint16_t type = len >= NLMSG_HEAD ? host16(msg + 4) : 0;
	const uint8_t *body = addr6_body(msg, len);
	int k;

	if (!body || (type != RTM_NEWADDR && type != RTM_DELADDR))
		return REPEATS_SAME;
	k = find_addr6(t, body);
	if (type == RTM_DELADDR) {
		if (k < 0)
			return REPEATS_SAME;
		drop_entry(t, (unsigned)k);
		return REPEATS_RESYNC;
	}
	if (k >= 0) {
		if (!memcmp(t->r[k].body, body, ADDR6_BODY))
			return REPEATS_SAME;
		memcpy(t->r[k].body, body, ADDR6_BODY);
		return REPEATS_RESYNC;
	}
	if (t->n == REPEATS_MAX)
		return REPEATS_SAME;	/* not dropped: passed on every time */
	t->r[t->n] = (struct repeat){ .kind = REPEAT_ADDR6, .type = RTM_NEWADDR, .len = ADDR6_BODY };
	memcpy(t->r[t->n++].body, body, ADDR6_BODY);
	return REPEATS_GREW;
}

/* Drops every entry of one kind; how many went. */
static unsigned drop_kind(struct repeats *t, enum repeat_kind kind)
{
	unsigned before = t->n;

	for (unsigned k = 0; k < t->n;)
		if (t->r[k].kind == kind)
			drop_entry(t, k);
		else
			k++;
	return before - t->n;
}

void repeats_forget_addr6(struct repeats *t)
{
	drop_kind(t, REPEAT_ADDR6);
}

/* ---- user options --------------------------------------------------------------- */

/* Where an option message comes from: its link, the option's type and
 * the router's address (the attribute after the options). */
struct ndopt_source {
	const uint8_t *ifindex, *tail;
	uint8_t opt_type;
	size_t tail_len;
};

/* The body (nduseroptmsg, one option, the router's address): 0 when it
 * is not one. */
static int ndopt_source(const uint8_t *body, size_t len, struct ndopt_source *s)
{
	size_t opts_len = len >= NDOPT_HEAD ? host16(body + 2) : 0;

	if (len < NDOPT_HEAD || body[0] != AF_INET6 || !opts_len || opts_len > len - NDOPT_HEAD)
		return 0;
	s->ifindex = body + 4;
	s->opt_type = body[NDOPT_HEAD];
	s->tail = body + NDOPT_HEAD + opts_len;
	s->tail_len = len - NDOPT_HEAD - opts_len;
	return 1;
}

static int same_source(const struct ndopt_source *a, const struct ndopt_source *b)
{
	return !memcmp(a->ifindex, b->ifindex, 4) && a->opt_type == b->opt_type &&
	       a->tail_len == b->tail_len && !memcmp(a->tail, b->tail, a->tail_len);
}

/* Takes out the entries of src's router and kind; the index of one equal
 * to body (kept), or -1. *gone counts what went. */
static int replace_source(struct repeats *t, const struct ndopt_source *src, const uint8_t *body,
			  size_t len, int *gone)
{
	int same = -1;

	for (unsigned k = 0; k < t->n;) {
		struct repeat *e = &t->r[k];
		struct ndopt_source s;

		if (e->kind != REPEAT_NDOPT || !ndopt_source(e->body, e->len, &s) || !same_source(&s, src)) {
			k++;
		} else if (e->len == len && !memcmp(e->body, body, len)) {
			same = (int)k++;
		} else {
			drop_entry(t, k);
			(*gone)++;
		}
	}
	return same;
}

/* A slot for a new option entry: a free one, else the option entry due
 * first; -1 when the table holds only addresses. */
static int ndopt_slot(struct repeats *t)
{
	int first = -1;

	if (t->n < REPEATS_MAX)
		return (int)t->n++;
	for (unsigned k = 0; k < t->n; k++)
		if (t->r[k].kind == REPEAT_NDOPT && (first < 0 || t->r[k].until_ms < t->r[first].until_ms))
			first = (int)k;
	return first;
}

enum repeat_change repeats_ndopt(struct repeats *t, const uint8_t *msg, size_t len, uint64_t until_ms)
{
	const uint8_t *body = msg + NLMSG_HEAD;
	size_t blen = len >= NLMSG_HEAD ? len - NLMSG_HEAD : 0;
	struct ndopt_source src;
	int gone = 0, same, slot;

	if (len < NLMSG_HEAD || host16(msg + 4) != RTM_NEWNDUSEROPT || !ndopt_source(body, blen, &src))
		return REPEATS_SAME;
	same = replace_source(t, &src, body, blen, &gone);
	if (same >= 0 && until_ms) {
		t->r[same].until_ms = until_ms;
		return gone ? REPEATS_GREW : REPEATS_SAME;
	}
	if (same >= 0) {
		drop_entry(t, (unsigned)same);
		return REPEATS_GREW;
	}
	/* a body the program compares a word at a time, short enough for its jumps */
	if (!until_ms || blen > REPEAT_BODY_MAX || blen % 4 || (slot = ndopt_slot(t)) < 0)
		return gone ? REPEATS_GREW : REPEATS_SAME;
	t->r[slot] = (struct repeat){ .kind = REPEAT_NDOPT, .type = RTM_NEWNDUSEROPT, .len = (uint16_t)blen,
				      .until_ms = until_ms };
	memcpy(t->r[slot].body, body, blen);
	return REPEATS_GREW;
}

enum repeat_change repeats_forget_ndopt(struct repeats *t)
{
	return drop_kind(t, REPEAT_NDOPT) ? REPEATS_GREW : REPEATS_SAME;
}

uint64_t repeats_expire(struct repeats *t, uint64_t now_ms, int *changed)
{
	uint64_t next = 0;

	for (unsigned k = 0; k < t->n;) {
		const struct repeat *e = &t->r[k];

		if (e->kind == REPEAT_NDOPT && e->until_ms <= now_ms) {
			drop_entry(t, k);
			*changed = 1;
			continue;
		}
		if (e->kind == REPEAT_NDOPT && (!next || e->until_ms < next))
			next = e->until_ms;
		k++;
	}
	return next;
}

/* ---- the program ---------------------------------------------------------------- */

struct emitter {
	struct sock_filter *prog;
	unsigned n, max;
};

static void emit(struct emitter *em, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (em->n < em->max)
		em->prog[em->n] = (struct sock_filter){ .code = code, .jt = jt, .jf = jf, .k = k };
	em->n++;
}

/* One entry: its length, its type, its body a word at a time; all equal,
 * the message is dropped, else on to the next entry. Each jump lands on
 * the next entry, counted from the instruction after it. */
static void emit_entry(struct emitter *em, const struct repeat *e)
{
	unsigned words = e->len / 4, size = 4 + 2 * words + 1, end = em->n + size;
	uint16_t len_test = e->kind == REPEAT_NDOPT ? BPF_JEQ : BPF_JGE;

#define SKIP ((uint8_t)(end - em->n - 1))
	emit(em, BPF_LD | BPF_W | BPF_LEN, 0, 0, 0);
	emit(em, BPF_JMP | len_test | BPF_K, 0, SKIP, NLMSG_HEAD + e->len);
	emit(em, BPF_LD | BPF_H | BPF_ABS, 0, 0, 4);
	emit(em, BPF_JMP | BPF_JEQ | BPF_K, 0, SKIP, type_as_loaded(e->type));
	for (unsigned w = 0; w < words; w++) {
		emit(em, BPF_LD | BPF_W | BPF_ABS, 0, 0, NLMSG_HEAD + 4 * w);
		emit(em, BPF_JMP | BPF_JEQ | BPF_K, 0, SKIP, be32(e->body + 4 * w));
	}
#undef SKIP
	emit(em, BPF_RET | BPF_K, 0, 0, 0);
}

unsigned repeats_program(const struct repeats *t, struct sock_filter *prog, unsigned max)
{
	struct emitter em = { .prog = prog, .max = max };

	for (unsigned k = 0; k < t->n; k++)
		emit_entry(&em, &t->r[k]);
	emit(&em, BPF_RET | BPF_K, 0, 0, 0xffffffffu);
	return em.n <= max ? em.n : 0;
}
