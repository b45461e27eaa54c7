// SRCS: netd/lan/mdns_wire.c netd/lan/mdns_records.c lib/log.c
/* An mDNS message from the Wi-Fi side, as the reflector and the responder
 * see it: walked, rewritten in place, answered. Whatever the bytes, the
 * walk stays inside them, what a rewrite passes on (0) was well-formed and
 * still is (a hostile message may compress a name into an address the
 * rewrite changes: then it is dropped), and an answer is a well-formed
 * response that fits its buffer. */
#include "mdns_records.h"
#include "mdns_wire.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t msg[65536], out[MDNS_MSG_CAP];

static void setup(struct mdns_service_list *l, struct mdns_zone *z, struct mdns_rewrite *rw)
{
	memset(l, 0, sizeof(*l));
	l->n = 2;
	strcpy(l->s[0].name, "printer");
	strcpy(l->s[0].type, "_ipp._tcp");
	l->s[0].port = 631;
	l->s[0].txt_len = 1;
	strcpy(l->s[1].name, "a.b");
	strcpy(l->s[1].type, "_http._tcp");
	l->s[1].port = 80;
	memcpy(l->s[1].txt, "\x03x=1", 4);
	l->s[1].txt_len = 4;
	memset(z, 0, sizeof(*z));
	z->services = l;
	mdns_zone_set_host(z, "wifibox");
	inet_pton(AF_INET, "192.168.50.150", &z->addr);
	memset(rw, 0, sizeof(*rw));
	rw->clear_unicast = 1;
	inet_pton(AF_INET, "10.0.0.0", &rw->net4);
	inet_pton(AF_INET, "255.255.255.0", &rw->mask4);
	rw->to4 = z->addr;
	inet_pton(AF_INET6, "fd00::", &rw->net6);
	rw->len6 = 64;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mdns_service_list l;
	struct mdns_zone z;
	struct mdns_rewrite rw;
	struct mdns_rewrite_count c;
	int ok, n;

	if (size > sizeof(msg))
		return 0;
	setup(&l, &z, &rw);
	memcpy(msg, data, size);
	ok = mdns_walk(msg, size, NULL, NULL);
	if (mdns_rewrite(msg, size, &rw, &c) == 0 && (ok != 0 || mdns_walk(msg, size, NULL, NULL) != 0))
		abort();	/* passed on: a malformed message, or one the rewrite broke */
	n = mdns_answer(&z, data, size, out, sizeof(out));
	if (n > (int)sizeof(out) || (n > 0 && (mdns_walk(out, (size_t)n, NULL, NULL) != 0 ||
					       !mdns_is_response(out, (size_t)n))))
		abort();
	return 0;
}
