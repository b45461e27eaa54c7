// SRCS: netd/config/bridge.c netd/config/ifconf.c netd/config/plan.c lib/shconf.c lib/conf.c lib/log.c lib/ipv4.c lib/udspconf.c
/* uds_passthru.conf as netd reads it for the firewall (the bridge's TCP
 * ports), on arbitrary bytes: through the shell-variable parser, then the
 * sockets entries, and network= against the host link's address. Whatever
 * the input: at most BRIDGE_MAX_PORTS ports, each 1-65535, none twice. */
#include "bridge.h"
#include "log.h"
#include "shconf.h"

#include <arpa/inet.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint16_t *p, size_t n)
{
	if (n > BRIDGE_MAX_PORTS)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (!p[i])
			abort();
		for (size_t j = i + 1; j < n; j++)
			if (p[i] == p[j])
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint16_t ports[BRIDGE_MAX_PORTS];
	const struct bridge_host host = { { htonl(0x0a000001) }, 24 };
	const struct shconf_var *v;
	struct shconf c;
	char *text = malloc(size + 1);

	log_open("fuzz", 0);
	if (!text)
		return 0;
	for (size_t k = 0; k < size; k++)
		text[k] = data[k] ? (char)data[k] : ' ';
	text[size] = '\0';
	check(ports, bridge_ports_parse(text, "sockets", 1, ports, BRIDGE_MAX_PORTS));
	bridge_network_check(text, "network", 1, &host);
	if (shconf_parse_mem(&c, "uds_passthru.conf", (const char *)data, size) == 0 &&
	    (v = shconf_find(&c, "sockets")))
		check(ports, bridge_ports_parse(v->value, c.path, v->line, ports, BRIDGE_MAX_PORTS));
	shconf_free(&c);
	free(text);
	return 0;
}
