/* libip6tc (IPv6) as the firewall's operations (fw-tc.h). */
#include "fw-tc.h"

#include <libiptc/libip6tc.h>
#include <string.h>

static const void *first(const char *chain, struct xtc_handle *h)
{
	return ip6tc_first_rule(chain, h);
}

static const void *next(const void *e, struct xtc_handle *h)
{
	return ip6tc_next_rule(e, h);
}

static const char *target(const void *e, struct xtc_handle *h)
{
	return ip6tc_get_target(e, h);
}

static int append(const char *chain, const struct fw_entry *e, struct xtc_handle *h)
{
	return ip6tc_append_entry(chain, &e->e6, h);
}

static int insert(const char *chain, const struct fw_entry *e, unsigned num, struct xtc_handle *h)
{
	return ip6tc_insert_entry(chain, &e->e6, num, h);
}

static int delete_num(const char *chain, unsigned num, struct xtc_handle *h)
{
	return ip6tc_delete_num_entry(chain, num, h);
}

static int same(const void *e, const char *t, const struct fw_entry *want, const char *want_target)
{
	return fw_entry6_same(e, t, &want->e6, want_target);
}

static int plain(const void *p)
{
	static const struct ip6t_ip6 any;
	const struct ip6t_entry *e = p;

	return e->target_offset == sizeof(*e) && !memcmp(&e->ipv6, &any, sizeof(any));
}

static void jump(const char *chain, struct fw_entry *out)
{
	struct xt_standard_target *t;

	memset(out, 0, sizeof(*out));
	out->e6.target_offset = sizeof(struct ip6t_entry);
	out->e6.next_offset = sizeof(struct ip6t_entry) + XT_ALIGN(sizeof(*t));
	t = (void *)out->e6.elems;
	t->target.u.target_size = XT_ALIGN(sizeof(*t));
	snprintf(t->target.u.user.name, sizeof(t->target.u.user.name), "%s", chain);
}

static const char *comment(const void *p)
{
	const struct ip6t_entry *e = p;

	return fw_entry_comment(e, sizeof(*e), e->target_offset);
}

static void counters(const void *p, uint64_t *packets, uint64_t *bytes)
{
	const struct ip6t_entry *e = p;

	*packets = e->counters.pcnt;
	*bytes = e->counters.bcnt;
}

const struct fw_tc fw_ip6tc = {
	.family = FW_IPV6,
	.name = "ip6tables",
	.init = ip6tc_init,
	.free = ip6tc_free,
	.commit = ip6tc_commit,
	.strerror = ip6tc_strerror,
	.is_chain = ip6tc_is_chain,
	.create_chain = ip6tc_create_chain,
	.flush = ip6tc_flush_entries,
	.first = first,
	.next = next,
	.target = target,
	.append = append,
	.insert = insert,
	.delete_num = delete_num,
	.encode = fw_encode6,
	.same = same,
	.plain = plain,
	.jump = jump,
	.comment = comment,
	.counters = counters,
};
