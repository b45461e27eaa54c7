/* Bridged mode's DHCP reading and rewriting (netd/bridged/dhcp_wire.c). */
#include "check.h"
#include "dhcp_wire.h"

#include <arpa/inet.h>

static uint8_t msg[600];

/* A message with the given options (code, length, value... then 255). */
static size_t make(uint8_t op, const uint8_t *opts, size_t n)
{
	static const uint8_t mac[6] = { 0x58, 0x9c, 0xfc, 0x00, 0x00, 0x02 };

	memset(msg, 0, sizeof(msg));
	msg[0] = op;
	msg[1] = 1;
	msg[2] = 6;
	memcpy(msg + 4, "\x12\x34\x56\x78", 4);
	memcpy(msg + 28, mac, 6);
	memcpy(msg + 236, "\x63\x82\x53\x63", 4);
	memcpy(msg + 240, opts, n);
	return 240 + n;
}

static const char *ip(struct in_addr a)
{
	static char buf[INET_ADDRSTRLEN];

	return inet_ntop(AF_INET, &a, buf, sizeof(buf));
}

static const uint8_t ack_opts[] = {
	53, 1, 5,
	54, 4, 192, 168, 50, 1,
	51, 4, 0, 0, 0x0e, 0x10,	/* 3600 s */
	58, 4, 0, 0, 0x07, 0x08,
	59, 4, 0, 0, 0x0c, 0x4e,
	0, 0,				/* pads */
	255
};

TEST(dhcp_read_finds_the_type_the_client_and_the_options_it_changes)
{
	struct dhcp_view v;
	const char *why;
	size_t len = make(DHCP_BOOTREPLY, ack_opts, sizeof(ack_opts));

	msg[16] = 192, msg[17] = 168, msg[18] = 50, msg[19] = 123;	/* yiaddr */
	CHECK_INT(dhcp_read(msg, len, &v, &why), 0);
	CHECK_INT(v.op, DHCP_BOOTREPLY);
	CHECK_INT(v.type, DHCP_ACK);
	CHECK_STR(dhcp_type_name(v.type), "ACK");
	CHECK_STR(ip(v.yiaddr), "192.168.50.123");
	CHECK_INT(v.chaddr[0], 0x58);
	CHECK_STR(ip(dhcp_get_addr(msg, v.server_id_off)), "192.168.50.1");
	CHECK_INT(dhcp_get_u32(msg, v.lease_off), 3600);
	CHECK(v.t1_off && v.t2_off && !v.requested_off);
}

TEST(dhcp_cap_lease_shortens_long_leases_and_their_times_only)
{
	struct dhcp_view v;
	const char *why;
	size_t len = make(DHCP_BOOTREPLY, ack_opts, sizeof(ack_opts));

	CHECK_INT(dhcp_read(msg, len, &v, &why), 0);
	CHECK_INT(dhcp_cap_lease(msg, &v, 600), 600);
	CHECK_INT(dhcp_get_u32(msg, v.lease_off), 600);
	CHECK_INT(dhcp_get_u32(msg, v.t1_off), 300);
	CHECK_INT(dhcp_get_u32(msg, v.t2_off), 525);
	CHECK_INT(dhcp_cap_lease(msg, &v, 3600), 600);	/* already short: left */
	CHECK_INT(dhcp_get_u32(msg, v.t1_off), 300);
	/* the rewritten message still reads, with the same length */
	CHECK_INT(dhcp_read(msg, len, &v, &why), 0);
}

TEST(dhcp_put_addr_and_broadcast_flag_change_the_message_in_place)
{
	struct dhcp_view v;
	const char *why;
	struct in_addr a;
	size_t len = make(DHCP_BOOTREPLY, ack_opts, sizeof(ack_opts));

	CHECK_INT(dhcp_read(msg, len, &v, &why), 0);
	inet_pton(AF_INET, "10.0.0.1", &a);
	dhcp_put_addr(msg, v.server_id_off, a);
	dhcp_set_broadcast(msg);
	CHECK_INT(msg[10], 0x80);
	CHECK_INT(msg[11], 0);
	CHECK_INT(dhcp_read(msg, len, &v, &why), 0);
	CHECK_STR(ip(dhcp_get_addr(msg, v.server_id_off)), "10.0.0.1");
}

