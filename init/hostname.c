#include "hostname.h"
#include "conf.h"
#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* RFC 1123 labels: letters, digits and '-', not at either end; dots between. */
int hostname_valid(const char *name)
{
	size_t n = strlen(name), label = 0;

	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (c == '.') {
			if (label == 0 || name[i - 1] == '-')
				return 0;
			label = 0;
		} else if (isalnum((unsigned char)c) || (c == '-' && label > 0)) {
			if (++label > 63)
				return 0;
		} else {
			return 0;
		}
	}
	return label > 0 && name[n - 1] != '-';
}

int hostname_read(const char *path, char *out, size_t size)
{
	struct conf_reader r;
	char *line;
	int rc = conf_open(&r, path);

	snprintf(out, size, "%s", HOSTNAME_DEFAULT);
	if (rc < 0) {
		if (rc != -ENOENT)
			log_err("%s: %s: using '%s'", path, strerror(-rc), HOSTNAME_DEFAULT);
		return -1;
	}
	line = conf_next(&r);
	if (!line) {
		log_warn("%s: empty: using '%s'", path, HOSTNAME_DEFAULT);
		rc = -1;
	} else if (!hostname_valid(line)) {
		conf_error(&r, "'%.64s' is not a valid host name (letters, digits, '-' and '.', at most 64): using '%s'",
			   line, HOSTNAME_DEFAULT);
		rc = -1;
	} else {
		snprintf(out, size, "%s", line);
		rc = 0;
	}
	conf_close(&r);
	return rc;
}
