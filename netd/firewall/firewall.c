/* The libiptc side of the firewall: makes the kernel's tables hold the
 * rule sets fw_build() and fw_build6() describe, through libiptc and
 * libip6tc alike (fw-tc.h). Per table: read a snapshot, create netd's
 * chains if missing, rewrite a chain only if its rules differ, make sure
 * the built-in chain jumps to it, and commit once if anything changed. A
 * table that needs no change is not committed at all, so a re-apply keeps
 * the counters and costs one read. */
#include "firewall.h"
#include "fw-rules.h"
#include "fw-tc.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* The lock iptables and iptables-restore -w take around their changes. */
static int xtables_lock(void)
{
	const char *path = getenv("XTABLES_LOCKFILE");
	int fd = open(path && *path ? path : "/run/xtables.lock",
		      O_CREAT | O_RDWR | O_CLOEXEC, 0600);

	if (fd < 0)
		return -2;	/* no /run: nobody else can hold it either */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void xtables_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

struct table_job {
	const struct fw_tc *tc;
	const struct fw_ruleset *rs;
	enum fw_table table;
	const char *name;
	struct xtc_handle *h;
	int changed;
};

static int encode(const struct table_job *job, const struct fw_rule *r, struct fw_entry *e)
{
	if (job->tc->encode(r, e) == 0)
		return 0;
	log_err("firewall: rule '%s' of %s does not fit an %s entry", r->comment,
		fw_chain_name(r->chain), job->tc->name);
	return -1;
}

/* 1 if the chain already holds exactly the wanted rules, 0 if not, -1 on
 * error. */
static int chain_matches(struct table_job *job, enum fw_chain ch)
{
	static struct fw_entry want;
	const struct fw_tc *tc = job->tc;
	const char *name = fw_chain_name(ch);
	const void *e = tc->first(name, job->h);
	size_t i;

	for (i = 0; i < job->rs->n; i++) {
		const struct fw_rule *r = &job->rs->rules[i];

		if (r->chain != ch)
			continue;
		if (!e)
			return 0;
		if (encode(job, r, &want) < 0)
			return -1;
		if (!tc->same(e, tc->target(e, job->h), &want, fw_target_name(r->target)))
			return 0;
		e = tc->next(e, job->h);
	}
	return e == NULL;
}

static int fail(struct table_job *job, const char *what, const char *chain)
{
	log_err("firewall: cannot %s %s in the %s %s table: %s", what, chain, job->tc->name,
		job->name, job->tc->strerror(errno));
	return -1;
}

static int fill_chain(struct table_job *job, enum fw_chain ch)
{
	static struct fw_entry want;
	const char *name = fw_chain_name(ch);
	size_t i;

	if (!job->tc->flush(name, job->h))
		return fail(job, "flush", name);
	for (i = 0; i < job->rs->n; i++) {
		const struct fw_rule *r = &job->rs->rules[i];

		if (r->chain != ch)
			continue;
		if (encode(job, r, &want) < 0)
			return -1;
		if (!job->tc->append(name, &want, job->h)) {
			log_err("firewall: cannot add rule '%s' to %s in the %s %s table: %s",
				r->comment, name, job->tc->name, job->name,
				job->tc->strerror(errno));
			return -1;
		}
	}
	job->changed = 1;
	return 0;
}

static int sync_chain(struct table_job *job, enum fw_chain ch)
{
	const char *name = fw_chain_name(ch);
	int same;

	if (!job->tc->is_chain(name, job->h)) {
		if (!job->tc->create_chain(name, job->h))
			return fail(job, "create chain", name);
		job->changed = 1;
	}
	same = chain_matches(job, ch);
	if (same < 0)
		return -1;
	return same ? 0 : fill_chain(job, ch);
}

static int is_jump_to(struct table_job *job, const void *e, enum fw_chain ch)
{
	return !strcmp(job->tc->target(e, job->h), fw_chain_name(ch)) && job->tc->plain(e);
}

/* Exactly one jump from the built-in chain; a new one goes first, an
 * existing one stays where it is (a user may have put rules before it on
 * purpose), duplicates (a restored copy of iptables-save) are removed. */
static int sync_jump(struct table_job *job, enum fw_chain ch)
{
	static struct fw_entry jump;
	const struct fw_tc *tc = job->tc;
	const char *hook = fw_chain_hook(ch);
	const void *e;
	unsigned pos = 0, found = 0, dups[16], n_dups = 0;

	for (e = tc->first(hook, job->h); e; e = tc->next(e, job->h), pos++) {
		if (!is_jump_to(job, e, ch))
			continue;
		if (found++ && n_dups < sizeof(dups) / sizeof(dups[0]))
			dups[n_dups++] = pos;
	}
	while (n_dups) {
		if (!tc->delete_num(hook, dups[--n_dups], job->h))
			return fail(job, "remove a duplicate jump from", hook);
		job->changed = 1;
	}
	if (found)
		return 0;
	tc->jump(fw_chain_name(ch), &jump);
	if (!tc->insert(hook, &jump, 0, job->h))
		return fail(job, "link netd's chain from", hook);
	job->changed = 1;
	return 0;
}

static int sync_table(struct table_job *job)
{
	enum fw_chain ch;

	for (ch = 0; ch < FW_N_CHAINS; ch++) {
		if (fw_chain_table(ch) != job->table)
			continue;
		if (sync_chain(job, ch) < 0 || sync_jump(job, ch) < 0)
			return -1;
	}
	return 0;
}

static int apply_table(const struct fw_tc *tc, const struct fw_ruleset *rs, enum fw_table table)
{
	struct table_job job = { tc, rs, table, fw_table_name(table), NULL, 0 };
	int rc;

	job.h = tc->init(job.name);
	if (!job.h) {
		log_err("firewall: cannot read the %s %s table: %s", tc->name, job.name,
			tc->strerror(errno));
		return -1;
	}
	rc = sync_table(&job);
	if (rc == 0 && job.changed && !tc->commit(job.h)) {
		/* EAGAIN: someone changed the table between our read and commit. */
		rc = errno == EAGAIN ? -EAGAIN : -1;
		log_err("firewall: cannot commit the %s %s table: %s", tc->name, job.name,
			tc->strerror(errno));
	}
	if (rc == 0 && job.changed)
		log_info("firewall: %s %s table updated", tc->name, job.name);
	tc->free(job.h);
	return rc;
}

/* Both tables of one family. NAT is applied even if the filter table
 * failed: masquerade and forwards are independent of it, and the filter
 * table keeps its old, complete rules. */
static int apply_family(const struct fw_tc *tc, const struct fw_ruleset *rs)
{
	int filter = apply_table(tc, rs, FW_TABLE_FILTER);
	int nat = apply_table(tc, rs, FW_TABLE_NAT);

	if (filter == -EAGAIN || nat == -EAGAIN)
		return -EAGAIN;
	return filter < 0 || nat < 0 ? -1 : 0;
}

/* netd has programmed the IPv6 tables (fw_apply with ipv6). */
static int counting_ipv6;
static unsigned in_place;

unsigned fw_in_place(void)
{
	return in_place;
}

int fw_apply(const struct fw_config *c)
{
	static struct fw_ruleset rs4, rs6;
	int lock, rc4, rc6 = 0;

	in_place = 0;
	if (fw_build(c, &rs4) < 0 || (c->ipv6 && fw_build6(c, &rs6) < 0)) {
		errno = EINVAL;
		return -1;
	}
	lock = xtables_lock();
	if (lock == -1) {
		log_warn("firewall: another program holds the xtables lock; rules not applied yet");
		errno = EAGAIN;
		return -1;
	}
	rc4 = apply_family(&fw_ip4tc, &rs4);
	if (c->ipv6)	/* IPv4 keeps working whatever happens to IPv6 */
		rc6 = apply_family(&fw_ip6tc, &rs6);
	counting_ipv6 |= c->ipv6 && rc6 == 0;
	in_place = (rc4 == 0 ? FW_IN_PLACE_IPV4 : 0) | (c->ipv6 && rc6 == 0 ? FW_IN_PLACE_IPV6 : 0);
	xtables_unlock(lock);
	if (rc4 == 0 && rc6 == 0)
		return 0;
	errno = rc4 == -EAGAIN || rc6 == -EAGAIN ? EAGAIN : EIO;
	return -1;
}

/* -1 when the family's filter table cannot be read (said unless quiet);
 * a family without netd's chains counts nothing. */
static int each_counter(const struct fw_tc *tc, int quiet, fw_counter_cb cb, void *ctx)
{
	static const enum fw_chain counted[] = { FW_CHAIN_INPUT, FW_CHAIN_FORWARD };
	struct xtc_handle *h = tc->init("filter");
	uint64_t packets, bytes;
	const void *e;
	size_t i;

	if (!h && quiet)
		return -1;
	if (!h) {
		log_err("firewall: cannot read the %s filter table for counters: %s", tc->name,
			tc->strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(counted) / sizeof(counted[0]); i++) {
		const char *name = fw_chain_name(counted[i]);

		if (!tc->is_chain(name, h))
			continue;
		for (e = tc->first(name, h); e; e = tc->next(e, h)) {
			const char *comment = tc->comment(e);

			if (!comment || fw_count_of_comment(comment) == FW_COUNT_NONE)
				continue;
			tc->counters(e, &packets, &bytes);
			cb(comment, packets, bytes, ctx);
		}
	}
	tc->free(h);
	return 0;
}

/* IPv6 tables that cannot be read are an error only once netd has
 * programmed them: a kernel without IPv6 has none. */
int fw_each_counter(fw_counter_cb cb, void *ctx)
{
	int rc = each_counter(&fw_ip4tc, 0, cb, ctx);

	if (each_counter(&fw_ip6tc, !counting_ipv6, cb, ctx) < 0 && counting_ipv6)
		rc = -1;
	return rc;
}

static void add_counter(const char *comment, uint64_t packets, uint64_t bytes, void *ctx)
{
	struct fw_counters *out = ctx;

	switch (fw_count_of_comment(comment)) {
	case FW_COUNT_NONE:
		break;
	case FW_COUNT_FORWARDED:
		out->forwarded_packets += packets;
		out->forwarded_bytes += bytes;
		break;
	case FW_COUNT_DROPPED_INBOUND:
		out->dropped_inbound_packets += packets;
		out->dropped_inbound_bytes += bytes;
		break;
	}
}

int fw_read_counters(struct fw_counters *out)
{
	memset(out, 0, sizeof(*out));
	return fw_each_counter(add_counter, out);
}
