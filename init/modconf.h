/* modules.conf in the config share: per-host driver options and extra
 * modules, which cannot be passed on the built-in kernel command line.
 *
 *   load <module> [param=value ...]    load it at boot (after coldplug)
 *   options <module> param=value ...   use these whenever it is loaded
 *   blacklist <module>                 never load it by alias (coldplug)
 *
 * Bad lines are reported with file:line and skipped; the rest applies. */
#ifndef INIT_MODCONF_H
#define INIT_MODCONF_H

#include <stddef.h>

#define MODCONF_MAX_ENTRIES 64
#define MODCONF_MAX_PARAMS 16
#define MODCONF_NAME_MAX 56
#define MODCONF_PARAMS_MAX 512

enum modconf_kind { MODCONF_LOAD, MODCONF_OPTIONS, MODCONF_BLACKLIST };

struct modconf_entry {
	enum modconf_kind kind;
	char module[MODCONF_NAME_MAX];
	char params[MODCONF_PARAMS_MAX];	/* "a=1 b=2", validated */
	unsigned line;
};

struct modconf {
	struct modconf_entry entry[MODCONF_MAX_ENTRIES];
	size_t n;
	unsigned errors;
};

struct conf_reader;
/* Parses what r reads into mc (appending). */
void modconf_parse(struct conf_reader *r, struct modconf *mc);
/* Loads path; a missing file is no error. 0, or -errno for other failures. */
int modconf_load(const char *path, struct modconf *mc);
/* Writes the options and blacklist lines in modprobe.d syntax into buf;
 * returns the length, or -1 if it does not fit. */
int modconf_render_modprobe(const struct modconf *mc, char *buf, size_t size);

#endif
