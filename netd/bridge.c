#include "bridge.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
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

size_t bridge_ports_load(const char *path, uint16_t *out, size_t max)
{
	struct shconf c;
	const struct shconf_var *v;
	size_t n = 0;
	int rc = shconf_parse_file(&c, path);

	if (rc == 0 && (v = shconf_find(&c, "sockets")))
		n = bridge_ports_parse(v->value, path, v->line, out, max);
	else if (rc < 0 && rc != -ENOENT)
		log_err("%s could not be read (see above): no bridge ports opened", path);
	shconf_free(&c);
	return n;
}
