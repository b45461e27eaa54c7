/* lib/ipv4.c: the IPv4 helpers netd's parsers, its firewall encoder and
 * uds-passthru share. */
#include "check.h"
#include "../../lib/ipv4.h"

#include <arpa/inet.h>

static uint32_t mask_of(unsigned prefix)
{
	return ntohl(prefix_mask(prefix).s_addr);
}

TEST(prefix_mask_from_0_to_32_and_beyond)
{
	CHECK(mask_of(0) == 0);
	CHECK(mask_of(1) == 0x80000000u);
	CHECK(mask_of(24) == 0xffffff00u);
	CHECK(mask_of(32) == 0xffffffffu);
	CHECK(mask_of(33) == 0xffffffffu);	/* the firewall encoder's clamp */
	CHECK(mask_of(255) == 0xffffffffu);
}

TEST(prefix_len_is_decimal_digits_up_to_max)
{
	uint8_t p = 99;

	CHECK_INT(parse_prefix_len("24", 32, &p), 0);
	CHECK_INT(p, 24);
	CHECK_INT(parse_prefix_len("0", 32, &p), 0);
	CHECK_INT(p, 0);
	CHECK_INT(parse_prefix_len("128", 128, &p), 0);
	CHECK_INT(p, 128);
	p = 7;
	CHECK_INT(parse_prefix_len("33", 32, &p), -1);
	CHECK_INT(parse_prefix_len("", 32, &p), -1);
	CHECK_INT(parse_prefix_len("+24", 32, &p), -1);
	CHECK_INT(parse_prefix_len(" 24", 32, &p), -1);
	CHECK_INT(parse_prefix_len("2x", 32, &p), -1);
	CHECK_INT(parse_prefix_len("99999999999999999999999", 32, &p), -1);
	CHECK_INT(p, 7);	/* untouched on failure */
}

TEST(netmask_dotted_and_contiguous_or_a_length)
{
	uint8_t p = 0;
	struct in_addr m;

	CHECK_INT(parse_netmask("255.255.255.0", &p), 0);
	CHECK_INT(p, 24);
	CHECK_INT(parse_netmask("255.255.255.255", &p), 0);
	CHECK_INT(p, 32);
	CHECK_INT(parse_netmask("0.0.0.0", &p), 0);
	CHECK_INT(p, 0);
	CHECK_INT(parse_netmask("16", &p), 0);
	CHECK_INT(p, 16);
	CHECK_INT(parse_netmask("255.0.255.0", &p), -1);
	CHECK_INT(parse_netmask("255.255.255", &p), -1);
	CHECK_INT(parse_netmask("40", &p), -1);
	inet_pton(AF_INET, "255.255.254.0", &m);
	CHECK_INT(mask_prefix_len(m, &p), 0);
	CHECK_INT(p, 23);
	inet_pton(AF_INET, "0.255.255.255", &m);
	CHECK_INT(mask_prefix_len(m, &p), -1);
}

TEST(ipv4_is_a_dotted_quad)
{
	struct in_addr a;

	CHECK_INT(parse_ipv4("10.0.0.1", &a), 0);
	CHECK(ntohl(a.s_addr) == 0x0a000001u);
	CHECK_INT(parse_ipv4("10.0.0", &a), -1);
	CHECK_INT(parse_ipv4("10.0.0.256", &a), -1);
	CHECK_INT(parse_ipv4("10.0.0.1/24", &a), -1);
}
