#include "udspconf.h"
#include "conf.h"
#include "ipv4.h"
#include "log.h"
#include "shconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const entry_keys[] = { "path", "port", "user", "group", "mode" };
static const char *const settings[] = { "network", "sockets" };

struct reader {
	struct udsp_config *cfg;
	const char *file;
	int failed;
};

static void fail(struct reader *r, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct reader *r, unsigned line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (r->failed)
		return;
	r->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->cfg->error, sizeof(r->cfg->error), "%s:%u: %s", r->file, line, msg);
	log_err("%s", r->cfg->error);
}

static int parse_uint(const char *s, int base, unsigned long max, unsigned long *out)
{
	char *end;

	if (!*s || strspn(s, base == 8 ? "01234567" : "0123456789") != strlen(s))
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, base);
	return errno || *out > max ? -EINVAL : 0;
}

int udsp_parse_network(const char *s, struct in_addr *addr, struct in_addr *mask)
{
	char ip[INET_ADDRSTRLEN];
	size_t n = strcspn(s, ":/");
	uint8_t prefix;

	if (!s[n] || n >= sizeof(ip))
		return -EINVAL;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (parse_ipv4(ip, addr) < 0)
		return -EINVAL;
	if (s[n] == '/') {
		if (parse_prefix_len(s + n + 1, 32, &prefix) < 0)
			return -EINVAL;
		*mask = prefix_mask(prefix);
		return 0;
	}
	if (parse_ipv4(s + n + 1, mask) < 0 || mask_prefix_len(*mask, &prefix) < 0)
		return -EINVAL;
	return 0;
}

int udsp_parse_port(const char *s, uint16_t *port)
{
	unsigned long n;

	if (parse_uint(s, 10, 65535, &n) < 0 || n == 0)
		return -EINVAL;
	*port = (uint16_t)n;
	return 0;
}

char *udsp_next_field(char **rest)
{
	char *p = *rest, *field;

	while (*p == ',')
		p++;
	if (!*p) {
		*rest = p;
		return NULL;
	}
	field = p;
	p += strcspn(p, ",");
	if (*p)
		*p++ = '\0';
	*rest = p;
	return field;
}

int udsp_sockets_each(const char *value, unsigned line, udsp_entry_fn fn, void *ctx)
{
	char *copy = strdup(value), *p;
	int stop = 0;

	if (!copy)
		return -ENOMEM;
	for (p = copy; !stop;) {
		size_t len;
		char sep;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			line += *p++ == '\n';
		if (!*p)
			break;
		len = strcspn(p, " \t\n");
		sep = p[len];
		p[len] = '\0';
		stop = fn(ctx, p, line);
		p += len;
		if (sep) {
			line += sep == '\n';
			p++;
		}
	}
	free(copy);
	return 0;
}

static void read_network(struct reader *r, const struct shconf *sc)
{
	const struct shconf_var *v = shconf_find(sc, "network");

	if (!v)
		return;
	if (udsp_parse_network(v->value, &r->cfg->addr, &r->cfg->mask) < 0) {
		fail(r, v->line, "network=\"%.60s\": expected IP:MASK, e.g. network=10.0.0.1:255.255.255.0",
		     v->value);
		return;
	}
	r->cfg->has_network = 1;
}

static int is_owner_name(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
		== strlen(s);
}

static void set_text(struct reader *r, unsigned line, char *dst, const char *key, const char *val)
{
	if (!is_owner_name(val) || strlen(val) > UDSP_MAX_OWNER)
		fail(r, line, "%s=%.40s: expected a user or group name or number", key, val);
	else
		strcpy(dst, val);
}

static void set_field(struct reader *r, struct udsp_socket *s, const char *key, const char *val)
{
	unsigned long n;

	if (strcmp(key, "path") == 0) {
		if (val[0] != '/')
			fail(r, s->line, "path=%.60s: expected an absolute path", val);
		else if (strlen(val) > UDSP_MAX_PATH)
			fail(r, s->line, "path=%.60s...: longer than %d bytes, too long for a socket",
			     val, UDSP_MAX_PATH);
		else
			strcpy(s->path, val);
	} else if (strcmp(key, "port") == 0) {
		if (udsp_parse_port(val, &s->port) < 0)
			fail(r, s->line, "port=%.20s: expected a TCP port number, 1 to 65535", val);
	} else if (strcmp(key, "mode") == 0) {
		if (parse_uint(val, 8, 0777, &n) < 0)
			fail(r, s->line, "mode=%.20s: expected octal permissions such as 770", val);
		else
			s->mode = (int)n;
	} else if (strcmp(key, "user") == 0) {
		set_text(r, s->line, s->user, key, val);
	} else {
		set_text(r, s->line, s->group, key, val);
	}
}

/* The key's index in entry_keys, or -1. */
static int key_index(const char *key)
{
	for (size_t i = 0; i < sizeof(entry_keys) / sizeof(entry_keys[0]); i++)
		if (strcmp(key, entry_keys[i]) == 0)
			return (int)i;
	return -1;
}

