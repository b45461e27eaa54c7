/* Router advertisements as bytes (RFC 4861 4.2, 4.6.2; RFC 8106 5.1), and
 * the uplink's DNS servers read from the options the kernel passes up. */
#include "check.h"

#include <arpa/inet.h>

#include "ra.h"

static struct in6_addr ip6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

static struct ra_params station(void)
{
	struct ra_params p = { .hop_limit = 64, .router_lifetime_s = 1800, .prefix_len = 64,
			       .valid_s = 86400, .preferred_s = 14400, .dns_lifetime_s = 1800 };

	p.prefix = ip6("fd00::ffff");
	p.dns[0] = ip6("2001:db8:53::1");
	p.dns[1] = ip6("2001:db8:53::2");
	p.n_dns = 2;
	return p;
}

static unsigned get32(const uint8_t *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

TEST(ra_header_prefix_and_rdnss)
{
	struct ra_params p = station();
	uint8_t buf[RA_MAX_SIZE];
	size_t len = ra_build(&p, buf, sizeof(buf));
	struct in6_addr a;

	CHECK_INT(len, 16 + 32 + 8 + 32);
	/* header: type 134, code 0, hop limit, M=O=0, router lifetime */
	CHECK_INT(buf[0], 134);
	CHECK_INT(buf[1], 0);
	CHECK_INT(buf[4], 64);
	CHECK_INT(buf[5], 0);
	CHECK_INT(buf[6] << 8 | buf[7], 1800);
	CHECK_INT(get32(buf + 8), 0);	/* reachable time: the host's own */
	/* prefix information: on-link and autonomous, masked to the /64 */
	CHECK_INT(buf[16], 3);
	CHECK_INT(buf[17], 4);
	CHECK_INT(buf[18], 64);
	CHECK_INT(buf[19], 0xc0);
	CHECK_INT(get32(buf + 20), 86400);
	CHECK_INT(get32(buf + 24), 14400);
	memcpy(&a, buf + 32, 16);
	CHECK(!memcmp(&a, &(struct in6_addr){ .s6_addr = { 0xfd } }, 16));
	/* RDNSS: length 1 + 2 per address, lifetime, the addresses */
	CHECK_INT(buf[48], 25);
	CHECK_INT(buf[49], 5);
	CHECK_INT(get32(buf + 52), 1800);
	memcpy(&a, buf + 72, 16);
	CHECK(!memcmp(&a, &p.dns[1], 16));
}

TEST(ra_withdrawn_router_has_lifetime_0_and_stale_servers_go_with_lifetime_0)
{
	struct ra_params p = station();
	uint8_t buf[RA_MAX_SIZE];
	size_t len;

	p.router_lifetime_s = 0;
	p.n_dns = 0;
	p.old_dns[0] = ip6("2001:db8:53::1");
	p.n_old_dns = 1;
	len = ra_build(&p, buf, sizeof(buf));
	CHECK_INT(len, 16 + 32 + 24);
	CHECK_INT(buf[6] << 8 | buf[7], 0);
	CHECK_INT(buf[48], 25);
	CHECK_INT(buf[49], 3);
	CHECK_INT(get32(buf + 52), 0);
}

/* Bridged mode: the Wi-Fi network's prefix as well, autonomous and not
 * on-link; one that went is sent once with lifetimes 0. */
TEST(ra_bridged_prefix_is_autonomous_not_on_link_and_a_gone_one_deprecated)
{
	struct ra_params p = station();
	uint8_t buf[RA_MAX_SIZE];
	struct in6_addr a;
	size_t len;

	p.bridged_prefix = ip6("2001:db8:50::");
	p.bridged_len = 64;
	p.bridged_valid_s = 1800;
	p.bridged_preferred_s = 900;
	p.old_bridged_prefix = ip6("2001:db8:60::");
	p.old_bridged_len = 64;
	len = ra_build(&p, buf, sizeof(buf));
	CHECK_INT(len, 16 + 32 + 32 + 32 + 8 + 32);
	/* the guest's own first, on-link; then the network's */
	CHECK_INT(buf[19], 0xc0);
	CHECK_INT(buf[48], 3);
	CHECK_INT(buf[50], 64);
	CHECK_INT(buf[51], 0x40);	/* A only */
	CHECK_INT(get32(buf + 52), 1800);
	CHECK_INT(get32(buf + 56), 900);
	memcpy(&a, buf + 64, 16);
	CHECK(!memcmp(&a, &p.bridged_prefix, 16));
	/* the one that went: lifetimes 0 */
	CHECK_INT(buf[80], 3);
	CHECK_INT(buf[83], 0x40);
	CHECK_INT(get32(buf + 84), 0);
	CHECK_INT(get32(buf + 88), 0);
	memcpy(&a, buf + 96, 16);
	CHECK(!memcmp(&a, &p.old_bridged_prefix, 16));
	CHECK_INT(buf[112], 25);	/* then RDNSS */
}

TEST(ra_too_small_a_buffer_builds_nothing)
{
	struct ra_params p = station();
	uint8_t buf[40];

	CHECK_INT(ra_build(&p, buf, sizeof(buf)), 0);
}

/* The options as RTM_NEWNDUSEROPT carries them. */
static size_t rdnss(uint8_t *out, uint8_t len8, uint32_t lifetime, const char *const *addrs, int n)
{
	memset(out, 0, (size_t)len8 * 8);
	out[0] = 25;
	out[1] = len8;
	out[4] = (uint8_t)(lifetime >> 24);
	out[5] = (uint8_t)(lifetime >> 16);
	out[6] = (uint8_t)(lifetime >> 8);
	out[7] = (uint8_t)lifetime;
	for (int k = 0; k < n; k++) {
		struct in6_addr a = ip6(addrs[k]);

		memcpy(out + 8 + 16 * k, &a, 16);
	}
	return (size_t)len8 * 8;
}

TEST(rdnss_servers_and_their_lifetimes)
{
	static const char *const two[] = { "2001:db8:53::1", "fe80::1" };
	static const char *const one[] = { "2001:db8:53::2" };
	uint8_t opts[256];
	size_t len = 0;
	struct ra_dns d;

	/* a DNSSL option (31) first: skipped by its length */
	opts[0] = 31;
	opts[1] = 2;
	memset(opts + 2, 'x', 14);
	len = 16;
	len += rdnss(opts + len, 5, 600, two, 2);
	len += rdnss(opts + len, 3, 0xffffffffu, one, 1);
	CHECK_INT(ra_parse_rdnss(opts, len, &d), 2);
	CHECK_INT(d.n, 2);
	CHECK_INT(d.skipped, 1);	/* the router's link-local is no use inside */
	CHECK(!memcmp(&d.addr[0], &(struct in6_addr){ .s6_addr = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x53, [15] = 1 } }, 16));
	CHECK_INT(d.lifetime_s[0], 600);
	CHECK_INT(d.lifetime_s[1], 0xffffffffu);
}

