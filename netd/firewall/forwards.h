/* Port forwards from the config share: /media/etc/port_forwards.conf.
 *
 *   # PROTOCOL  OUTSIDE-PORT[-LAST]  ->  INSIDE-ADDRESS[:PORT[-LAST]]
 *   tcp      2222       -> 10.0.0.2:22
 *   udp      60000-60010 -> 10.0.0.2          (same ports inside)
 *   tcp+udp  8000-8010  -> 10.0.0.2:9000      (one to one: 8000->9000 ...)
 *   tcp      2222       -> [fd00::2]:22       (IPv6, through NAT66)
 *   tcp      8080       -> fd00::2            (IPv6, same port)
 *
 * A bad line is reported as "file:line: what was expected" and skipped;
 * the other lines still apply. Skipped too: a line whose outside ports
 * overlap an earlier line's for the same protocol and family, ports
 * outside 1-65535, inside addresses outside the inside network (or the
 * network, broadcast or guest address itself), IPv6 forwards while IPv6 is
 * off, and udp 68, the guest's own DHCP client. */
#ifndef NETD_FORWARDS_H
#define NETD_FORWARDS_H

#include "conf.h"
#include "firewall.h"

#define FWD_DEFAULT_PATH "/media/etc/port_forwards.conf"

/* Where forwards may point. */
struct fwd_env {
	struct in_addr net, mask;	/* the inside network, e.g. 10.0.0.0/24 */
	struct in_addr self;		/* the guest's address on it */
	/* the inside IPv6 prefix and the guest's address in it (fd00::ffff/64);
	 * prefix6 = 0: IPv6 is off, IPv6 forwards are refused */
	struct in6_addr self6;
	uint8_t prefix6;
};

struct fwd_list {
	size_t n;
	struct fw_forward items[FW_MAX_FORWARDS];
	unsigned line[FW_MAX_FORWARDS];	/* where each came from */
};

/* Parses every line of r into out; returns the number of lines skipped
 * (each one logged with its file and line). */
unsigned fwd_parse(struct conf_reader *r, const struct fwd_env *env, struct fwd_list *out);
/* Reads path; the number of lines skipped, or -errno if it cannot be read
 * (-ENOENT: no file, which means no forwards). out is always valid. */
int fwd_load(const char *path, const struct fwd_env *env, struct fwd_list *out);

#endif
