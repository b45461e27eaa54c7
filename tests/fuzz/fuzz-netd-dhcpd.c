// SRCS: netd/dhcpd_conf.c netd/plan.c netd/ifconf.c lib/conf.c lib/log.c
/* The udhcpd.conf template on arbitrary bytes, filled in. Whatever the
 * input: what netd hands to udhcpd starts with the served interface, has
 * a start and an end inside the served network, and reads back as a
 * template without a single complaint, since udhcpd must never be given
 * something it would die on. */
#include "../../netd/dhcpd_conf.h"
#include "../../netd/plan.h"
#include "log.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* key is "\nstart " or "\nend ": a line of its own. */
static void check_range(const char *out, const char *key, const struct dhcpd_served *s)
{
	const char *p = strstr(out, key);
	char ip[INET_ADDRSTRLEN];
	struct in_addr a;
	uint32_t m = prefix_mask(s->prefix).s_addr;

	if (!p)
		abort();
	p += strlen(key);
	memcpy(ip, p, sizeof(ip) - 1);
	ip[sizeof(ip) - 1] = '\0';
	ip[strcspn(ip, "\n")] = '\0';
	if (inet_pton(AF_INET, ip, &a) != 1 || (a.s_addr & m) != (s->addr.s_addr & m))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcpd_tmpl t, again;
	static char out[DHCPD_CONF_MAX];
	struct dhcpd_served s;
	struct dhcpd_fill f = { "eth0", "192.168.1.1 1.1.1.1", "lan", "lan example.org", 0 };
	struct conf_reader r;

	log_open("fuzz", 0);
	inet_pton(AF_INET, "10.0.0.1", &s.addr);
	s.prefix = 24;
	f.short_lease = size & 1 ? 60 : 0;
	if (conf_open_mem(&r, "udhcpd.conf", data, size) < 0)
		return 0;
	dhcpd_tmpl_load(&r, &s, &t);
	conf_close(&r);
	if (t.len >= DHCPD_TMPL_MAX)
		abort();
	if (dhcpd_tmpl_fill(&t, &s, &f, out, sizeof(out)) < 0)
		return 0;
	if (strncmp(out, "interface eth0\n", 15))
		abort();
	check_range(out, "\nstart ", &s);
	check_range(out, "\nend ", &s);
	/* skip our interface line: the template reader drops it anyway */
	conf_open_mem(&r, "udhcpd.conf (filled)", out + 15, strlen(out + 15));
	if (dhcpd_tmpl_load(&r, &s, &again) != 0)
		abort();
	conf_close(&r);
	return 0;
}
