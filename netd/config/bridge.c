#include "bridge.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipv4.h"
#include "log.h"
#include "shconf.h"
#include "udspconf.h"

static int known(const uint16_t *out, size_t n, uint16_t port)
{
	for (size_t k = 0; k < n; k++)
		if (out[k] == port)
			return 1;
	return 0;
}

struct port_reader {
	const char *path;
	uint16_t *out;
	size_t n, max;
};

/* The entry's port= fields; the rest is uds-passthru's to check. */
static int take_ports(void *ctx, char *entry, unsigned line)
{
	struct port_reader *r = ctx;
	char *field, *rest = entry;
	uint16_t port;

	while ((field = udsp_next_field(&rest))) {
		if (strncmp(field, "port=", 5))
			continue;
		if (udsp_parse_port(field + 5, &port) < 0)
			log_err("%s:%u: sockets: port '%.20s' is not a port number (1-65535): not opened",
				r->path, line, field + 5);
		else if (r->n == r->max)
			log_err("%s:%u: sockets: more than %zu ports: port %u not opened", r->path, line,
				r->max, port);
		else if (!known(r->out, r->n, port))
			r->out[r->n++] = port;
	}
	return 0;
}

size_t bridge_ports_parse(const char *sockets, const char *path, unsigned line,
			  uint16_t *out, size_t max)
{
	struct port_reader r = { .path = path, .out = out, .max = max };

	udsp_sockets_each(sockets, line, take_ports, &r);
	return r.n;
}

int bridge_network_check(const char *value, const char *path, unsigned line,
			 const struct bridge_host *h)
{
	char want[INET_ADDRSTRLEN], mask[INET_ADDRSTRLEN];
	struct in_addr a, m = prefix_mask(h->prefix), their_mask;

	inet_ntop(AF_INET, &h->addr, want, sizeof(want));
	inet_ntop(AF_INET, &m, mask, sizeof(mask));
	if (udsp_parse_network(value, &a, &their_mask) < 0) {
		log_err("%s:%u: network=\"%.40s\" is not IP:MASK (expected network=%s:%s, "
			"eth0's address in interfaces.conf)", path, line, value, want, mask);
		return -1;
	}
	if (a.s_addr == h->addr.s_addr && their_mask.s_addr == m.s_addr)
		return 0;
	log_err("%s:%u: network=%.40s does not match eth0's address %s/%u in interfaces.conf: "
		"the control-socket bridge listens and the host connects there (expected "
		"network=%s:%s)", path, line, value, want, h->prefix, want, mask);
	return -1;
}

size_t bridge_ports_load(const char *path, const struct bridge_host *h, int *network_ok,
			 uint16_t *out, size_t max)
{
	struct shconf c;
	const struct shconf_var *v;
	size_t n = 0;
	int rc = shconf_parse_file(&c, path), ok = 1;

	if (rc == 0 && h && (v = shconf_find(&c, "network")))
		ok = bridge_network_check(v->value, path, v->line, h) == 0;
	if (network_ok)
		*network_ok = ok;
	if (rc == 0 && (v = shconf_find(&c, "sockets")))
		n = bridge_ports_parse(v->value, path, v->line, out, max);
	else if (rc < 0 && rc != -ENOENT)
		log_err("%s could not be read (see above): no bridge ports opened", path);
	shconf_free(&c);
	return n;
}
