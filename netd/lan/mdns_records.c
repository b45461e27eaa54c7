#include "mdns_records.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

enum { W_ENUM = 1, W_PTR = 2, W_SRV = 4, W_TXT = 8 };

/* What a response carries: per service, in the answers and the additional. */
struct wanted {
	uint8_t answer[MDNS_SERVICES_MAX], extra[MDNS_SERVICES_MAX];
	int answer_a, extra_a;
};

struct names {
	uint8_t type[MDNS_NAME_MAX], inst[MDNS_NAME_MAX];
	size_t type_len, inst_len;
};

static const uint8_t enum_name[] = "\x09_services\x07_dns-sd\x04_udp\x05local";	/* + root */
#define ENUM_NAME_LEN sizeof(enum_name)

void mdns_zone_set_host(struct mdns_zone *z, const char *hostname)
{
	char label[64];
	size_t n = 0;

	for (const char *p = hostname; *p && *p != '.' && n < 63; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-')
			label[n++] = *p;
	if (!n) {
		strcpy(label, "wifibox");
		n = strlen(label);
	}
	z->host_len = 0;
	mdns_name_add(z->host, &z->host_len, label, n);
	mdns_name_add_dotted(z->host, &z->host_len, "local", 1);
}

static void names_of(const struct mdns_service *s, struct names *n)
{
	n->type_len = n->inst_len = 0;
	mdns_name_add_dotted(n->type, &n->type_len, s->type, 0);
	mdns_name_add_dotted(n->type, &n->type_len, "local", 1);
	mdns_name_add(n->inst, &n->inst_len, s->name, strlen(s->name));
	memcpy(n->inst + n->inst_len, n->type, n->type_len);
	n->inst_len += n->type_len;
}

/* The first service of the same type: one enumeration record per type. */
static int first_of_type(const struct mdns_service_list *l, size_t k)
{
	for (size_t j = 0; j < k; j++)
		if (!strcasecmp(l->s[j].type, l->s[k].type))
			return 0;
	return 1;
}

static int asks(uint16_t qtype, uint16_t type)
{
	return qtype == type || qtype == MDNS_TYPE_ANY;
}

struct ask_walk {
	const struct mdns_zone *z;
	struct wanted *w;
};

static void want_service(struct wanted *w, size_t k, uint8_t answer, uint8_t extra)
{
	w->answer[k] |= answer;
	w->extra[k] |= extra;
	if (extra & W_SRV)
		w->extra_a = 1;
}

static int ask_item(void *arg, const struct mdns_item *it)
{
	struct ask_walk *a = arg;
	const struct mdns_service_list *l = a->z->services;
	struct names n;

	if (it->section != MDNS_QUESTION)
		return 0;
	if (asks(it->type, MDNS_TYPE_A) && mdns_name_eq(it->name, it->name_len, a->z->host, a->z->host_len))
		a->w->answer_a = 1;
	for (size_t k = 0; k < l->n; k++) {
		names_of(&l->s[k], &n);
		if (asks(it->type, MDNS_TYPE_PTR) && first_of_type(l, k) &&
		    mdns_name_eq(it->name, it->name_len, enum_name, ENUM_NAME_LEN))
			want_service(a->w, k, W_ENUM, 0);
		if (asks(it->type, MDNS_TYPE_PTR) && mdns_name_eq(it->name, it->name_len, n.type, n.type_len))
			want_service(a->w, k, W_PTR, W_SRV | W_TXT);
		if (!mdns_name_eq(it->name, it->name_len, n.inst, n.inst_len))
			continue;
		if (asks(it->type, MDNS_TYPE_SRV))
			want_service(a->w, k, W_SRV, W_SRV);
		if (asks(it->type, MDNS_TYPE_TXT))
			want_service(a->w, k, W_TXT, 0);
	}
	return 0;
}

static void add_a(struct mdns_out *o, const struct mdns_zone *z, enum mdns_section s, uint32_t ttl)
{
	mdns_out_record(o, s, z->host, z->host_len, MDNS_TYPE_A, MDNS_CLASS_IN | MDNS_CACHE_FLUSH, ttl,
			&z->addr, 4);
}

static void add_service(struct mdns_out *o, const struct mdns_zone *z, size_t k, uint8_t which,
			enum mdns_section s, int goodbye)
{
	const struct mdns_service *sv = &z->services->s[k];
	uint32_t host_ttl = goodbye ? 0 : MDNS_TTL_HOST_RECORDS;
	uint32_t other_ttl = goodbye ? 0 : MDNS_TTL_OTHER_RECORDS;
	uint8_t srv[6 + MDNS_NAME_MAX];
	struct names n;

	names_of(sv, &n);
	if (which & W_ENUM)
		mdns_out_record(o, s, enum_name, ENUM_NAME_LEN, MDNS_TYPE_PTR, MDNS_CLASS_IN, other_ttl,
				n.type, n.type_len);
	if (which & W_PTR)
		mdns_out_record(o, s, n.type, n.type_len, MDNS_TYPE_PTR, MDNS_CLASS_IN, other_ttl, n.inst,
				n.inst_len);
	if (which & W_SRV) {
		memset(srv, 0, 4);	/* priority, weight */
		srv[4] = (uint8_t)(sv->port >> 8);
		srv[5] = (uint8_t)sv->port;
		memcpy(srv + 6, z->host, z->host_len);
		mdns_out_record(o, s, n.inst, n.inst_len, MDNS_TYPE_SRV, MDNS_CLASS_IN | MDNS_CACHE_FLUSH,
				host_ttl, srv, 6 + z->host_len);
	}
	if (which & W_TXT)
		mdns_out_record(o, s, n.inst, n.inst_len, MDNS_TYPE_TXT, MDNS_CLASS_IN | MDNS_CACHE_FLUSH,
				other_ttl, sv->txt, sv->txt_len);
}

static int build(const struct mdns_zone *z, const struct wanted *w, uint8_t *out, size_t cap)
{
	struct mdns_out o;
	int any = w->answer_a;

	mdns_out_start(&o, out, cap, 0, MDNS_FLAG_RESPONSE);
	for (size_t k = 0; k < z->services->n; k++) {
		add_service(&o, z, k, w->answer[k], MDNS_ANSWER, 0);
		any |= w->answer[k];
	}
	if (!any)
		return 0;
	if (w->answer_a)
		add_a(&o, z, MDNS_ANSWER, MDNS_TTL_HOST_RECORDS);
	for (size_t k = 0; k < z->services->n; k++)
		add_service(&o, z, k, w->extra[k] & ~w->answer[k], MDNS_ADDITIONAL, 0);
	if (w->extra_a && !w->answer_a)
		add_a(&o, z, MDNS_ADDITIONAL, MDNS_TTL_HOST_RECORDS);
	return o.overflow ? -1 : (int)o.len;
}

int mdns_answer(const struct mdns_zone *z, const uint8_t *q, size_t qlen, uint8_t *out, size_t cap)
{
	struct wanted w;
	struct ask_walk a = { z, &w };

	memset(&w, 0, sizeof(w));
	if (qlen < MDNS_HEADER)
		return -1;
	if (mdns_is_response(q, qlen))
		return mdns_walk(q, qlen, NULL, NULL) < 0 ? -1 : 0;
	if (mdns_walk(q, qlen, ask_item, &a) < 0)
		return -1;
	if (!z->addr.s_addr)
		return 0;
	return build(z, &w, out, cap);
}

int mdns_announcement(const struct mdns_zone *z, size_t k, int goodbye, uint8_t *out, size_t cap)
{
	struct mdns_out o;

	if (k >= z->services->n)
		return -1;
	mdns_out_start(&o, out, cap, 0, MDNS_FLAG_RESPONSE);
	add_service(&o, z, k, W_ENUM | W_PTR | W_SRV | W_TXT, MDNS_ANSWER, goodbye);
	add_a(&o, z, MDNS_ANSWER, goodbye ? 0 : MDNS_TTL_HOST_RECORDS);
	return o.overflow ? -1 : (int)o.len;
}
