/* A rule of the model as the kernel's IPv4 entry: an ipt_entry followed by
 * xt_entry_match blobs and one xt_entry_target, the form libiptc takes. The
 * kernel checks every size, so each blob is the exact aligned size of the
 * structure its extension expects. */
#ifndef NETD_FW_ENCODE_H
#define NETD_FW_ENCODE_H

#include "fw-kernel.h"
#include "fw-rules.h"

#define FW_ENTRY_MAX 1024

struct fw_entry {
	union {
		struct ipt_entry e;
		unsigned char bytes[FW_ENTRY_MAX];
	};
};

/* 0, or -1 if the rule does not fit the IPv4 form (a bug in the builder). */
int fw_encode4(const struct fw_rule *r, struct fw_entry *out);

/* True when two entries do the same thing: same addresses, interfaces,
 * matches and target. Counters and kernel bookkeeping are ignored; the
 * standard targets' verdicts are compared by name (target_a, target_b, as
 * libiptc's iptc_get_target() gives them). */
int fw_entry_same(const struct ipt_entry *a, const char *target_a,
		  const struct ipt_entry *b, const char *target_b);

#endif
