/* The control-socket bridge's TCP ports: uds_passthru.conf's sockets
 * entries ("path=...,port=1200,..."), which the firewall opens from the
 * host link only. The grammar is lib/udspconf.h's, which uds-passthru
 * reads strictly; netd needs only the ports, and skips (and reports)
 * what it cannot read. */
#ifndef NETD_BRIDGE_H
#define NETD_BRIDGE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define BRIDGE_MAX_PORTS 16

/* The ports of a sockets value (entries separated by blanks or newlines,
 * fields by commas); line is where the value starts, for messages. */
size_t bridge_ports_parse(const char *sockets, const char *path, unsigned line,
			  uint16_t *out, size_t max);
/* The host link's address (interfaces.conf). network= must name it:
 * uds-passthru listens there and the host connects there, so a subnet
 * changed in interfaces.conf alone leaves the bridge unreachable. */
struct bridge_host {
	struct in_addr addr;
	uint8_t prefix;
};

/* network= ("A.B.C.D:MASK" or "A.B.C.D/NN") against h: 0 when they agree,
 * -1 when not or unreadable, with "path:line: what, and what is expected"
 * logged. */
int bridge_network_check(const char *value, const char *path, unsigned line,
			 const struct bridge_host *h);
/* The ports from the file, and its network= checked against h (when not
 * NULL; *network_ok says how it went, 1 when there is nothing to check);
 * 0 ports when it is missing (no bridge). */
size_t bridge_ports_load(const char *path, const struct bridge_host *h, int *network_ok,
			 uint16_t *out, size_t max);

#endif
