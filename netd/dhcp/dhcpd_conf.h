/* The udhcpd.conf template of the config share (busybox udhcpd syntax,
 * with %%DNS%%, %%DOMAIN%% and %%SEARCH%% filled from the uplink).
 *
 * Two steps: load checks every line once against a table of udhcpd's
 * keywords and options and keeps the good ones (udhcpd itself dies on an
 * unknown option or a bad range, which would cost the host its DHCP);
 * fill produces the file udhcpd reads, as often as the uplink changes. */
#ifndef NETD_DHCPD_CONF_H
#define NETD_DHCPD_CONF_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"

#define DHCPD_TMPL_MAX 16384
#define DHCPD_CONF_MAX (DHCPD_TMPL_MAX + 1024)

/* The served link's address (interfaces.conf): the built-in default
 * derives from it, the pool must lie inside its network, and a template
 * that gives no router or subnet gets them from it, so that a subnet
 * change is one edit of interfaces.conf. */
struct dhcpd_served {
	struct in_addr addr;
	uint8_t prefix;
};

struct dhcpd_tmpl {
	char text[DHCPD_TMPL_MAX];	/* checked lines, '\n'-separated */
	size_t len;
	uint8_t has_start, has_end, has_lease;
	uint8_t has_router, has_subnet;	/* else derived from the served link */
	uint8_t too_large;		/* the file did not fit: text is the built-in */
};

struct dhcpd_fill {
	const char *ifname;	/* the served interface */
	const char *dns;	/* %%DNS%%: the guest while it forwards DNS, else
				 * as uplink_dns */
	const char *uplink_dns;	/* %%UPLINK_DNS%%: the uplink's; "" while unknown */
	const char *domain;
	const char *search;
	uint32_t short_lease;	/* seconds; 0 = the template's own */
};

/* r == NULL: the built-in default (the contract's udhcpd.conf). Returns
 * the number of problems reported. A template whose checked lines do not
 * fit in DHCPD_TMPL_MAX is reported at the line that overflowed and
 * replaced whole by the built-in default (too_large): keeping only its
 * first part would serve settings nobody wrote. */
unsigned dhcpd_tmpl_load(struct conf_reader *r, const struct dhcpd_served *s,
			 struct dhcpd_tmpl *t);
/* Writes the config for udhcpd; returns its length, or -1 if it did not
 * fit in size. */
int dhcpd_tmpl_fill(const struct dhcpd_tmpl *t, const struct dhcpd_served *s,
		    const struct dhcpd_fill *f, char *out, size_t size);

#endif
