/* Router advertisements as bytes (RFC 4861 4.2, RFC 8106 for RDNSS):
 * what netd sends on the inside link so that the host configures IPv6
 * without radvd, and the one piece of the uplink's advertisements netd
 * reads, the DNS servers the kernel passes up (RTM_NEWNDUSEROPT). Pure:
 * no sockets, no clock. */
#ifndef NETD_RA_H
#define NETD_RA_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define RA_MAX_DNS 3
#define RA_MAX_SIZE 256		/* header, prefix, two RDNSS options */

struct ra_params {
	uint8_t hop_limit;		/* for the host's own packets */
	uint16_t router_lifetime_s;	/* 0: not a default router */
	struct in6_addr prefix;		/* on-link, autonomous (SLAAC) */
	uint8_t prefix_len;
	uint32_t valid_s, preferred_s;
	/* bridged mode: the Wi-Fi network's prefix too, autonomous but not
	 * on-link (the host sends everything through the guest); 0: none */
	struct in6_addr bridged_prefix;
	uint8_t bridged_len;
	uint32_t bridged_valid_s, bridged_preferred_s;
	struct in6_addr old_bridged_prefix;	/* sent once deprecated (lifetimes 0) */
	uint8_t old_bridged_len;
	struct in6_addr dns[RA_MAX_DNS];
	unsigned n_dns;
	uint32_t dns_lifetime_s;
	/* servers advertised before and no more: sent once with lifetime 0,
	 * so that hosts drop them at once (RFC 8106 5.1) */
	struct in6_addr old_dns[RA_MAX_DNS];
	unsigned n_old_dns;
};

/* The ICMPv6 message (the kernel fills in the checksum); its length, or
 * 0 if size is too small. The prefix is masked to prefix_len. */
size_t ra_build(const struct ra_params *p, uint8_t *buf, size_t size);

struct ra_dns {
	struct in6_addr addr[RA_MAX_DNS];
	uint32_t lifetime_s[RA_MAX_DNS];	/* each one's; 0: withdrawn */
	unsigned n;
	unsigned skipped;		/* unusable beyond the uplink (link-local...) */
};

/* The RDNSS options among an advertisement's options as the kernel hands
 * them over (type, length in units of 8 bytes, data). The bytes come from
 * the Wi-Fi network: a malformed option ends the walk, an address that
 * cannot serve a host behind the guest (link-local, multicast,
 * unspecified, loopback, mapped IPv4) is skipped. Returns the number of
 * RDNSS options found (0: the advertisement carried none). */
int ra_parse_rdnss(const uint8_t *opts, size_t len, struct ra_dns *out);

/* An address a host behind the guest can reach through NAT66. */
int ra_dns_usable(const struct in6_addr *a);

#endif
