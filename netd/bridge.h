/* The control-socket bridge's TCP ports: uds_passthru.conf's sockets
 * entries ("path=...,port=1200,..."), which the firewall opens from the
 * host link only. uds-passthru reads the file strictly itself; netd needs
 * only the ports, and skips (and reports) what it cannot read. */
#ifndef NETD_BRIDGE_H
#define NETD_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#define BRIDGE_MAX_PORTS 16

/* The ports of a sockets value (entries separated by blanks or newlines,
 * fields by commas); line is where the value starts, for messages. */
size_t bridge_ports_parse(const char *sockets, const char *path, unsigned line,
			  uint16_t *out, size_t max);
/* The same from the file; 0 when it is missing (no bridge). */
size_t bridge_ports_load(const char *path, uint16_t *out, size_t max);

#endif
