#include "bridge.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ifconf.h"
#include "log.h"
#include "plan.h"
#include "shconf.h"

static int take_port(const char *v, uint16_t *port)
{
	char *end;
	unsigned long n;

	if (!isdigit((unsigned char)*v))
		return -1;
	n = strtoul(v, &end, 10);
	if (*end || n < 1 || n > 65535)
		return -1;
	*port = (uint16_t)n;
	return 0;
}

static int known(const uint16_t *out, size_t n, uint16_t port)
{
	for (size_t k = 0; k < n; k++)
		if (out[k] == port)
			return 1;
	return 0;
}

size_t bridge_ports_parse(const char *sockets, const char *path, unsigned line,
			  uint16_t *out, size_t max)
{
	char *copy = strdup(sockets), *entry, *field, *s1 = NULL, *s2 = NULL;
	size_t n = 0;
	uint16_t port;

	if (!copy)
		return 0;
	for (entry = strtok_r(copy, " \t\n", &s1); entry; entry = strtok_r(NULL, " \t\n", &s1)) {
		for (field = strtok_r(entry, ",", &s2); field; field = strtok_r(NULL, ",", &s2)) {
			if (strncmp(field, "port=", 5))
				continue;
			if (take_port(field + 5, &port) < 0)
				log_err("%s:%u: sockets: port '%.20s' is not a port number (1-65535): not opened",
					path, line, field + 5);
			else if (n == max)
				log_err("%s:%u: sockets: more than %zu ports: port %u not opened", path, line, max, port);
			else if (!known(out, n, port))
				out[n++] = port;
		}
	}
	free(copy);
	return n;
}

/* "A.B.C.D:255.255.255.0" or "A.B.C.D/24", as uds-passthru reads it. */
static int parse_network(const char *s, struct in_addr *addr, uint8_t *prefix)
{
	char ip[INET_ADDRSTRLEN];
	size_t n = strcspn(s, ":/");

	if (!s[n] || n >= sizeof(ip))
		return -1;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (parse_ipv4(ip, addr) < 0)
		return -1;
	if (s[n] == '/' && !isdigit((unsigned char)s[n + 1]))
		return -1;
	return parse_netmask(s + n + 1, prefix);
}

int bridge_network_check(const char *value, const char *path, unsigned line,
			 const struct bridge_host *h)
{
	char want[INET_ADDRSTRLEN], mask[INET_ADDRSTRLEN];
	struct in_addr a, m = prefix_mask(h->prefix);
	uint8_t prefix;

	inet_ntop(AF_INET, &h->addr, want, sizeof(want));
	inet_ntop(AF_INET, &m, mask, sizeof(mask));
	if (parse_network(value, &a, &prefix) < 0) {
		log_err("%s:%u: network=\"%.40s\" is not IP:MASK (expected network=%s:%s, "
			"eth0's address in interfaces.conf)", path, line, value, want, mask);
		return -1;
	}
	if (a.s_addr == h->addr.s_addr && prefix == h->prefix)
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
