/* Repeats the kernel need not wake netd for (issue 18). A router that
 * advertises every few seconds makes the kernel send the same rtnetlink
 * events again and again: the lifetime refresh of each address it gave
 * (RTM_NEWADDR) and each of its user options (RTM_NEWNDUSEROPT, the DNS
 * servers). netd learns nothing from an exact repeat, so the seam keeps a
 * table of what it has passed on and turns it into a classic BPF socket
 * filter that drops those repeats in the kernel.
 *
 * - An IPv6 address is dropped while its flags, prefix length and scope
 *   stay as last passed (the lifetimes, which netd does not read, may
 *   change). When a dropped address changes or goes, the filter may have
 *   dropped a change back in the meantime: the table says so (a resync),
 *   and the seam dumps the addresses again once the new filter is in.
 * - A user option is dropped only for as long as its reader said an
 *   identical one changes nothing (for the DNS servers, half their
 *   lifetime: the next one after that refreshes them), and no longer
 *   once another option comes from the same router for the same kind.
 *
 * Pure: messages in, a program out. No libnl, no loop. */
#ifndef NETD_REPEATS_H
#define NETD_REPEATS_H

#include <stddef.h>
#include <stdint.h>

#include <linux/filter.h>

/* The kernel charges a socket's filter to its option memory
 * (net.core.optmem_max, 128 KiB by default since Linux 6.9), some 60
 * bytes an instruction, twice while one filter replaces another. A full
 * table of the largest entries (an option with three DNS servers) makes
 * 637 instructions: about 75 KiB at the replacing. */
#define REPEATS_MAX 12
#define REPEAT_BODY_MAX 96	/* bytes after the netlink header */
/* Enough for every entry at its largest, and the verdicts. */
#define REPEATS_PROGRAM_MAX (REPEATS_MAX * (REPEAT_BODY_MAX / 2 + 5) + 1)

enum repeat_kind {
	REPEAT_ADDR6,	/* matched on its first bytes: header, address */
	REPEAT_NDOPT,	/* matched whole, until its deadline */
};

struct repeat {
	enum repeat_kind kind;
	uint16_t type;		/* the netlink message type to drop */
	uint16_t len;		/* bytes of body[] */
	uint64_t until_ms;	/* REPEAT_NDOPT: dropped until then */
	uint8_t body[REPEAT_BODY_MAX];
};

struct repeats {
	struct repeat r[REPEATS_MAX];
	unsigned n;
};

/* What a message did to the table. */
enum repeat_change {
	REPEATS_SAME,		/* nothing new: the filter stays */
	REPEATS_GREW,		/* the filter can drop more */
	REPEATS_RESYNC,		/* something it dropped changed: a new filter, then a dump */
};

/* An RTM_NEWADDR or RTM_DELADDR, whole as the kernel sent it (header
 * first). Only IPv6 addresses are kept; anything else is REPEATS_SAME. */
enum repeat_change repeats_addr6(struct repeats *t, const uint8_t *msg, size_t len);

/* Drops every address entry: after a resync that did not settle, what
 * comes next is passed on until the table has it again. */
void repeats_forget_addr6(struct repeats *t);

/* An RTM_NEWNDUSEROPT the handler has read: it replaces the entries of
 * the same link, router and option type, and is itself dropped until
 * until_ms when that is not 0. REPEATS_GREW when the filter changes. */
enum repeat_change repeats_ndopt(struct repeats *t, const uint8_t *msg, size_t len, uint64_t until_ms);

/* Drops every option entry: what netd learned from them is forgotten. */
enum repeat_change repeats_forget_ndopt(struct repeats *t);

/* Drops the option entries due by now_ms; the next deadline, 0 for none.
 * *changed is set when an entry went. */
uint64_t repeats_expire(struct repeats *t, uint64_t now_ms, int *changed);

/* The socket filter: drops what the table holds, passes everything else.
 * The number of instructions (at most max), 0 if max is too small. */
unsigned repeats_program(const struct repeats *t, struct sock_filter *prog, unsigned max);

#endif
