/* UDP relays from the config share: /media/etc/forwarding.conf, in the
 * socat form Wifibox's guest ran one socat per line of:
 *
 *   # RECEIVE                             SEND TO
 *   UDP4-RECV:11223,broadcast,reuseaddr   UDP4:10.0.0.2:11223
 *
 * Each datagram that reaches the guest from the Wi-Fi side on the port
 * (a broadcast, or to the guest's address there) is sent on to the
 * address and port, usually the host's. Understood: UDP4-RECV,
 * UDP4-RECVFROM, UDP-RECV and UDP-RECVFROM with the options broadcast,
 * reuseaddr and fork (all three are how the guest works anyway); then
 * UDP4, UDP4-SENDTO, UDP4-DATAGRAM and their UDP- forms, with broadcast.
 * Anything else is reported as "file:line: what was expected" and the
 * line skipped; so is a port received twice. */
#ifndef NETD_RELAYS_H
#define NETD_RELAYS_H

#include <netinet/in.h>
#include <stdint.h>

#include "conf.h"

#define RELAYS_MAX 16

struct relay_rule {
	uint16_t port;			/* received on, from the Wi-Fi side */
	struct in_addr to;		/* sent on to */
	uint16_t to_port;
	unsigned line;
};

struct relay_list {
	size_t n;
	struct relay_rule r[RELAYS_MAX];
};

/* Every line of r into out; the number of lines skipped (each logged). */
unsigned relays_parse(struct conf_reader *r, struct relay_list *out);
/* Reads path: the lines skipped, or -errno (-ENOENT: no file, no relays).
 * out is always valid. */
int relays_load(const char *path, struct relay_list *out);

#endif