TEST(dhcp_read_refuses_what_it_cannot_pass_on_safely)
{
	static const struct {
		const uint8_t *opts;
		size_t n;
		const char *why;
	} bad[] = {
		{ (const uint8_t *)"\x35\x01\x01", 3, "the options have no end" },
		{ (const uint8_t *)"\x35\x01", 2, "runs past the end" },
		{ (const uint8_t *)"\x35", 1, "cut short" },
		{ (const uint8_t *)"\x35\x02\x01\x01\xff", 5, "not 1 byte long" },
		{ (const uint8_t *)"\x35\x01\x05\x36\x03\x01\x02\x03\xff", 9, "not 4 bytes long" },
		{ (const uint8_t *)"\x35\x01\x05\x33\x04\0\0\0\1\x33\x04\0\0\0\1\xff", 17, "given twice" },
		{ (const uint8_t *)"\x35\x01\x05\x34\x01\x01\xff", 7, "overload" },
		{ (const uint8_t *)"\x0c\x01\x41\xff", 4, "no message type" },
	};
	struct dhcp_view v;
	const char *why;
	size_t len;

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		len = make(DHCP_BOOTREQUEST, bad[k].opts, bad[k].n);
		CHECK_INT(dhcp_read(msg, len, &v, &why), -1);
		CHECK_CONTAINS(why, bad[k].why);
	}
	len = make(DHCP_BOOTREQUEST, (const uint8_t *)"\x35\x01\x01\xff", 4);
	CHECK_INT(dhcp_read(msg, 200, &v, &why), -1);
	CHECK_CONTAINS(why, "shorter");
	msg[2] = 16;	/* hlen: not Ethernet */
	CHECK_INT(dhcp_read(msg, len, &v, &why), -1);
	CHECK_CONTAINS(why, "Ethernet");
	msg[2] = 6;
	msg[237] = 0;	/* the cookie */
	CHECK_INT(dhcp_read(msg, len, &v, &why), -1);
	CHECK_CONTAINS(why, "cookie");
	msg[237] = 0x82;
	msg[0] = 3;
	CHECK_INT(dhcp_read(msg, len, &v, &why), -1);
	CHECK_CONTAINS(why, "neither");
}

TEST(dhcp_make_nak_answers_the_request_it_refuses)
{
	static const uint8_t renew[] = { 53, 1, 3, 255 };
	static uint8_t nak[DHCP_NAK_LEN];
	struct dhcp_view req, v;
	struct in_addr id;
	const char *why;
	size_t len = make(DHCP_BOOTREQUEST, renew, sizeof(renew));

	msg[10] = 0x80;	/* the broadcast flag, kept */
	CHECK_INT(dhcp_read(msg, len, &req, &why), 0);
	inet_pton(AF_INET, "10.0.0.1", &id);
	CHECK_INT(dhcp_make_nak(nak, msg, id), DHCP_NAK_LEN);
	CHECK_INT(dhcp_read(nak, DHCP_NAK_LEN, &v, &why), 0);
	CHECK_INT(v.op, DHCP_BOOTREPLY);
	CHECK_INT(v.type, DHCP_NAK);
	CHECK(v.xid == req.xid && !memcmp(v.chaddr, req.chaddr, 6));
	CHECK_INT(nak[10], 0x80);
	CHECK_STR(ip(dhcp_get_addr(nak, v.server_id_off)), "10.0.0.1");
	CHECK(!v.lease_off && !v.yiaddr.s_addr);
}

/* An IPv4 header (20 bytes), a UDP header, then payload. */
static size_t packet(uint8_t *p, uint16_t dport, size_t payload, uint8_t frag_hi)
{
	size_t total = 28 + payload;

	memset(p, 0, total);
	p[0] = 0x45;
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[6] = frag_hi;
	p[9] = 17;
	p[22] = (uint8_t)(dport >> 8);
	p[23] = (uint8_t)dport;
	p[24] = (uint8_t)((payload + 8) >> 8);
	p[25] = (uint8_t)(payload + 8);
	return total;
}

TEST(dhcp_udp_payload_takes_whole_datagrams_to_the_port_only)
{
	static uint8_t p[400];
	size_t off, len, n;

	n = packet(p, 68, 300, 0);
	CHECK_INT(dhcp_udp_payload(p, n, 68, &off, &len), 0);
	CHECK_INT(off, 28);
	CHECK_INT(len, 300);
	CHECK_INT(dhcp_udp_payload(p, n, 67, &off, &len), -1);		/* another port */
	CHECK_INT(dhcp_udp_payload(p, n - 1, 68, &off, &len), -1);	/* cut short */
	n = packet(p, 68, 300, 0x20);					/* more fragments */
	CHECK_INT(dhcp_udp_payload(p, n, 68, &off, &len), -1);
	n = packet(p, 68, 300, 0);
	p[25] = 0xff;							/* UDP longer than IP */
	CHECK_INT(dhcp_udp_payload(p, n, 68, &off, &len), -1);
	n = packet(p, 68, 300, 0);
	p[9] = 6;							/* TCP */
	CHECK_INT(dhcp_udp_payload(p, n, 68, &off, &len), -1);
	n = packet(p, 68, 300, 0);
	p[0] = 0x44;							/* header too short */
	CHECK_INT(dhcp_udp_payload(p, n, 68, &off, &len), -1);
}
