/* mDNS (issue 16): the reflector's rewriting and the responder's answers,
 * on messages written out byte by byte here. */
#include "mdns_records.h"
#include "mdns_wire.h"
#include "check.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

/* A response from the host side: "printer.local A 10.0.0.2" then
 * "printer.local AAAA fd00::2" (name compressed to offset 12),
 * "printer.local AAAA fe80::1", "printer.local AAAA 2001:db8::7",
 * "lan.local A 192.168.50.7". */
static const uint8_t host_response[] = {
	0, 0, 0x84, 0, 0, 0, 0, 5, 0, 0, 0, 0,
	7, 'p', 'r', 'i', 'n', 't', 'e', 'r', 5, 'l', 'o', 'c', 'a', 'l', 0,	/* offset 12 */
	0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, 10, 0, 0, 2,
	0xc0, 12, 0, 28, 0x80, 1, 0, 0, 0, 120, 0, 16,
	0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	0xc0, 12, 0, 28, 0x80, 1, 0, 0, 0, 120, 0, 16,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0xc0, 12, 0, 28, 0x80, 1, 0, 0, 0, 120, 0, 16,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7,
	3, 'l', 'a', 'n', 0xc0, 20, 0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, 192, 168, 50, 7,
};

/* A query with the unicast-response bit: "_ipp._tcp.local PTR" (QU). */
static const uint8_t qu_query[] = {
	0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
	4, '_', 'i', 'p', 'p', 4, '_', 't', 'c', 'p', 5, 'l', 'o', 'c', 'a', 'l', 0,
	0, 12, 0x80, 1,
};

struct seen {
	unsigned n;
	uint16_t type[8];
	char name[8][64];
};

static int collect(void *arg, const struct mdns_item *it)
{
	struct seen *s = arg;

	if (s->n == 8)
		return 1;
	s->type[s->n] = it->type;
	mdns_name_text(it->name, it->name_len, s->name[s->n], sizeof(s->name[0]));
	s->n++;
	return 0;
}

static void rules_to_wifi(struct mdns_rewrite *rw)
{
	memset(rw, 0, sizeof(*rw));
	rw->clear_unicast = 1;
	inet_pton(AF_INET, "10.0.0.1", &rw->net4);
	inet_pton(AF_INET, "255.255.255.0", &rw->mask4);
	inet_pton(AF_INET, "192.168.50.150", &rw->to4);
	inet_pton(AF_INET6, "fd00::ffff", &rw->net6);
	rw->len6 = 64;
}

TEST(host_addresses_become_the_guests_or_are_withheld_on_the_way_to_the_wifi)
{
	uint8_t m[sizeof(host_response)];
	struct mdns_rewrite rw;
	struct mdns_rewrite_count c;
	struct seen s = { 0 };

	memcpy(m, host_response, sizeof(m));
	rules_to_wifi(&rw);
	CHECK_INT(mdns_rewrite(m, sizeof(m), &rw, &c), 0);
	CHECK_INT(c.replaced, 1);
	CHECK_INT(c.withheld, 2);
	/* the A record now carries the guest's Wi-Fi address */
	CHECK(!memcmp(m + 12 + 15 + 10, "\xc0\xa8\x32\x96", 4));
	/* fd00::2 and fe80::1 are withheld; 2001:db8::7 and the LAN's A stay */
	CHECK_INT(mdns_walk(m, sizeof(m), collect, &s), 0);
	CHECK_INT(s.n, 5);
	CHECK_INT(s.type[0], MDNS_TYPE_A);
	CHECK_INT(s.type[1], MDNS_TYPE_WITHHELD);
	CHECK_INT(s.type[2], MDNS_TYPE_WITHHELD);
	CHECK_INT(s.type[3], MDNS_TYPE_AAAA);
	CHECK_INT(s.type[4], MDNS_TYPE_A);
	CHECK(!memcmp(m + sizeof(m) - 4, "\xc0\xa8\x32\x07", 4));
	/* the compressed names still read the same */
	CHECK_STR(s.name[1], "printer.local.");
	CHECK_STR(s.name[4], "lan.local.");
}

