/* uds_passthru.conf, read as Wifibox's host and guest read it, the one
 * reader of its grammar (uds-passthru, and netd for its firewall): shell
 * variables (lib/shconf.h) holding
 *   network=IP:MASK          (or IP/BITS) the guest's address on eth0
 *   sockets="path=P,user=U,group=G,mode=M,port=N ..."
 * where entries are separated by blanks or newlines and fields by commas.
 * user, group and mode are for the host side's socket; the guest checks
 * their syntax only. */
#ifndef WB_UDSPCONF_H
#define WB_UDSPCONF_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define UDSP_MAX_SOCKETS 16
/* The smallest sun_path of the systems we run on (FreeBSD: 104). */
#define UDSP_MAX_PATH 103
#define UDSP_MAX_OWNER 32

struct udsp_socket {
	char path[UDSP_MAX_PATH + 1];
	uint16_t port;
	char user[UDSP_MAX_OWNER + 1];	/* "" when not given */
	char group[UDSP_MAX_OWNER + 1];
	int mode;			/* -1 when not given */
	unsigned line;			/* where the entry is, for messages */
};

struct udsp_config {
	int has_network;
	struct in_addr addr, mask;	/* network byte order */
	struct udsp_socket sockets[UDSP_MAX_SOCKETS];
	size_t n_sockets;
	char error[320];		/* the first error, "file:line: what" */
};

/* 0; -ENOENT when the file is missing; -EINVAL when it is broken (the
 * reason is logged and kept in cfg->error); other -errno. */
int udsp_config_load(struct udsp_config *cfg, const char *path);
/* The same over text in memory (tests, fuzzers). */
int udsp_config_parse(struct udsp_config *cfg, const char *name, const char *text, size_t len);
/* The grammar's pieces, for readers that take less than the whole file
 * (netd opens the ports in its firewall and reports, not refuses, what
 * it cannot read). */
/* network=: "IP:MASK" or "IP/BITS" with a contiguous mask; 0 or -EINVAL. */
int udsp_parse_network(const char *s, struct in_addr *addr, struct in_addr *mask);
/* port=: decimal, 1 to 65535; 0 or -EINVAL. */
int udsp_parse_port(const char *s, uint16_t *port);
/* sockets=: fn gets each entry (blank- or newline-separated, writable)
 * with its line, counted from line, the assignment's; fn returns nonzero
 * to stop. 0, or -ENOMEM. */
typedef int (*udsp_entry_fn)(void *ctx, char *entry, unsigned line);
int udsp_sockets_each(const char *value, unsigned line, udsp_entry_fn fn, void *ctx);
/* The next "key=value" field of an entry (comma-separated; empty fields
 * carry nothing and are skipped), cut in place; NULL at the end. */
char *udsp_next_field(char **rest);

#endif
