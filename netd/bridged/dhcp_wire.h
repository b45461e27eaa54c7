/* DHCP messages as bridged mode's relay reads and changes them (RFC 2131,
 * 2132). Pure: no sockets, so that unit tests and the fuzzer reach every
 * line. Only Ethernet clients (htype 1, hlen 6) and messages with the
 * magic cookie are DHCP here; everything else is refused. */
#ifndef NETD_DHCP_WIRE_H
#define NETD_DHCP_WIRE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_FIXED_LEN 240	/* the BOOTP header and the magic cookie */
#define DHCP_MSG_MAX 1500

enum { DHCP_BOOTREQUEST = 1, DHCP_BOOTREPLY = 2 };
enum {
	DHCP_DISCOVER = 1, DHCP_OFFER, DHCP_REQUEST, DHCP_DECLINE, DHCP_ACK, DHCP_NAK,
	DHCP_RELEASE, DHCP_INFORM
};

/* What the relay needs of one message; offsets point at an option's value
 * in the message, 0 when it has none. */
struct dhcp_view {
	uint8_t op;
	uint32_t xid;			/* as sent (network order) */
	uint8_t chaddr[6];
	struct in_addr ciaddr, yiaddr;
	uint8_t type;			/* option 53; 0: none (BOOTP) */
	size_t server_id_off;		/* option 54, 4 bytes */
	size_t lease_off;		/* option 51, 4 bytes */
	size_t t1_off, t2_off;		/* options 58 and 59, 4 bytes each */
	size_t requested_off;		/* option 50, 4 bytes */
};

/* Reads msg; 0, or -1 with *why set when it is not a DHCP message this
 * relay passes on (cut short, not Ethernet, no cookie, an option that
 * runs past the end, a length that does not fit its option). */
int dhcp_read(const uint8_t *msg, size_t len, struct dhcp_view *v, const char **why);

const char *dhcp_type_name(uint8_t type);

/* In an IPv4 packet (from its IP header on), the UDP payload sent to
 * port: 0 with *off and *len set, or -1 when it is not one (another
 * protocol or port, a fragment, lengths that do not add up). */
int dhcp_udp_payload(const uint8_t *pkt, size_t len, uint16_t port, size_t *off, size_t *plen);

/* Changes in place; the message's length never changes. */
void dhcp_set_broadcast(uint8_t *msg);
void dhcp_put_addr(uint8_t *msg, size_t off, struct in_addr a);
struct in_addr dhcp_get_addr(const uint8_t *msg, size_t off);
uint32_t dhcp_get_u32(const uint8_t *msg, size_t off);
void dhcp_put_u32(uint8_t *msg, size_t off, uint32_t value);

/* A NAK from server_id for the request (its xid, flags and client): the
 * answer that makes a client drop its address and start over. Writes
 * into out (at least DHCP_NAK_LEN bytes); returns its length. */
#define DHCP_NAK_LEN 300	/* BOOTP's least, padded after the end */
size_t dhcp_make_nak(uint8_t *out, const uint8_t *request, struct in_addr server_id);

/* Caps the lease a reply grants at max_s seconds, and its renewal (T1)
 * and rebinding (T2) times to half and 7/8 of the result, as RFC 2131's
 * defaults: the host then comes back to the relay in time after the
 * guest moves to another network. Returns the lease it now grants (0:
 * the reply names none). */
uint32_t dhcp_cap_lease(uint8_t *msg, const struct dhcp_view *v, uint32_t max_s);

#endif
