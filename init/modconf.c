#include "modconf.h"
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const keywords[] = { "load", "options", "blacklist" };

static int valid_module_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= MODCONF_NAME_MAX)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return 0;
	return 1;
}

/* param=value, name made of [A-Za-z0-9_.-], value printable, no quotes
 * that could end a modprobe.d line early. */
static int valid_param(const char *s)
{
	const char *eq = strchr(s, '=');

	if (!eq || eq == s)
		return 0;
	for (const char *p = s; p < eq; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
			return 0;
	for (const char *p = eq + 1; *p; p++)
		if (!isgraph((unsigned char)*p) || *p == '"' || *p == '\'' || *p == '\\')
			return 0;
	return 1;
}

static int keyword_kind(const char *w, enum modconf_kind *kind)
{
	if (strcmp(w, "load") == 0)
		*kind = MODCONF_LOAD;
	else if (strcmp(w, "options") == 0)
		*kind = MODCONF_OPTIONS;
	else if (strcmp(w, "blacklist") == 0)
		*kind = MODCONF_BLACKLIST;
	else
		return 0;
	return 1;
}

static void unknown_keyword(struct conf_reader *r, const char *w)
{
	const char *hint = conf_suggest(w, keywords, 3);

	if (hint)
		conf_error(r, "'%s' is not a keyword (did you mean '%s'?): expected load, options or blacklist", w, hint);
	else
		conf_error(r, "'%s' is not a keyword: expected load, options or blacklist", w);
}

static int collect_params(struct conf_reader *r, char **w, int n, struct modconf_entry *e)
{
	size_t used = 0;

	for (int i = 0; i < n; i++) {
		if (!valid_param(w[i])) {
			conf_error(r, "'%s' is not a module parameter: expected name=value", w[i]);
			return -1;
		}
		int len = snprintf(e->params + used, sizeof(e->params) - used, "%s%s",
				   used ? " " : "", w[i]);
		if (len < 0 || (size_t)len >= sizeof(e->params) - used) {
			conf_error(r, "parameters longer than %d characters", MODCONF_PARAMS_MAX - 1);
			return -1;
		}
		used += (size_t)len;
	}
	return 0;
}

static void parse_line(struct conf_reader *r, char *line, struct modconf *mc)
{
	char *w[MODCONF_MAX_PARAMS + 3];
	int n = conf_split(line, w, MODCONF_MAX_PARAMS + 3);
	struct modconf_entry e = { .line = r->line };

	if (!keyword_kind(w[0], &e.kind)) {
		unknown_keyword(r, w[0]);
		return;
	}
	if (n < 2 || !valid_module_name(w[1])) {
		conf_error(r, "%s: expected a module name (letters, digits, '_' and '-'), got '%s'",
			   w[0], n < 2 ? "" : w[1]);
		return;
	}
	if (n > MODCONF_MAX_PARAMS + 2) {
		conf_error(r, "more than %d parameters", MODCONF_MAX_PARAMS);
		return;
	}
	if (e.kind == MODCONF_BLACKLIST && n > 2) {
		conf_error(r, "blacklist takes only a module name");
		return;
	}
	if (e.kind == MODCONF_OPTIONS && n == 2) {
		conf_error(r, "options %s: expected at least one name=value", w[1]);
		return;
	}
	snprintf(e.module, sizeof(e.module), "%s", w[1]);
	if (collect_params(r, w + 2, n - 2, &e) < 0)
		return;
	if (mc->n == MODCONF_MAX_ENTRIES) {
		conf_error(r, "more than %d entries: ignored", MODCONF_MAX_ENTRIES);
		return;
	}
	mc->entry[mc->n++] = e;
}

void modconf_parse(struct conf_reader *r, struct modconf *mc)
{
	char *line;

	while ((line = conf_next(r)))
		parse_line(r, line, mc);
	mc->errors += r->errors;
}

int modconf_load(const char *path, struct modconf *mc)
{
	struct conf_reader r;
	int rc = conf_open(&r, path);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	modconf_parse(&r, mc);
	conf_close(&r);
	return 0;
}

int modconf_render_modprobe(const struct modconf *mc, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < mc->n; i++) {
		const struct modconf_entry *e = &mc->entry[i];
		int len;

		if (e->kind == MODCONF_OPTIONS)
			len = snprintf(buf + used, size - used, "options %s %s\n", e->module, e->params);
		else if (e->kind == MODCONF_BLACKLIST)
			len = snprintf(buf + used, size - used, "blacklist %s\n", e->module);
		else
			continue;
		if (len < 0 || (size_t)len >= size - used)
			return -1;
		used += (size_t)len;
	}
	return (int)used;
}
