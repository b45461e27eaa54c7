/* The libiptc side of the firewall: makes the kernel's tables hold the
 * rule set fw_build() describes. Per table: read a snapshot, create netd's
 * chains if missing, rewrite a chain only if its rules differ, make sure
 * the built-in chain jumps to it, and commit once if anything changed. A
 * table that needs no change is not committed at all, so a re-apply keeps
 * the counters and costs one read. */
#include "firewall.h"
#include "fw-encode.h"
#include "fw-rules.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <libiptc/libiptc.h>
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
	const struct fw_ruleset *rs;
	enum fw_table table;
	const char *name;
	struct xtc_handle *h;
	int changed;
};

static int encode(const struct fw_rule *r, struct fw_entry *e)
{
	if (fw_encode4(r, e) == 0)
		return 0;
	log_err("firewall: rule '%s' of %s does not fit an iptables entry", r->comment,
		fw_chain_name(r->chain));
	return -1;
}

/* 1 if the chain already holds exactly the wanted rules, 0 if not, -1 on
 * error. */
static int chain_matches(struct table_job *job, enum fw_chain ch)
{
	static struct fw_entry want;
	const char *name = fw_chain_name(ch);
	const struct ipt_entry *e = iptc_first_rule(name, job->h);
	size_t i;

	for (i = 0; i < job->rs->n; i++) {
		const struct fw_rule *r = &job->rs->rules[i];

		if (r->chain != ch)
			continue;
		if (!e)
			return 0;
		if (encode(r, &want) < 0)
			return -1;
		if (!fw_entry_same(e, iptc_get_target(e, job->h), &want.e,
				   fw_target_name(r->target)))
			return 0;
		e = iptc_next_rule(e, job->h);
	}
	return e == NULL;
}

static int fail(struct table_job *job, const char *what, const char *chain)
{
	log_err("firewall: cannot %s %s in the %s table: %s", what, chain, job->name,
		iptc_strerror(errno));
	return -1;
}

