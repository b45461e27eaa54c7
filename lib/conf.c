#include "conf.h"
#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <string.h>

int conf_open(struct conf_reader *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->f = fopen(path, "re");
	return r->f ? 0 : -errno;
}

int conf_open_mem(struct conf_reader *r, const char *name, const void *data, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->path = name;
	r->f = len ? fmemopen((void *)(uintptr_t)data, len, "r") : fopen("/dev/null", "re");
	return r->f ? 0 : -errno;
}

void conf_close(struct conf_reader *r)
{
	if (r->f)
		fclose(r->f);
	r->f = NULL;
}

void conf_error(struct conf_reader *r, const char *fmt, ...)
{
	char text[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	r->errors++;
	log_err("%s:%u: %s", r->path, r->line, text);
}

enum line_status { LINE_OK, LINE_EOF, LINE_TOO_LONG, LINE_HAS_NUL };

/* Reads one line into buf; a NUL byte or an over-long line is reported
 * through the status and the rest of that line is consumed. */
static enum line_status read_line(FILE *f, char *buf, size_t size)
{
	size_t len = 0;
	int c, nul = 0, too_long = 0;

	while ((c = getc(f)) != EOF && c != '\n') {
		if (c == '\0')
			nul = 1;
		else if (len < size - 1)
			buf[len++] = (char)c;
		else
			too_long = 1;
	}
	buf[len] = '\0';
	if (c == EOF && len == 0 && !nul && !too_long)
		return LINE_EOF;
	if (too_long)
		return LINE_TOO_LONG;
	return nul ? LINE_HAS_NUL : LINE_OK;
}

static char *strip_comment_and_blanks(char *s)
{
	char quote = 0, *p, *end;

	for (p = s; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '#') {
			*p = '\0';
			break;
		}
	}
	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* The next line with something to read, as it is; NULL at the end. An
 * over-long line, a NUL byte and the end of the line budget are reported
 * here, once, for both readers. */
static char *next_line(struct conf_reader *r)
{
	enum line_status st;

	while (r->f && (st = read_line(r->f, r->buf, CONF_MAX_LINE + 1)) != LINE_EOF) {
		r->line++;
		if (r->line > CONF_MAX_LINES) {
			conf_error(r, "file too long: only the first %d lines are read", CONF_MAX_LINES);
			conf_close(r);
			return NULL;
		}
		if (st == LINE_TOO_LONG) {
			conf_error(r, "line longer than %d characters: ignored", CONF_MAX_LINE);
			continue;
		}
		if (st == LINE_HAS_NUL) {
			conf_error(r, "binary data (a NUL byte): line ignored");
			continue;
		}
		return r->buf;
	}
	return NULL;
}

char *conf_next(struct conf_reader *r)
{
	char *s;

	while ((s = next_line(r))) {
		s = strip_comment_and_blanks(s);
		if (*s)
			return s;
	}
	return NULL;
}

char *conf_next_raw(struct conf_reader *r)
{
	char *s = next_line(r);
	size_t len = s ? strlen(s) : 0;

	if (len && s[len - 1] == '\r')
		s[len - 1] = '\0';
	return s;
}

int conf_split(char *s, char **words, int max)
{
	int n = 0;

	while (n < max) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		words[n++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t prev[33], cur[33];

	if (la > 32 || lb > 32)
		return 99;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(cur));
	}
	return prev[lb];
}

const char *conf_suggest(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t best_d = 3, i, d;

	for (i = 0; i < n; i++) {
		d = edit_distance(word, names[i]);
		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	return best;
}
