/* The status file: line-oriented key=value, one key per line, values
 * printable and without newlines; "milestone.NAME=MS" lines give the boot
 * timeline in monotonic milliseconds. Written whole and atomically, so a
 * reader (the host, `netd status`) sees one consistent snapshot. */
#ifndef NETD_STATUS_H
#define NETD_STATUS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define STATUS_MAX 8192

struct status_buf {
	char text[STATUS_MAX];
	size_t len;
	int truncated;
};

void status_init(struct status_buf *b);
/* Adds "key=value\n"; control characters in the value become '?'. */
void status_add(struct status_buf *b, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The value of key in a status text, copied into out; NULL if absent. */
const char *status_get(const char *text, const char *key, char *out, size_t size);
/* The status for a person at the console. */
void status_print(const char *text, FILE *out);

#endif