static int fill_chain(struct table_job *job, enum fw_chain ch)
{
	static struct fw_entry want;
	const char *name = fw_chain_name(ch);
	size_t i;

	if (!iptc_flush_entries(name, job->h))
		return fail(job, "flush", name);
	for (i = 0; i < job->rs->n; i++) {
		const struct fw_rule *r = &job->rs->rules[i];

		if (r->chain != ch)
			continue;
		if (encode(r, &want) < 0)
			return -1;
		if (!iptc_append_entry(name, &want.e, job->h)) {
			log_err("firewall: cannot add rule '%s' to %s in the %s table: %s",
				r->comment, name, job->name, iptc_strerror(errno));
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

	if (!iptc_is_chain(name, job->h)) {
		if (!iptc_create_chain(name, job->h))
			return fail(job, "create chain", name);
		job->changed = 1;
	}
	same = chain_matches(job, ch);
	if (same < 0)
		return -1;
	return same ? 0 : fill_chain(job, ch);
}

/* "-j CHAIN" with no condition: the link from a built-in chain. */
static void jump_entry(enum fw_chain ch, struct fw_entry *out)
{
	struct xt_standard_target *t;

	memset(out, 0, sizeof(*out));
	out->e.target_offset = sizeof(struct ipt_entry);
	out->e.next_offset = sizeof(struct ipt_entry) + XT_ALIGN(sizeof(*t));
	t = (void *)out->e.elems;
	t->target.u.target_size = XT_ALIGN(sizeof(*t));
	snprintf(t->target.u.user.name, sizeof(t->target.u.user.name), "%s", fw_chain_name(ch));
}

static int is_jump_to(struct table_job *job, const struct ipt_entry *e, enum fw_chain ch)
{
	static const struct ipt_ip any;

	return !strcmp(iptc_get_target(e, job->h), fw_chain_name(ch)) &&
	       e->target_offset == sizeof(*e) && !memcmp(&e->ip, &any, sizeof(any));
}

/* Exactly one jump from the built-in chain; a new one goes first, an
 * existing one stays where it is (a user may have put rules before it on
 * purpose), duplicates (a restored copy of iptables-save) are removed. */
static int sync_jump(struct table_job *job, enum fw_chain ch)
{
	static struct fw_entry jump;
	const char *hook = fw_chain_hook(ch);
	const struct ipt_entry *e;
	unsigned pos = 0, found = 0, dups[16], n_dups = 0;

	for (e = iptc_first_rule(hook, job->h); e; e = iptc_next_rule(e, job->h), pos++) {
		if (!is_jump_to(job, e, ch))
			continue;
		if (found++ && n_dups < sizeof(dups) / sizeof(dups[0]))
			dups[n_dups++] = pos;
	}
	while (n_dups) {
		if (!iptc_delete_num_entry(hook, dups[--n_dups], job->h))
			return fail(job, "remove a duplicate jump from", hook);
		job->changed = 1;
	}
	if (found)
		return 0;
	jump_entry(ch, &jump);
	if (!iptc_insert_entry(hook, &jump.e, 0, job->h))
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

static int apply_table(const struct fw_ruleset *rs, enum fw_table table)
{
	struct table_job job = { rs, table, fw_table_name(table), NULL, 0 };
	int rc;

	job.h = iptc_init(job.name);
	if (!job.h) {
		log_err("firewall: cannot read the %s table: %s", job.name, iptc_strerror(errno));
		return -1;
	}
	rc = sync_table(&job);
	if (rc == 0 && job.changed && !iptc_commit(job.h)) {
		/* EAGAIN: someone changed the table between our read and commit. */
		rc = errno == EAGAIN ? -EAGAIN : -1;
		log_err("firewall: cannot commit the %s table: %s", job.name, iptc_strerror(errno));
	}
	if (rc == 0 && job.changed)
		log_info("firewall: %s table updated", job.name);
	iptc_free(job.h);
	return rc;
}

int fw_apply(const struct fw_config *c)
{
	static struct fw_ruleset rs;
	int lock, rc, nat;

	if (fw_build(c, &rs) < 0) {
		errno = EINVAL;
		return -1;
	}
	lock = xtables_lock();
	if (lock == -1) {
		log_warn("firewall: another program holds the xtables lock; rules not applied yet");
		errno = EAGAIN;
		return -1;
	}
	rc = apply_table(&rs, FW_TABLE_FILTER);
	/* NAT is applied even if the filter table failed: masquerade and
	 * forwards are independent of it, and the filter table keeps its old,
	 * complete rules. */
	nat = apply_table(&rs, FW_TABLE_NAT);
	xtables_unlock(lock);
	if (rc == 0 && nat == 0)
		return 0;
	errno = rc == -EAGAIN || nat == -EAGAIN ? EAGAIN : EIO;
	return -1;
}

static const char *entry_comment(const struct ipt_entry *e)
{
	size_t off = sizeof(*e);

	while (off + sizeof(struct xt_entry_match) <= e->target_offset) {
		const struct xt_entry_match *m = (const void *)((const char *)e + off);

		if (m->u.match_size < sizeof(*m))
			break;
		if (!strcmp(m->u.user.name, "comment") &&
		    m->u.match_size >= sizeof(*m) + sizeof(struct xt_comment_info)) {
			const struct xt_comment_info *info = (const void *)m->data;

			if (memchr(info->comment, '\0', sizeof(info->comment)))
				return info->comment;
		}
		off += m->u.match_size;
	}
	return NULL;
}

int fw_each_counter(fw_counter_cb cb, void *ctx)
{
	static const enum fw_chain counted[] = { FW_CHAIN_INPUT, FW_CHAIN_FORWARD };
	struct xtc_handle *h = iptc_init("filter");
	const struct ipt_entry *e;
	size_t i;

	if (!h) {
		log_err("firewall: cannot read the filter table for counters: %s",
			iptc_strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(counted) / sizeof(counted[0]); i++) {
		const char *name = fw_chain_name(counted[i]);

		if (!iptc_is_chain(name, h))
			continue;
		for (e = iptc_first_rule(name, h); e; e = iptc_next_rule(e, h)) {
			const char *comment = entry_comment(e);

			if (comment && fw_count_of_comment(comment) != FW_COUNT_NONE)
				cb(comment, e->counters.pcnt, e->counters.bcnt, ctx);
		}
	}
	iptc_free(h);
	return 0;
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
