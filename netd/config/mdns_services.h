/* Services the guest announces on the Wi-Fi side with multicast DNS, from
 * the config share: /media/etc/mdnsd-services.conf, in the form Wifibox's
 * guest gave mDNSResponderPosix (its Services.txt). One block per service,
 * blocks separated by blank lines:
 *
 *   Host's printer         the instance name, 1-63 bytes of UTF-8
 *   _ipp._tcp              the type, _NAME._tcp or _NAME._udp; a trailing
 *                          '.' and the domain local or local. may follow
 *   631                    the port, 1-65535
 *   rp=printers/host       TXT strings, one a line, none or more: each at
 *   pdl=application/pdf    most 255 bytes, 1300 in all in wire form
 *
 * A line that begins with '#' is a comment anywhere, inside a block too
 * (it does not end the block); a name or TXT string that begins with '#'
 * is written "\#...". A bad block is reported as "file:line: what was
 * expected" and skipped; the other blocks still apply. So is a block with
 * the name and type of an earlier one, and every block after the first
 * MDNS_SERVICES_MAX. */
#ifndef NETD_MDNS_SERVICES_H
#define NETD_MDNS_SERVICES_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"

struct fwd_list;

#define MDNS_SERVICES_MAX 16
#define MDNS_TXT_MAX 1300

struct mdns_service {
	char name[64];		/* the instance label, 1..63 bytes, NUL-terminated */
	char type[24];		/* "_ipp._tcp": no trailing dot, no domain */
	uint16_t port;
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP, from the type */
	uint8_t txt[MDNS_TXT_MAX];	/* the TXT record's RDATA in wire form: length-prefixed
					 * strings; with no TXT lines it is one zero byte
					 * (RFC 6763 6.1) */
	uint16_t txt_len;	/* >= 1 */
	unsigned line;		/* the block's first line */
};

struct mdns_service_list {
	size_t n;
	struct mdns_service s[MDNS_SERVICES_MAX];
};

#define MDNS_SERVICES_PATH "/media/etc/mdnsd-services.conf"

/* Every block of r into out; returns the number of blocks skipped (each logged). */
unsigned mdns_services_parse(struct conf_reader *r, struct mdns_service_list *out);
/* Reads path: the blocks skipped, or -errno (-ENOENT: no file, no services). out always valid. */
int mdns_services_load(const char *path, struct mdns_service_list *out);
/* Logs a warning for each service whose port and protocol has no forward in f (IPv4 forwards,
 * outside_lo..outside_hi, same proto), naming both files and the block's line, e.g.
 * "mdnsd-services.conf:5: 'printer' (_ipp._tcp) port 631 has no forward in port_forwards.conf:
 * the Wi-Fi side will find it but cannot connect". Returns the number of warnings. */
unsigned mdns_services_check_forwards(const struct mdns_service_list *s, const struct fwd_list *f);

#endif