/* One "key=value" of an entry; seen has a bit per key already given. */
static void read_field(struct reader *r, struct udsp_socket *s, char *field, unsigned *seen)
{
	char *eq = strchr(field, '=');
	const char *hint;
	int key;

	if (!eq) {
		fail(r, s->line, "\"%.40s\" in sockets: expected key=value (path, port, user, group, mode)",
		     field);
		return;
	}
	*eq = '\0';
	key = key_index(field);
	if (key < 0) {
		hint = conf_suggest(field, entry_keys, sizeof(entry_keys) / sizeof(entry_keys[0]));
		fail(r, s->line, "'%.30s' is not a sockets key%s%s%s (known: path, port, user, group, mode)",
		     field, hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
		return;
	}
	if (*seen & (1u << key)) {
		fail(r, s->line, "%s is given twice in one sockets entry", field);
		return;
	}
	*seen |= 1u << key;
	set_field(r, s, field, eq + 1);
}

static void check_unique(struct reader *r, const struct udsp_socket *s)
{
	const struct udsp_config *cfg = r->cfg;

	for (size_t i = 0; i < cfg->n_sockets; i++) {
		if (cfg->sockets[i].port == s->port)
			fail(r, s->line, "port %u is used twice (also on line %u)", s->port,
			     cfg->sockets[i].line);
		else if (strcmp(cfg->sockets[i].path, s->path) == 0)
			fail(r, s->line, "path %s is bridged twice (also on line %u)", s->path,
			     cfg->sockets[i].line);
	}
}

static int read_entry(void *ctx, char *entry, unsigned line)
{
	struct reader *r = ctx;
	struct udsp_socket s = { .mode = -1, .line = line };
	unsigned seen = 0;
	char *field, *rest = entry;

	if (r->cfg->n_sockets == UDSP_MAX_SOCKETS) {
		fail(r, line, "more than %d sockets", UDSP_MAX_SOCKETS);
		return 1;
	}
	/* Empty fields ("a,,b", a trailing comma) carry nothing: skipped. */
	while (!r->failed && (field = udsp_next_field(&rest)))
		read_field(r, &s, field, &seen);
	if (r->failed)
		return 1;
	if (!s.path[0] || !s.port) {
		fail(r, line, "a sockets entry needs path= and port=, e.g. path=/var/run/wpa_supplicant/wlan0,port=1200");
		return 1;
	}
	check_unique(r, &s);
	if (!r->failed)
		r->cfg->sockets[r->cfg->n_sockets++] = s;
	return r->failed;
}

/* Entries are split on blanks and newlines, as `for s in ${sockets}`
 * does in the guest today; the line is counted from the assignment. */
static void read_sockets(struct reader *r, const struct shconf *sc)
{
	const struct shconf_var *v = shconf_find(sc, "sockets");

	if (!v) {
		fail(r, 1, "sockets is not set: nothing to bridge (expected sockets=\"path=...,port=N\")");
		return;
	}
	if (udsp_sockets_each(v->value, v->line, read_entry, r) < 0) {
		fail(r, v->line, "out of memory");
		return;
	}
	if (!r->failed && r->cfg->n_sockets == 0)
		fail(r, v->line, "sockets is empty: nothing to bridge");
}

static void warn_unknown(const struct reader *r, const struct shconf *sc)
{
	const char *hint;

	for (size_t i = 0; i < sc->n; i++) {
		const struct shconf_var *v = &sc->vars[i];

		/* Helpers such as _sockdir are the file's own business. */
		if (v->name[0] == '_' || !strcmp(v->name, "network") || !strcmp(v->name, "sockets"))
			continue;
		hint = conf_suggest(v->name, settings, 2);
		log_warn("%s:%u: '%s' is not a setting of uds_passthru.conf, ignored%s%s%s", r->file,
			 v->line, v->name, hint ? " (did you mean '" : "", hint ? hint : "",
			 hint ? "'?)" : "");
	}
}

static int interpret(struct udsp_config *cfg, const char *file, const struct shconf *sc)
{
	struct reader r = { .cfg = cfg, .file = file };

	read_network(&r, sc);
	if (!r.failed)
		read_sockets(&r, sc);
	if (!r.failed)
		warn_unknown(&r, sc);
	return r.failed ? -EINVAL : 0;
}

static int finish(struct udsp_config *cfg, const char *file, struct shconf *sc, int rc)
{
	if (rc == -EINVAL)
		snprintf(cfg->error, sizeof(cfg->error), "%s", sc->error);
	else if (rc == 0)
		rc = interpret(cfg, file, sc);
	shconf_free(sc);
	return rc;
}

int udsp_config_parse(struct udsp_config *cfg, const char *name, const char *text, size_t len)
{
	struct shconf sc;

	memset(cfg, 0, sizeof(*cfg));
	return finish(cfg, name, &sc, shconf_parse_mem(&sc, name, text, len));
}

int udsp_config_load(struct udsp_config *cfg, const char *path)
{
	struct shconf sc;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	rc = shconf_parse_file(&sc, path);
	if (rc < 0 && rc != -EINVAL)
		snprintf(cfg->error, sizeof(cfg->error), "%s: %s", path, strerror(-rc));
	return finish(cfg, path, &sc, rc);
}