TEST(rdnss_malformed_options_end_the_walk)
{
	static const char *const one[] = { "2001:db8:53::1" };
	uint8_t opts[64];
	struct ra_dns d;

	/* length 0 would loop for ever: nothing after it is read */
	memset(opts, 0, sizeof(opts));
	opts[0] = 25;
	CHECK_INT(ra_parse_rdnss(opts, 24, &d), 0);
	/* an option running past the end */
	rdnss(opts, 3, 600, one, 1);
	CHECK_INT(ra_parse_rdnss(opts, 23, &d), 0);
	CHECK_INT(d.n, 0);
	/* even lengths are not RDNSS (RFC 8106: 3, 5, 7...) */
	rdnss(opts, 4, 600, one, 1);
	CHECK_INT(ra_parse_rdnss(opts, 32, &d), 0);
	/* length 1: a header without a lifetime */
	rdnss(opts, 1, 600, one, 0);
	CHECK_INT(ra_parse_rdnss(opts, 8, &d), 0);
	CHECK_INT(ra_parse_rdnss(opts, 0, &d), 0);
}

TEST(rdnss_at_most_three_servers_kept)
{
	static const char *const four[] = { "2001:db8::1", "2001:db8::2", "2001:db8::3", "2001:db8::4" };
	uint8_t opts[128];
	struct ra_dns d;

	CHECK_INT(ra_parse_rdnss(opts, rdnss(opts, 9, 60, four, 4), &d), 1);
	CHECK_INT(d.n, RA_MAX_DNS);
}

TEST(usable_dns_addresses)
{
	struct in6_addr a;

	CHECK(ra_dns_usable((a = ip6("2001:4860:4860::8888"), &a)));
	CHECK(ra_dns_usable((a = ip6("fd12:3456::53"), &a)));	/* the uplink's ULA: through NAT66 */
	CHECK(!ra_dns_usable((a = ip6("fe80::1"), &a)));
	CHECK(!ra_dns_usable((a = ip6("ff02::1"), &a)));
	CHECK(!ra_dns_usable((a = ip6("::"), &a)));
	CHECK(!ra_dns_usable((a = ip6("::1"), &a)));
	CHECK(!ra_dns_usable((a = ip6("::ffff:10.0.0.1"), &a)));
}
