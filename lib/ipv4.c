#include "ipv4.h"

#include <arpa/inet.h>
#include <string.h>

struct in_addr prefix_mask(unsigned prefix)
{
	struct in_addr m;

	if (prefix > 32)
		prefix = 32;
	m.s_addr = prefix ? htonl(0xffffffffu << (32 - prefix)) : 0;
	return m;
}

int parse_ipv4(const char *s, struct in_addr *out)
{
	return inet_pton(AF_INET, s, out) == 1 ? 0 : -1;
}

int parse_prefix_len(const char *s, unsigned max, uint8_t *out)
{
	unsigned long v = 0;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -1;
	/* digits only, so no sign or blank; stop before it could overflow */
	for (; *s; s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = (uint8_t)v;
	return 0;
}

int mask_prefix_len(struct in_addr mask, uint8_t *prefix)
{
	uint32_t h = ntohl(mask.s_addr), inv = ~h;
	uint8_t n = 0;

	if (inv & (inv + 1))
		return -1;	/* not contiguous ones then zeros */
	for (; h; h <<= 1)
		n++;
	*prefix = n;
	return 0;
}

int parse_netmask(const char *s, uint8_t *prefix)
{
	struct in_addr m;

	if (!strchr(s, '.'))
		return parse_prefix_len(s, 32, prefix);
	if (parse_ipv4(s, &m) < 0)
		return -1;
	return mask_prefix_len(m, prefix);
}

int parse_port(const char *s, unsigned *out)
{
	unsigned v = 0;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -1;
	for (; *s; s++) {
		v = v * 10 + (unsigned)(*s - '0');
		if (v > 65535)
			return -1;
	}
	if (!v)
		return -1;
	*out = v;
	return 0;
}