TEST(host_link_addresses_claimed_by_the_wifi_side_are_withheld_on_the_way_to_the_host)
{
	uint8_t m[sizeof(host_response)];
	struct mdns_rewrite rw;
	struct mdns_rewrite_count c;

	memcpy(m, host_response, sizeof(m));
	rules_to_wifi(&rw);
	rw.to4.s_addr = 0;	/* towards the host: nothing to put instead */
	CHECK_INT(mdns_rewrite(m, sizeof(m), &rw, &c), 0);
	CHECK_INT(c.replaced, 0);
	CHECK_INT(c.withheld, 3);
	CHECK(!memcmp(m + 12 + 15 + 10, "\x0a\x00\x00\x02", 4));	/* untouched, but... */
	CHECK_INT(m[12 + 15], 0xff);					/* ...its type is withheld */
	CHECK_INT(m[12 + 15 + 1], 0xfe);
}

TEST(questions_lose_the_unicast_response_bit)
{
	uint8_t m[sizeof(qu_query)];
	struct mdns_rewrite rw;
	struct mdns_rewrite_count c;

	memcpy(m, qu_query, sizeof(m));
	rules_to_wifi(&rw);
	CHECK_INT(mdns_rewrite(m, sizeof(m), &rw, &c), 0);
	CHECK_INT(c.unicast_cleared, 1);
	CHECK_INT(m[sizeof(m) - 2], 0);
	CHECK_INT(m[sizeof(m) - 1], 1);
}

TEST(malformed_messages_are_refused_whole)
{
	uint8_t m[64];
	static const uint8_t loop[] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1 };
	static const uint8_t forward[] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 14, 1, 'a', 0, 0, 1, 0, 1 };
	static const uint8_t long_label[] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 64, 'a' };
	struct mdns_rewrite rw;
	struct mdns_rewrite_count c;

	rules_to_wifi(&rw);
	CHECK_INT(mdns_walk(loop, sizeof(loop), NULL, NULL), -1);
	CHECK_INT(mdns_walk(forward, sizeof(forward), NULL, NULL), -1);
	CHECK_INT(mdns_walk(long_label, sizeof(long_label), NULL, NULL), -1);
	CHECK_INT(mdns_walk(host_response, 11, NULL, NULL), -1);
	/* cut inside the last record's data */
	CHECK_INT(mdns_walk(host_response, sizeof(host_response) - 1, NULL, NULL), -1);
	/* one more record counted than there is */
	memcpy(m, qu_query, sizeof(qu_query));
	m[5] = 2;
	CHECK_INT(mdns_rewrite(m, sizeof(qu_query), &rw, &c), -1);
	CHECK_INT(mdns_walk(host_response, sizeof(host_response), NULL, NULL), 0);
}

/* A hostile message compresses a name into an A record's address (bytes
 * that read as labels): rewriting the address changes that name. The
 * rewrite reads the message as it came, and a result that no longer
 * reads is dropped, never passed on. */
TEST(a_name_compressed_into_a_rewritten_address_is_dropped_not_passed_on)
{
	uint8_t m[] = {
		0, 0, 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 0,
		/* 12: "x.local" A 10.0.0.2; the address bytes 10,0,0,2 read as
		 * a label of 10 bytes... only while they are 10.x */
		1, 'x', 5, 'l', 'o', 'c', 'a', 'l', 0, 0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, 1, 'y', 0, 2,
		/* 35: a name pointing at the address (offset 31): "y." then... */
		0xc0, 31, 0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, 192, 168, 50, 7,
	};
	struct mdns_rewrite rw;
	struct mdns_rewrite_count c;

	CHECK_INT(mdns_walk(m, sizeof(m), NULL, NULL), 0);
	rules_to_wifi(&rw);
	/* 1.121.0.2 is not in 10.0.0.0/24: rewrite 1.x addresses instead */
	inet_pton(AF_INET, "1.121.0.0", &rw.net4);
	inet_pton(AF_INET, "255.255.0.0", &rw.mask4);
	CHECK_INT(mdns_rewrite(m, sizeof(m), &rw, &c), -1);
	CHECK_INT(c.replaced, 1);
}

/* ---- the responder ---------------------------------------------------------- */

static struct mdns_service_list services;
static struct mdns_zone zone;

