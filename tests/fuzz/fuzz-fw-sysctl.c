// SRCS: netd/config/sysctl.c lib/conf.c lib/log.c
/* sysctl.conf lines on arbitrary bytes, against a stand-in for /proc/sys.
 * Whatever the input, every write must go to a plain setting path under
 * /proc/sys (no "..", no empty or "." component, no leading '/', only the
 * characters setting names use) with a non-empty value. */
#include "sysctl.h"
#include "log.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_path(const char *path)
{
	const char *p;

	if (!*path || path[0] == '/' || strstr(path, "//") || path[strlen(path) - 1] == '/')
		abort();
	for (p = path; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:@+", *p))
			abort();
	for (p = path; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (!strncmp(p, "./", 2) || !strcmp(p, ".") || !strncmp(p, "../", 3) || !strcmp(p, ".."))
			abort();
	}
}

static int fake_write(void *ctx, const char *path, const char *value)
{
	(void)ctx;
	check_path(path);
	if (!*value)
		abort();
	/* Some settings exist, some refuse their value, the rest are unknown. */
	switch (strlen(path) % 3) {
	case 0:
		return 0;
	case 1:
		return -EINVAL;
	default:
		return -ENOENT;
	}
}

static size_t fake_list(void *ctx, const char *dir, char (*names)[SYSCTL_NAME_MAX], size_t max)
{
	(void)ctx;
	check_path(dir);
	if (max < 2)
		return 0;
	strcpy(names[0], "ip_forward");
	strcpy(names[1], "rp_filter");
	return 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sysctl_ops ops = { fake_write, fake_list, NULL };
	struct conf_reader r;

	log_open("fuzz", 0);
	if (conf_open_mem(&r, "sysctl.conf", data, size) < 0)
		return 0;
	sysctl_apply_reader(&r, &ops);
	conf_close(&r);
	return 0;
}
