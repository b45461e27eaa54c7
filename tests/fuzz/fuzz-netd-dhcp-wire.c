// SRCS: netd/bridged/dhcp_wire.c
/* A frame from the Wi-Fi side (the first byte says which way in), as
 * bridged mode's relay sees it: the IPv4 and UDP headers taken apart, the
 * DHCP message read, and rewritten as the relay does (the server
 * identifier, the broadcast flag, the lease cap). Whatever the bytes,
 * nothing is read or written outside them, and a message that read well
 * reads well after the rewrite, with the same length and what was
 * written. */
#include "dhcp_wire.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t pkt[65536];

static void rewrite_and_check(uint8_t *msg, size_t len)
{
	struct dhcp_view v, again;
	struct in_addr id;
	const char *why;

	if (dhcp_read(msg, len, &v, &why) < 0) {
		if (!why)
			abort();
		return;
	}
	inet_pton(AF_INET, "10.0.0.1", &id);
	if (v.server_id_off)
		dhcp_put_addr(msg, v.server_id_off, id);
	dhcp_set_broadcast(msg);
	if (dhcp_cap_lease(msg, &v, 600) > 600)
		abort();
	if (dhcp_read(msg, len, &again, &why) < 0 || again.type != v.type ||
	    again.server_id_off != v.server_id_off || again.lease_off != v.lease_off)
		abort();
	if (v.server_id_off && dhcp_get_addr(msg, v.server_id_off).s_addr != id.s_addr)
		abort();
	if (v.lease_off && dhcp_get_u32(msg, v.lease_off) > 600)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off, len;

	if (size < 1)
		return 0;
	memcpy(pkt, data + 1, size - 1);
	if (data[0] & 1) {
		/* from the host: the message alone */
		rewrite_and_check(pkt, size - 1);
		return 0;
	}
	/* from the network: an IPv4 packet */
	if (dhcp_udp_payload(pkt, size - 1, 68, &off, &len) < 0)
		return 0;
	if (off + len > size - 1)
		abort();
	rewrite_and_check(pkt + off, len);
	return 0;
}
