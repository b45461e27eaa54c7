// SRCS: netd/config/mdns_services.c lib/conf.c lib/log.c lib/ipv4.c
/* mdnsd-services.conf's parser on arbitrary bytes. Whatever the input,
 * every service that comes out is one the announcer can send as it is: a
 * name of 1 to 63 bytes, a type _NAME._tcp or _NAME._udp that agrees with
 * its protocol, a port, a TXT record whose length bytes cover it exactly,
 * the line it came from, no name and type twice, and no more than
 * MDNS_SERVICES_MAX of them. With no forwards, each one is warned about. */
#include "mdns_services.h"
#include "forwards.h"
#include "log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int txt_well_formed(const struct mdns_service *s)
{
	size_t pos = 0;

	if (s->txt_len < 1 || s->txt_len > MDNS_TXT_MAX)
		return 0;
	while (pos < s->txt_len)
		pos += 1 + (size_t)s->txt[pos];
	return pos == s->txt_len;
}

static int type_well_formed(const struct mdns_service *s)
{
	size_t len = strnlen(s->type, sizeof(s->type));
	const char *proto = s->proto == IPPROTO_TCP ? "._tcp" : "._udp";

	if (len == sizeof(s->type) || len < 7 || s->type[0] != '_')
		return 0;
	if (s->proto != IPPROTO_TCP && s->proto != IPPROTO_UDP)
		return 0;
	return !strcmp(s->type + len - 5, proto);
}

static void check(const struct mdns_service_list *out)
{
	static struct fwd_list none;

	if (out->n > MDNS_SERVICES_MAX)
		abort();
	for (size_t k = 0; k < out->n; k++) {
		const struct mdns_service *s = &out->s[k];
		size_t name_len = strnlen(s->name, sizeof(s->name));

		if (name_len < 1 || name_len > 63 || !type_well_formed(s) || !s->port || !txt_well_formed(s) ||
		    !s->line)
			abort();
		for (size_t j = 0; j < k; j++)
			if (out->s[j].line >= s->line ||
			    (!strcasecmp(out->s[j].name, s->name) && !strcasecmp(out->s[j].type, s->type)))
				abort();
	}
	if (mdns_services_check_forwards(out, &none) != out->n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mdns_service_list out;
	struct conf_reader r;

	log_open("fuzz", 0);
	if (conf_open_mem(&r, "mdnsd-services.conf", data, size) < 0)
		return 0;
	mdns_services_parse(&r, &out);
	conf_close(&r);
	check(&out);
	return 0;
}
