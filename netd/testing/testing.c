/* Helpers for the unit tests only. */
#include "fakes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int saved_fd = -1, mem_fd = -1;
static char captured[65536];

void capture_start(void)
{
	fflush(stderr);
	mem_fd = memfd_create("capture", 0);
	saved_fd = dup(STDERR_FILENO);
	dup2(mem_fd, STDERR_FILENO);
}

const char *capture_end(void)
{
	ssize_t n;

	fflush(stderr);
	dup2(saved_fd, STDERR_FILENO);
	close(saved_fd);
	n = pread(mem_fd, captured, sizeof(captured) - 1, 0);
	close(mem_fd);
	captured[n > 0 ? n : 0] = '\0';
	/* the test's own output still shows it */
	fputs(captured, stderr);
	return captured;
}

int count_lines(const char *log, const char *needle)
{
	int n = 0;

	for (const char *p = log; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (memmem(p, len, needle, strlen(needle)))
			n++;
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

void fake_log(char *log, size_t size, const char *fmt, ...)
{
	size_t len = strlen(log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(log + len, size - len, fmt, ap);
	va_end(ap);
	len = strlen(log);
	if (len + 1 < size) {
		log[len] = '\n';
		log[len + 1] = '\0';
	}
}
