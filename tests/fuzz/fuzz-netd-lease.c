// SRCS: netd/dhcp/lease.c netd/config/ifconf.c lib/conf.c lib/log.c lib/ipv4.c
/* udhcpc's lease message on arbitrary bytes: it carries what a DHCP server
 * on the Wi-Fi network sent. Whatever the input: a message is taken only
 * with a valid event and interface, bound and renew only with an address
 * and mask, and every name that could reach resolv.conf or udhcpd.conf
 * is a plain DNS name. */
#include "ifconf.h"
#include "lease.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_search(const char *s)
{
	char buf[LEASE_SEARCH_MAX], *w, *save = NULL;

	if (strlen(s) >= LEASE_SEARCH_MAX)
		abort();
	strcpy(buf, s);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if (!valid_domain(w))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lease l;

	log_open("fuzz", 0);
	if (lease_parse((const char *)data, size, &l) < 0)
		return 0;
	if (!valid_ifname(l.ifname) || l.n_dns > LEASE_MAX_DNS || l.event > LEASE_LEASEFAIL)
		abort();
	if ((l.event == LEASE_BOUND || l.event == LEASE_RENEW) && (!l.has_ip || !l.prefix || l.prefix > 32))
		abort();
	if (l.domain[0] && !valid_domain(l.domain))
		abort();
	check_search(l.search);
	return 0;
}