static void setup_zone(void)
{
	memset(&services, 0, sizeof(services));
	services.n = 2;
	strcpy(services.s[0].name, "Host's printer");
	strcpy(services.s[0].type, "_ipp._tcp");
	services.s[0].port = 631;
	memcpy(services.s[0].txt, "\x06rp=ipp", 7);
	services.s[0].txt_len = 7;
	strcpy(services.s[1].name, "my.web");
	strcpy(services.s[1].type, "_http._tcp");
	services.s[1].port = 8080;
	services.s[1].txt_len = 1;
	memset(&zone, 0, sizeof(zone));
	zone.services = &services;
	mdns_zone_set_host(&zone, "wifibox.example");
	inet_pton(AF_INET, "192.168.50.150", &zone.addr);
}

struct records {
	unsigned n, answers;
	struct {
		enum mdns_section section;
		char name[128];
		uint16_t type;
		uint32_t ttl;
		uint8_t rdata[64];
		uint16_t rdlen;
	} r[16];
	const uint8_t *msg;
};

static int keep(void *arg, const struct mdns_item *it)
{
	struct records *x = arg;

	if (x->n == 16)
		return 1;
	x->r[x->n].section = it->section;
	mdns_name_text(it->name, it->name_len, x->r[x->n].name, sizeof(x->r[0].name));
	x->r[x->n].type = it->type;
	x->r[x->n].ttl = it->ttl;
	x->r[x->n].rdlen = it->rdlen;
	memcpy(x->r[x->n].rdata, x->msg + it->rdata_off, it->rdlen < 64 ? it->rdlen : 64);
	x->answers += it->section == MDNS_ANSWER;
	x->n++;
	return 0;
}

static int find(const struct records *x, enum mdns_section s, const char *name, uint16_t type)
{
	for (unsigned k = 0; k < x->n; k++)
		if (x->r[k].section == s && x->r[k].type == type && !strcasecmp(x->r[k].name, name))
			return (int)k;
	return -1;
}

static int ask(const char *name, uint16_t type, struct records *x)
{
	static uint8_t q[512], out[MDNS_MSG_CAP];
	uint8_t wire[MDNS_NAME_MAX];
	size_t wl = 0;
	struct mdns_out o;
	int n;

	mdns_name_add_dotted(wire, &wl, name, 1);
	mdns_out_start(&o, q, sizeof(q), 0, 0);
	mdns_out_question(&o, wire, wl, type, MDNS_CLASS_IN);
	n = mdns_answer(&zone, q, o.len, out, sizeof(out));
	memset(x, 0, sizeof(*x));
	x->msg = out;
	if (n > 0 && mdns_walk(out, (size_t)n, keep, x) != 0)
		return -2;
	return n;
}

TEST(browsing_a_type_gets_the_instance_with_its_srv_txt_and_address)
{
	struct records x;
	int k;

	setup_zone();
	CHECK(ask("_ipp._tcp.local", MDNS_TYPE_PTR, &x) > 0);
	CHECK_INT(x.answers, 1);
	k = find(&x, MDNS_ANSWER, "_ipp._tcp.local.", MDNS_TYPE_PTR);
	CHECK(k >= 0);
	k = find(&x, MDNS_ADDITIONAL, "Host's printer._ipp._tcp.local.", MDNS_TYPE_SRV);
	CHECK(k >= 0);
	if (k >= 0) {
		CHECK_INT(x.r[k].rdata[4] << 8 | x.r[k].rdata[5], 631);
		CHECK_INT(x.r[k].ttl, MDNS_TTL_HOST_RECORDS);
	}
	k = find(&x, MDNS_ADDITIONAL, "Host's printer._ipp._tcp.local.", MDNS_TYPE_TXT);
	CHECK(k >= 0 && x.r[k].rdlen == 7 && !memcmp(x.r[k].rdata, "\x06rp=ipp", 7));
	k = find(&x, MDNS_ADDITIONAL, "wifibox.local.", MDNS_TYPE_A);
	CHECK(k >= 0 && !memcmp(x.r[k].rdata, "\xc0\xa8\x32\x96", 4));
	/* the other service is not in it */
	CHECK(find(&x, MDNS_ADDITIONAL, "my\\.web._http._tcp.local.", MDNS_TYPE_SRV) < 0);
}

