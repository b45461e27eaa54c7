/* Reading config files line by line, with errors that name the file, the
 * line and what was expected. Bounded: over-long lines and files are
 * reported and cut, never read into unbounded memory. */
#ifndef WB_CONF_H
#define WB_CONF_H

#include <stddef.h>
#include <stdio.h>

#define CONF_MAX_LINE 1024
#define CONF_MAX_LINES 4096

struct conf_reader {
	const char *path;
	FILE *f;
	unsigned line;
	unsigned errors;
	char buf[CONF_MAX_LINE + 1];
};

/* 0 on success; -errno otherwise (-ENOENT: the file is missing). */
int conf_open(struct conf_reader *r, const char *path);
/* Same, over a memory buffer (tests, fuzzers). */
int conf_open_mem(struct conf_reader *r, const char *name, const void *data, size_t len);
void conf_close(struct conf_reader *r);
/* Next line with the comment (from an unquoted '#') and surrounding blanks
 * removed; blank lines are skipped. NULL at the end. */
char *conf_next(struct conf_reader *r);
/* Next line as written, blank lines and '#' included, without its newline
 * and a trailing '\r': for formats where a blank line means something.
 * The same limits, reports and line count as conf_next. NULL at the end. */
char *conf_next_raw(struct conf_reader *r);
/* Logs "path:line: message" as an error and counts it. */
void conf_error(struct conf_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Splits s in place on blanks; returns the number of words (at most max). */
int conf_split(char *s, char **words, int max);
/* The entry of names closest to word within edit distance 2, or NULL. */
const char *conf_suggest(const char *word, const char *const *names, size_t n);

#endif
