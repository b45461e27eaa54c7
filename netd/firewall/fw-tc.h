/* libiptc and libip6tc behind one table of operations, so that
 * firewall.c applies a rule set the same way to either family. Each
 * library's header is included by its own file only (fw-ip4tc.c,
 * fw-ip6tc.c): they define the same names differently. Entries are
 * passed as const void *: a struct ipt_entry or a struct ip6t_entry. */
#ifndef NETD_FW_TC_H
#define NETD_FW_TC_H

#include "fw-encode.h"

struct xtc_handle;

struct fw_tc {
	enum fw_family family;
	const char *name;	/* "iptables", "ip6tables": for messages */
	struct xtc_handle *(*init)(const char *table);
	void (*free)(struct xtc_handle *h);
	int (*commit)(struct xtc_handle *h);
	const char *(*strerror)(int err);
	int (*is_chain)(const char *chain, struct xtc_handle *h);
	int (*create_chain)(const char *chain, struct xtc_handle *h);
	int (*flush)(const char *chain, struct xtc_handle *h);
	const void *(*first)(const char *chain, struct xtc_handle *h);
	const void *(*next)(const void *e, struct xtc_handle *h);
	const char *(*target)(const void *e, struct xtc_handle *h);
	int (*append)(const char *chain, const struct fw_entry *e, struct xtc_handle *h);
	int (*insert)(const char *chain, const struct fw_entry *e, unsigned num, struct xtc_handle *h);
	int (*delete_num)(const char *chain, unsigned num, struct xtc_handle *h);
	/* the model's rule as this family's entry; 0 or -1 */
	int (*encode)(const struct fw_rule *r, struct fw_entry *out);
	/* a kernel entry does what want does */
	int (*same)(const void *e, const char *target, const struct fw_entry *want,
		    const char *want_target);
	/* "-j CHAIN" and nothing else: the link from a built-in chain */
	int (*plain)(const void *e);
	void (*jump)(const char *chain, struct fw_entry *out);
	const char *(*comment)(const void *e);
	void (*counters)(const void *e, uint64_t *packets, uint64_t *bytes);
};

extern const struct fw_tc fw_ip4tc, fw_ip6tc;

#endif
