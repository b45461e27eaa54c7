/* DHCP messages for bridged mode's relay: see dhcp_wire.h. */
#include "dhcp_wire.h"

#include <string.h>

#define OFF_OP 0
#define OFF_HTYPE 1
#define OFF_HLEN 2
#define OFF_XID 4
#define OFF_FLAGS 10
#define OFF_CIADDR 12
#define OFF_YIADDR 16
#define OFF_CHADDR 28
#define OFF_COOKIE 236

enum {
	OPT_PAD = 0, OPT_REQUESTED = 50, OPT_LEASE = 51, OPT_OVERLOAD = 52, OPT_TYPE = 53,
	OPT_SERVER_ID = 54, OPT_T1 = 58, OPT_T2 = 59, OPT_END = 255
};

static const uint8_t cookie[4] = { 99, 130, 83, 99 };

static int refuse(const char **why, const char *what)
{
	*why = what;
	return -1;
}

uint32_t dhcp_get_u32(const uint8_t *msg, size_t off)
{
	return (uint32_t)msg[off] << 24 | (uint32_t)msg[off + 1] << 16 |
	       (uint32_t)msg[off + 2] << 8 | msg[off + 3];
}

void dhcp_put_u32(uint8_t *msg, size_t off, uint32_t value)
{
	msg[off] = (uint8_t)(value >> 24);
	msg[off + 1] = (uint8_t)(value >> 16);
	msg[off + 2] = (uint8_t)(value >> 8);
	msg[off + 3] = (uint8_t)value;
}

struct in_addr dhcp_get_addr(const uint8_t *msg, size_t off)
{
	struct in_addr a;

	memcpy(&a, msg + off, 4);
	return a;
}

void dhcp_put_addr(uint8_t *msg, size_t off, struct in_addr a)
{
	memcpy(msg + off, &a, 4);
}

void dhcp_set_broadcast(uint8_t *msg)
{
	msg[OFF_FLAGS] |= 0x80;
}

/* The options that matter here have fixed sizes: a wrong one is refused,
 * so that a later write of 4 bytes never lands outside its option. */
static int take_option(struct dhcp_view *v, uint8_t code, size_t off, uint8_t len, const uint8_t *msg,
		       const char **why)
{
	size_t *slot = NULL;

	switch (code) {
	case OPT_TYPE:
		if (len != 1)
			return refuse(why, "option 53 (message type) is not 1 byte long");
		v->type = msg[off];
		return 0;
	case OPT_OVERLOAD:
		/* options in the file and sname fields: never sent by the
		 * servers and clients this relays for; refused, not half read */
		return refuse(why, "option 52 (overload) is not supported");
	case OPT_SERVER_ID:
		slot = &v->server_id_off;
		break;
	case OPT_LEASE:
		slot = &v->lease_off;
		break;
	case OPT_T1:
		slot = &v->t1_off;
		break;
	case OPT_T2:
		slot = &v->t2_off;
		break;
	case OPT_REQUESTED:
		slot = &v->requested_off;
		break;
	default:
		return 0;
	}
	if (len != 4)
		return refuse(why, "an address or time option is not 4 bytes long");
	if (*slot)
		return refuse(why, "an address or time option is given twice");
	*slot = off;
	return 0;
}

static int read_options(const uint8_t *msg, size_t len, struct dhcp_view *v, const char **why)
{
	size_t i = DHCP_FIXED_LEN;

	while (i < len) {
		uint8_t code = msg[i], olen;

		if (code == OPT_END)
			return 0;
		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return refuse(why, "an option is cut short");
		olen = msg[i + 1];
		if (i + 2 + olen > len)
			return refuse(why, "an option runs past the end of the message");
		if (take_option(v, code, i + 2, olen, msg, why) < 0)
			return -1;
		i += 2 + (size_t)olen;
	}
	return refuse(why, "the options have no end");
}

