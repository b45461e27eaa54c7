// SRCS: netd/ipv6/ra.c
/* The options of the uplink's router advertisements, as the kernel passes
 * them up (RTM_NEWNDUSEROPT), on arbitrary bytes: the only part of a
 * packet from the Wi-Fi network that netd reads itself. Whatever the
 * input: at most RA_MAX_DNS servers, each one a host behind the guest can
 * use, and an advertisement built from them fits and says so. */
#include "ra.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ra_params p = { .hop_limit = 64, .prefix_len = 64 };
	uint8_t buf[RA_MAX_SIZE];
	struct ra_dns d;
	int found = ra_parse_rdnss(data, size, &d);

	if (found < 0 || d.n > RA_MAX_DNS || (!found && d.n))
		abort();
	for (unsigned k = 0; k < d.n; k++)
		if (!ra_dns_usable(&d.addr[k]))
			abort();
	memcpy(p.dns, d.addr, sizeof(d.addr));
	p.n_dns = d.n;
	memcpy(p.old_dns, d.addr, sizeof(d.addr));
	p.n_old_dns = d.n;
	if (ra_build(&p, buf, sizeof(buf)) != 16 + 32 + (d.n ? 2 * (8 + 16 * d.n) : 0))
		abort();
	return 0;
}