TEST(names_match_whatever_their_case_and_dots_inside_a_label_stay_one_label)
{
	struct records x;
	uint8_t q[128], out[MDNS_MSG_CAP], wire[MDNS_NAME_MAX];
	size_t wl = 0;
	struct mdns_out o;

	setup_zone();
	CHECK(ask("WIFIBOX.LOCAL", MDNS_TYPE_A, &x) > 0);
	CHECK(find(&x, MDNS_ANSWER, "wifibox.local.", MDNS_TYPE_A) >= 0);
	/* "my.web" is one label: asked as such it answers... */
	mdns_name_add(wire, &wl, "my.web", 6);
	mdns_name_add_dotted(wire, &wl, "_http._tcp.local", 1);
	mdns_out_start(&o, q, sizeof(q), 0, 0);
	mdns_out_question(&o, wire, wl, MDNS_TYPE_SRV, MDNS_CLASS_IN);
	CHECK(mdns_answer(&zone, q, o.len, out, sizeof(out)) > 0);
	/* ...as two labels it is another name */
	CHECK_INT(ask("my.web._http._tcp.local", MDNS_TYPE_SRV, &x), 0);
}

TEST(nothing_of_ours_asked_gets_no_answer)
{
	struct records x;

	setup_zone();
	CHECK_INT(ask("_printer._tcp.local", MDNS_TYPE_PTR, &x), 0);
	CHECK_INT(ask("wifibox.local", MDNS_TYPE_AAAA, &x), 0);
	/* no address on the Wi-Fi yet: silence */
	zone.addr.s_addr = 0;
	CHECK_INT(ask("wifibox.local", MDNS_TYPE_A, &x), 0);
}

TEST(a_response_is_never_answered)
{
	uint8_t out[MDNS_MSG_CAP];

	setup_zone();
	CHECK_INT(mdns_answer(&zone, host_response, sizeof(host_response), out, sizeof(out)), 0);
	CHECK_INT(mdns_answer(&zone, host_response, 20, out, sizeof(out)), -1);
}

TEST(browsing_for_types_lists_each_type_once)
{
	struct records x;

	setup_zone();
	strcpy(services.s[1].type, "_ipp._tcp");	/* two printers */
	CHECK(ask("_services._dns-sd._udp.local", MDNS_TYPE_PTR, &x) > 0);
	CHECK_INT(x.answers, 1);
}

TEST(announcement_and_goodbye_carry_every_record_of_the_service)
{
	uint8_t out[MDNS_MSG_CAP];
	struct records x;
	int n;

	setup_zone();
	n = mdns_announcement(&zone, 0, 0, out, sizeof(out));
	CHECK(n > 0);
	memset(&x, 0, sizeof(x));
	x.msg = out;
	CHECK_INT(mdns_walk(out, (size_t)n, keep, &x), 0);
	CHECK_INT(x.answers, 5);
	CHECK(mdns_is_response(out, (size_t)n));
	CHECK(find(&x, MDNS_ANSWER, "_services._dns-sd._udp.local.", MDNS_TYPE_PTR) >= 0);
	n = mdns_announcement(&zone, 0, 1, out, sizeof(out));
	memset(&x, 0, sizeof(x));
	x.msg = out;
	CHECK_INT(mdns_walk(out, (size_t)n, keep, &x), 0);
	for (unsigned k = 0; k < x.n; k++)
		CHECK_INT(x.r[k].ttl, 0);
	CHECK_INT(mdns_announcement(&zone, 2, 0, out, sizeof(out)), -1);
	CHECK_INT(mdns_announcement(&zone, 0, 0, out, 40), -1);	/* does not fit */
}

TEST(the_host_label_keeps_only_what_a_dns_label_may_hold)
{
	char text[64];

	mdns_zone_set_host(&zone, "my_box.lan");
	mdns_name_text(zone.host, zone.host_len, text, sizeof(text));
	CHECK_STR(text, "mybox.local.");
	mdns_zone_set_host(&zone, "___");
	mdns_name_text(zone.host, zone.host_len, text, sizeof(text));
	CHECK_STR(text, "wifibox.local.");
}
