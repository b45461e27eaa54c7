// SRCS: lib/shconf.c lib/conf.c lib/log.c lib/udspconf.c lib/ipv4.c
/* The shell-variable parser, then uds_passthru.conf's reading of it, on
 * arbitrary bytes. Whatever the input: no crash, no leak, bounded values,
 * an error message exactly when the input is refused, and what is
 * accepted survives a round trip (each value written back single-quoted
 * reads back the same). */
#include "../../lib/udspconf.h"
#include "log.h"
#include "shconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* name='value' with each ' written as '\'' */
static size_t quote_into(char *out, const struct shconf_var *v)
{
	size_t n = 0;

	n += (size_t)sprintf(out, "%s='", v->name);
	for (const char *p = v->value; *p; p++) {
		if (*p == '\'') {
			memcpy(out + n, "'\\''", 4);
			n += 4;
		} else {
			out[n++] = *p;
		}
	}
	out[n++] = '\'';
	out[n++] = '\n';
	return n;
}

static void check_round_trip(const struct shconf *c)
{
	size_t cap = 0, n = 0;
	char *text;
	struct shconf again;

	for (size_t i = 0; i < c->n; i++)
		cap += strlen(c->vars[i].name) + 4 * strlen(c->vars[i].value) + 4;
	text = malloc(cap + 1);
	for (size_t i = 0; i < c->n; i++)
		n += quote_into(text + n, &c->vars[i]);
	if (n <= SHCONF_MAX_FILE) {
		if (shconf_parse_mem(&again, "again", text, n) != 0)
			abort();
		if (again.n != c->n)
			abort();
		for (size_t i = 0; i < c->n; i++)
			if (strcmp(shconf_get(&again, c->vars[i].name), c->vars[i].value) != 0)
				abort();
		shconf_free(&again);
	}
	free(text);
}

static void check_config(const uint8_t *data, size_t size)
{
	struct udsp_config cfg;
	int rc = udsp_config_parse(&cfg, "u.conf", (const char *)data, size);

	if ((rc == 0) != (cfg.error[0] == '\0') || (rc != 0 && rc != -EINVAL))
		abort();
	if (rc == 0 && (cfg.n_sockets == 0 || cfg.n_sockets > UDSP_MAX_SOCKETS))
		abort();
	for (size_t i = 0; rc == 0 && i < cfg.n_sockets; i++)
		if (cfg.sockets[i].path[0] != '/' || !cfg.sockets[i].port ||
		    cfg.sockets[i].mode > 0777)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shconf c;
	int rc;

	log_open("fuzz", 0);
	rc = shconf_parse_mem(&c, "t.conf", (const char *)data, size);
	if (rc != 0 && rc != -EINVAL)
		abort();
	if ((rc == 0) != (c.error[0] == '\0'))
		abort();
	for (size_t i = 0; i < c.n; i++)
		if (strlen(c.vars[i].value) > SHCONF_MAX_VALUE || !c.vars[i].name[0])
			abort();
	if (rc == 0)
		check_round_trip(&c);
	shconf_free(&c);
	check_config(data, size);
	return 0;
}
