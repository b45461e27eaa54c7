// SRCS: netd/firewall/forwards.c netd/firewall/fw-rules.c netd/firewall/fw-format.c lib/conf.c lib/log.c lib/ipv4.c
/* The port-forward parser on arbitrary bytes, then the rule builder on
 * what it accepted. Whatever the input, every forward that comes out must
 * be one the firewall can apply as written: ports in range, ranges the
 * right way round, inside ports not past 65535, the address a host on the
 * inside network (IPv4) or prefix (IPv6), and no two forwards of one
 * protocol and family overlapping; each becomes a rule of its family. */
#include "forwards.h"
#include "fw-rules.h"
#include "log.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static void check_address6(const struct fwd_env *env, const struct fw_forward *f)
{
	/* fd00::/64, not the prefix itself, not the guest */
	if (memcmp(&f->inside_addr6, &env->self6, 8) ||
	    !memcmp(&f->inside_addr6, &env->self6, 16) ||
	    !memcmp(&f->inside_addr6, &(struct in6_addr){ .s6_addr = { 0xfd } }, 16))
		abort();
}

static void check_forward(const struct fwd_env *env, const struct fw_forward *f)
{
	uint32_t ip = ntohl(f->inside_addr.s_addr), mask = ntohl(env->mask.s_addr);

	if ((f->proto != IPPROTO_TCP && f->proto != IPPROTO_UDP) || !f->outside_lo ||
	    f->outside_lo > f->outside_hi || !f->inside_port ||
	    (unsigned)f->inside_port + (f->outside_hi - f->outside_lo) > 65535)
		abort();
	if (f->ipv6)
		check_address6(env, f);
	else if ((ip & mask) != (ntohl(env->net.s_addr) & mask) ||
		 f->inside_addr.s_addr == env->self.s_addr)
		abort();
	if (f->proto == IPPROTO_UDP && f->outside_lo <= 68 && f->outside_hi >= 68)
		abort();
}

static void check_no_overlap(const struct fwd_list *l)
{
	size_t i, j;

	for (i = 0; i < l->n; i++)
		for (j = i + 1; j < l->n; j++)
			if (l->items[i].proto == l->items[j].proto &&
			    l->items[i].ipv6 == l->items[j].ipv6 &&
			    l->items[i].outside_lo <= l->items[j].outside_hi &&
			    l->items[j].outside_lo <= l->items[i].outside_hi)
				abort();
}

static void build(const struct fwd_list *l)
{
	static struct fw_ruleset rs;
	struct fw_config c = { .mode = FW_MODE_STATION, .uplink = "wlan0", .inside = "eth0" };
	char line[512];
	size_t i, dnat = 0;

	c.inside_net.s_addr = htonl(0x0a000000);
	c.inside_mask.s_addr = htonl(0xffffff00);
	c.forwards = l->items;
	c.n_forwards = l->n;
	c.ipv6 = 1;
	for (int family = 0; family < 2; family++) {
		if ((family ? fw_build6(&c, &rs) : fw_build(&c, &rs)) < 0)
			abort();
		for (i = 0; i < rs.n; i++) {
			if (fw_rule_format(rs.family, &rs.rules[i], line, sizeof(line)) >= (int)sizeof(line))
				abort();
			dnat += rs.rules[i].target == FW_DNAT;
		}
	}
	/* Every accepted forward became a rule: nothing is lost on the way. */
	if (dnat != l->n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fwd_list list;
	struct fwd_env env;
	struct conf_reader r;
	size_t i;

	log_open("fuzz", 0);
	env.net.s_addr = htonl(0x0a000000);	/* 10.0.0.0/24, the guest at .1 */
	env.mask.s_addr = htonl(0xffffff00);
	env.self.s_addr = htonl(0x0a000001);
	inet_pton(AF_INET6, "fd00::ffff", &env.self6);	/* fd00::/64 */
	env.prefix6 = 64;
	if (conf_open_mem(&r, "port_forwards.conf", data, size) < 0)
		return 0;
	fwd_parse(&r, &env, &list);
	conf_close(&r);
	if (list.n > FW_MAX_FORWARDS)
		abort();
	for (i = 0; i < list.n; i++)
		check_forward(&env, &list.items[i]);
	check_no_overlap(&list);
	build(&list);
	return 0;
}
