/* IPv4 text and masks, one owner for every program: netd's parsers, its
 * firewall encoder and uds-passthru's network= all read addresses,
 * prefixes and netmasks through these. Portable (POSIX): uds-passthru's
 * host mode builds on FreeBSD. */
#ifndef WB_IPV4_H
#define WB_IPV4_H

#include <netinet/in.h>
#include <stdint.h>

/* The netmask of a prefix length, network byte order; above 32 is 32. */
struct in_addr prefix_mask(unsigned prefix);
/* Dotted quad "a.b.c.d"; 0 or -1. */
int parse_ipv4(const char *s, struct in_addr *out);
/* A prefix length: decimal digits only, 0 to max; 0 or -1. */
int parse_prefix_len(const char *s, unsigned max, uint8_t *out);
/* The prefix length of a contiguous mask (ones, then zeros); -1 if not. */
int mask_prefix_len(struct in_addr mask, uint8_t *prefix);
/* "255.255.255.0" (contiguous) or "24"; 0 or -1. */
int parse_netmask(const char *s, uint8_t *prefix);
/* A TCP or UDP port: decimal digits only, 1 to 65535; 0 or -1. */
int parse_port(const char *s, unsigned *out);

#endif
