/* The responder's records (issue 16): what the guest says on the Wi-Fi
 * side about the services of mdnsd-services.conf. Pure: no sockets.
 *
 * For each service, RFC 6763's four records, names under .local:
 *   _services._dns-sd._udp PTR TYPE          (browsing for types)
 *   TYPE PTR INSTANCE.TYPE                   (browsing for instances)
 *   INSTANCE.TYPE SRV 0 0 PORT HOST          (unique: cache-flush)
 *   INSTANCE.TYPE TXT ...                    (unique)
 * and one A record, HOST -> the guest's Wi-Fi address (unique). HOST is
 * the guest's host name. */
#ifndef NETD_MDNS_RECORDS_H
#define NETD_MDNS_RECORDS_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "mdns_services.h"
#include "mdns_wire.h"

#define MDNS_TTL_HOST_RECORDS 120	/* RFC 6762 10: A and SRV */
#define MDNS_TTL_OTHER_RECORDS 4500	/* PTR and TXT */

struct mdns_zone {
	const struct mdns_service_list *services;
	uint8_t host[MDNS_NAME_MAX];	/* "HOST.local", wire form */
	size_t host_len;
	struct in_addr addr;		/* the A record's address */
};

/* HOST from hostname: its first label, letters, digits and '-' only;
 * "wifibox" when nothing is left. */
void mdns_zone_set_host(struct mdns_zone *z, const char *hostname);
/* The response to a message from the Wi-Fi side: its length in out, 0
 * when it asks nothing of ours (or is a response), -1 when malformed. */
int mdns_answer(const struct mdns_zone *z, const uint8_t *q, size_t qlen, uint8_t *out, size_t cap);
/* Service k's records and the A record, as an unsolicited response; with
 * goodbye, TTL 0 (RFC 6762 10.1): the records are withdrawn. */
int mdns_announcement(const struct mdns_zone *z, size_t k, int goodbye, uint8_t *out, size_t cap);

#endif
