// SRCS: netd/config/ifconf.c netd/config/plan.c lib/conf.c lib/log.c lib/ipv4.c
/* interfaces.conf on arbitrary bytes, then the plan made of it in each
 * mode. Whatever the input: no crash, no leak, at most IFC_MAX_IFACES
 * interfaces with valid names, prefixes in range, and a plan whose links
 * always have an address to serve from. */
#include "ifconf.h"
#include "plan.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_conf(const struct ifc_conf *c)
{
	if (c->n > IFC_MAX_IFACES)
		abort();
	for (unsigned k = 0; k < c->n; k++) {
		const struct ifc_iface *i = &c->iface[k];

		if (!valid_ifname(i->name) || i->inet.prefix > 32 || i->inet6.prefix > 128 ||
		    i->inet.n_dns > IFC_MAX_DNS)
			abort();
		for (unsigned j = k + 1; j < c->n; j++)
			if (!strcmp(i->name, c->iface[j].name))
				abort();	/* one entry per name */
	}
}

static void check_plan(const struct plan *p, enum netd_mode m)
{
	if (p->eth.v4 != PLAN_V4_STATIC || p->eth.prefix > 32 || !p->eth.addr.s_addr)
		abort();
	if (m == MODE_AP && (p->wifi.v4 != PLAN_V4_STATIC || !p->wifi.addr.s_addr))
		abort();
	if (m == MODE_STATION && p->wifi.v4 == PLAN_V4_NONE)
		abort();
	if (!valid_ifname(p->wifi.name) || strcmp(p->eth.name, "eth0"))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ifc_conf c;
	struct conf_reader r;
	struct plan p;

	log_open("fuzz", 0);
	if (conf_open_mem(&r, "interfaces.conf", data, size) < 0)
		return 0;
	ifconf_parse(&r, &c);
	conf_close(&r);
	check_conf(&c);
	for (int m = MODE_NONE; m <= MODE_AP; m++) {
		plan_resolve(&c, (enum netd_mode)m, "interfaces.conf", &p);
		check_plan(&p, (enum netd_mode)m);
	}
	return 0;
}
