/* A rule of the model as the kernel's entry: an ipt_entry (IPv4) or an
 * ip6t_entry (IPv6) followed by xt_entry_match blobs and one
 * xt_entry_target, the form libiptc and libip6tc take. The kernel checks
 * every size, so each blob is the exact aligned size of the structure its
 * extension expects. */
#ifndef NETD_FW_ENCODE_H
#define NETD_FW_ENCODE_H

#include "fw-kernel.h"
#include "fw-rules.h"

#define FW_ENTRY_MAX 1024

struct fw_entry {
	union {
		struct ipt_entry e;
		struct ip6t_entry e6;
		unsigned char bytes[FW_ENTRY_MAX];
	};
};

/* 0, or -1 if the rule does not fit the family's form (a bug in the
 * builder: an IPv6-only ICMP type in an IPv4 rule, an entry too large). */
int fw_encode4(const struct fw_rule *r, struct fw_entry *out);
int fw_encode6(const struct fw_rule *r, struct fw_entry *out);

/* True when two entries do the same thing: same addresses, interfaces,
 * matches and target. Counters and kernel bookkeeping are ignored; the
 * standard targets' verdicts are compared by name (target_a, target_b, as
 * libiptc's iptc_get_target() gives them). */
int fw_entry_same(const struct ipt_entry *a, const char *target_a,
		  const struct ipt_entry *b, const char *target_b);
int fw_entry6_same(const struct ip6t_entry *a, const char *target_a,
		   const struct ip6t_entry *b, const char *target_b);

/* The comment match's text of an entry read from the kernel (header of
 * hdr_size bytes, matches up to target_offset), or NULL. */
const char *fw_entry_comment(const void *entry, size_t hdr_size, uint16_t target_offset);

#endif
