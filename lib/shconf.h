/* Reading shell-variable config files: the small subset of POSIX sh that
 * files meant to be sourced with `.` use, giving the values sh would give.
 *
 * Accepted: `name=value` assignments, several per line or separated by
 * ';'; values made of unquoted text, '...' and "..." (both may span lines),
 * backslash escapes and line continuations, `$name` and `${name}`;
 * comments from a '#' that starts a word.
 * Rejected, with "file:line: what was expected": anything that would run
 * a command or depend on the environment sh runs in: commands and
 * keywords, `$(...)` and backquotes, `${name:-word}` and other operators,
 * special parameters ($1, $@, $?...), unquoted tilde expansion, shell
 * operators (| & < > ( )), CR line endings and NUL bytes.
 * An unset name expands to empty, as in sh, with a warning; the process
 * environment is not consulted (the file alone decides).
 * Parsing stops at the first error. */
#ifndef WB_SHCONF_H
#define WB_SHCONF_H

#include <stddef.h>

#define SHCONF_MAX_FILE (64 * 1024)
#define SHCONF_MAX_VALUE (16 * 1024)
#define SHCONF_MAX_VARS 256
#define SHCONF_MAX_NAME 64

struct shconf_var {
	char *name;
	char *value;
	unsigned line;	/* where the last assignment to it started */
};

struct shconf {
	const char *path;	/* as given; not copied */
	struct shconf_var *vars;
	size_t n, cap;
	unsigned warnings;
	unsigned error_line;	/* 0 when there was no error */
	char error[320];	/* the first error, "path:line: message" */
};

/* Both return 0, or -errno: -ENOENT when the file is missing, -EINVAL when
 * its content was rejected (logged, and kept in c->error). c must be freed
 * with shconf_free() in every case. */
int shconf_parse_file(struct shconf *c, const char *path);
int shconf_parse_mem(struct shconf *c, const char *name, const char *text, size_t len);
/* The variable's value, or NULL when the file never set it. */
const char *shconf_get(const struct shconf *c, const char *name);
const struct shconf_var *shconf_find(const struct shconf *c, const char *name);
void shconf_free(struct shconf *c);

#endif