int dhcp_read(const uint8_t *msg, size_t len, struct dhcp_view *v, const char **why)
{
	memset(v, 0, sizeof(*v));
	*why = NULL;
	if (len < DHCP_FIXED_LEN + 1)
		return refuse(why, "shorter than a DHCP message");
	if (len > DHCP_MSG_MAX)
		return refuse(why, "longer than the relay passes on");
	if (msg[OFF_OP] != DHCP_BOOTREQUEST && msg[OFF_OP] != DHCP_BOOTREPLY)
		return refuse(why, "neither a request nor a reply");
	if (msg[OFF_HTYPE] != 1 || msg[OFF_HLEN] != 6)
		return refuse(why, "not an Ethernet client");
	if (memcmp(msg + OFF_COOKIE, cookie, sizeof(cookie)))
		return refuse(why, "no DHCP magic cookie");
	v->op = msg[OFF_OP];
	memcpy(&v->xid, msg + OFF_XID, 4);
	memcpy(v->chaddr, msg + OFF_CHADDR, 6);
	v->ciaddr = dhcp_get_addr(msg, OFF_CIADDR);
	v->yiaddr = dhcp_get_addr(msg, OFF_YIADDR);
	if (read_options(msg, len, v, why) < 0)
		return -1;
	if (!v->type)
		return refuse(why, "no message type (BOOTP is not relayed)");
	return 0;
}

int dhcp_udp_payload(const uint8_t *pkt, size_t len, uint16_t port, size_t *off, size_t *plen)
{
	size_t ihl, total, udp_len;

	if (len < 20 || (pkt[0] >> 4) != 4)
		return -1;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	total = (size_t)pkt[2] << 8 | pkt[3];
	if (ihl < 20 || total > len || total < ihl + 8)
		return -1;
	if (pkt[9] != 17 || ((pkt[6] & 0x3f) | pkt[7]))	/* UDP; no fragment */
		return -1;
	if (((size_t)pkt[ihl + 2] << 8 | pkt[ihl + 3]) != port)
		return -1;
	udp_len = (size_t)pkt[ihl + 4] << 8 | pkt[ihl + 5];
	if (udp_len < 8 || ihl + udp_len > total)
		return -1;
	*off = ihl + 8;
	*plen = udp_len - 8;
	return 0;
}

const char *dhcp_type_name(uint8_t type)
{
	static const char *const names[] = {
		"?", "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE", "INFORM"
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}

size_t dhcp_make_nak(uint8_t *out, const uint8_t *request, struct in_addr server_id)
{
	static const uint8_t type_nak[3] = { OPT_TYPE, 1, DHCP_NAK };
	uint8_t *o = out + DHCP_FIXED_LEN;

	memset(out, 0, DHCP_NAK_LEN);
	out[OFF_OP] = DHCP_BOOTREPLY;
	out[OFF_HTYPE] = 1;
	out[OFF_HLEN] = 6;
	memcpy(out + OFF_XID, request + OFF_XID, 4);
	memcpy(out + OFF_FLAGS, request + OFF_FLAGS, 2);
	memcpy(out + OFF_CHADDR, request + OFF_CHADDR, 6);
	memcpy(out + OFF_COOKIE, cookie, sizeof(cookie));
	memcpy(o, type_nak, sizeof(type_nak));
	o[3] = OPT_SERVER_ID;
	o[4] = 4;
	memcpy(o + 5, &server_id, 4);
	o[9] = OPT_END;
	return DHCP_NAK_LEN;
}

uint32_t dhcp_cap_lease(uint8_t *msg, const struct dhcp_view *v, uint32_t max_s)
{
	uint32_t lease;

	if (!v->lease_off)
		return 0;
	lease = dhcp_get_u32(msg, v->lease_off);
	if (lease <= max_s)
		return lease;
	dhcp_put_u32(msg, v->lease_off, max_s);
	if (v->t1_off)
		dhcp_put_u32(msg, v->t1_off, max_s / 2);
	if (v->t2_off)
		dhcp_put_u32(msg, v->t2_off, max_s / 8 * 7);
	return max_s;
}
