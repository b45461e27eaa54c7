// SRCS: netd/dhcp/dhcpd_conf.c netd/config/plan.c netd/config/ifconf.c lib/conf.c lib/log.c lib/ipv4.c
/* The udhcpd.conf template on arbitrary bytes, filled in. Whatever the
 * input: what netd hands to udhcpd starts with the served interface, has
 * a start and an end inside the served network, and reads back as a
 * template without a single complaint, since udhcpd must never be given
 * something it would die on. The filled file may be longer than a
 * template holds (netd adds lines): it is then read back in parts.
 * Inputs are not capped here: templates over DHCPD_TMPL_MAX (16 KiB) must
 * be reached (the runner's -max_len). */
#include "dhcpd_conf.h"
#include "plan.h"
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

/* One part of the filled file, read back: not a single complaint. */
static void check_part(const char *part, size_t len, const struct dhcpd_served *s)
{
	static struct dhcpd_tmpl again;
	struct conf_reader r;

	conf_open_mem(&r, "udhcpd.conf (filled)", part, len);
	if (dhcpd_tmpl_load(&r, s, &again) != 0)
		abort();
	conf_close(&r);
}

static int is_range_line(const char *line)
{
	return !strncmp(line, "start ", 6) || !strncmp(line, "end ", 4);
}

/* The filled file, past its interface line (the template reader drops it
 * anyway), read back in parts of whole lines that each fit in a template.
 * Lines are checked one by one, except start and end, checked against
 * each other: they go together in the first part. */
static void check_reads_back(const char *filled, const struct dhcpd_served *s)
{
	static char part[DHCPD_TMPL_MAX];
	size_t len = 0, n;
	const char *line, *next;

	for (int ranges = 1; ranges >= 0; ranges--) {
		for (line = filled; *line; line = next) {
			next = strchr(line, '\n');
			next = next ? next + 1 : line + strlen(line);
			n = (size_t)(next - line);
			if (is_range_line(line) != ranges)
				continue;
			/* what a template holds: DHCPD_TMPL_MAX - 2 bytes, as
			 * netd/dhcp/dhcpd_conf.c appends a line only with a byte to spare */
			if (len + n + 2 > sizeof(part)) {
				check_part(part, len, s);
				len = 0;
			}
			memcpy(part + len, line, n);
			len += n;
		}
	}
	check_part(part, len, s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcpd_tmpl t;
	static char out[DHCPD_CONF_MAX];
	struct dhcpd_served s;
	struct dhcpd_fill f = { .ifname = "eth0", .dns = "10.0.0.1", .uplink_dns = "192.168.1.1 1.1.1.1",
				.domain = "lan", .search = "lan example.org" };
	struct conf_reader r;

	log_open("fuzz", 0);
	inet_pton(AF_INET, "10.0.0.1", &s.addr);
	s.prefix = 24;
	f.short_lease = size & 1 ? 60 : 0;
	if (conf_open_mem(&r, "udhcpd.conf", data, size) < 0)
		return 0;
	dhcpd_tmpl_load(&r, &s, &t);
	conf_close(&r);
	/* whole lines, terminated: a template that overflowed must not be
	 * left cut in the middle of a line (issue 14) */
	if (t.len >= DHCPD_TMPL_MAX || strlen(t.text) != t.len || (t.len && t.text[t.len - 1] != '\n'))
		abort();
	if (dhcpd_tmpl_fill(&t, &s, &f, out, sizeof(out)) < 0)
		return 0;
	if (strncmp(out, "interface eth0\n", 15))
		abort();
	check_range(out, "\nstart ", &s);
	check_range(out, "\nend ", &s);
	check_reads_back(out + 15, &s);
	return 0;
}
