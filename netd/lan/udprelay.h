/* forwarding.conf's UDP relays at work (issue 16): see udprelay.c. */
#ifndef NETD_UDPRELAY_H
#define NETD_UDPRELAY_H

#include <stddef.h>
#include <stdint.h>

#define UDPRELAY_PER_SECOND 200	/* datagrams a relay passes on in a second */

/* Reads forwarding.conf (errors with file:line). Station mode only. */
void udprelay_init(void);
/* The ports the firewall opens from the uplink, and their number. */
const uint16_t *udprelay_ports(size_t *n);
void udprelay_stop(void);

#endif
