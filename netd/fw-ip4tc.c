/* libiptc (IPv4) as the firewall's operations (fw-tc.h). */
#include "fw-tc.h"

#include <libiptc/libiptc.h>
#include <string.h>

static const void *first(const char *chain, struct xtc_handle *h)
{
	return iptc_first_rule(chain, h);
}

static const void *next(const void *e, struct xtc_handle *h)
{
	return iptc_next_rule(e, h);
}

static const char *target(const void *e, struct xtc_handle *h)
{
	return iptc_get_target(e, h);
}

static int append(const char *chain, const struct fw_entry *e, struct xtc_handle *h)
{
	return iptc_append_entry(chain, &e->e, h);
}

static int insert(const char *chain, const struct fw_entry *e, unsigned num, struct xtc_handle *h)
{
	return iptc_insert_entry(chain, &e->e, num, h);
}

static int delete_num(const char *chain, unsigned num, struct xtc_handle *h)
{
	return iptc_delete_num_entry(chain, num, h);
}

static int same(const void *e, const char *t, const struct fw_entry *want, const char *want_target)
{
	return fw_entry_same(e, t, &want->e, want_target);
}

static int plain(const void *p)
{
	static const struct ipt_ip any;
	const struct ipt_entry *e = p;

	return e->target_offset == sizeof(*e) && !memcmp(&e->ip, &any, sizeof(any));
}

static void jump(const char *chain, struct fw_entry *out)
{
	struct xt_standard_target *t;

	memset(out, 0, sizeof(*out));
	out->e.target_offset = sizeof(struct ipt_entry);
	out->e.next_offset = sizeof(struct ipt_entry) + XT_ALIGN(sizeof(*t));
	t = (void *)out->e.elems;
	t->target.u.target_size = XT_ALIGN(sizeof(*t));
	snprintf(t->target.u.user.name, sizeof(t->target.u.user.name), "%s", chain);
}

static const char *comment(const void *p)
{
	const struct ipt_entry *e = p;

	return fw_entry_comment(e, sizeof(*e), e->target_offset);
}

static void counters(const void *p, uint64_t *packets, uint64_t *bytes)
{
	const struct ipt_entry *e = p;

	*packets = e->counters.pcnt;
	*bytes = e->counters.bcnt;
}

const struct fw_tc fw_ip4tc = {
	.family = FW_IPV4,
	.name = "iptables",
	.init = iptc_init,
	.free = iptc_free,
	.commit = iptc_commit,
	.strerror = iptc_strerror,
	.is_chain = iptc_is_chain,
	.create_chain = iptc_create_chain,
	.flush = iptc_flush_entries,
	.first = first,
	.next = next,
	.target = target,
	.append = append,
	.insert = insert,
	.delete_num = delete_num,
	.encode = fw_encode4,
	.same = same,
	.plain = plain,
	.jump = jump,
	.comment = comment,
	.counters = counters,
};
