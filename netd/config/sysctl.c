#include "sysctl.h"
#include "log.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int key_char_ok(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' || c == '/' ||
	       c == ':' || c == '@' || c == '+';
}

/* Each component non-empty and neither "." nor "..". */
static int components_ok(const char *path)
{
	const char *p = path;

	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && !strncmp(p, "..", 2)))
			return 0;
		p += len;
		if (*p)
			p++;
		if (!*p && p[-1] == '/')
			return 0;
	}
	return 1;
}

int sysctl_key_path(const char *key, char *path, size_t size)
{
	size_t i, len = strlen(key);
	int slashes = strchr(key, '/') != NULL;

	if (!len || len >= size || key[0] == '/' || key[0] == '.')
		return -1;
	for (i = 0; i < len; i++) {
		if (!key_char_ok(key[i]))
			return -1;
		path[i] = (!slashes && key[i] == '.') ? '/' : key[i];
	}
	path[len] = '\0';
	return components_ok(path) ? 0 : -1;
}

int sysctl_forwarding_family(const char *path)
{
	const char *name;

	if (!strcmp(path, "net/ipv4/ip_forward"))
		return 4;
	if (strncmp(path, "net/ipv4/conf/", 14) && strncmp(path, "net/ipv6/conf/", 14))
		return 0;
	name = strchr(path + 14, '/');
	return name && !strcmp(name, "/forwarding") ? path[7] - '0' : 0;
}

/* "did you mean": the closest name in the setting's directory. */
static const char *suggest(const struct sysctl_ops *ops, const char *path, char *buf, size_t size)
{
	static char names[256][SYSCTL_NAME_MAX];
	const char *ptrs[256], *best;
	char dir[256];
	const char *base = strrchr(path, '/');
	size_t n, i;

	if (!ops->list || !base || (size_t)(base - path) >= sizeof(dir))
		return NULL;
	snprintf(dir, sizeof(dir), "%.*s", (int)(base - path), path);
	n = ops->list(ops->ctx, dir, names, 256);
	for (i = 0; i < n; i++)
		ptrs[i] = names[i];
	best = conf_suggest(base + 1, ptrs, n);
	if (!best)
		return NULL;
	snprintf(buf, size, "%s", best);
	return buf;
}

static void report_write(struct conf_reader *r, const struct sysctl_ops *ops, const char *key,
			 const char *path, const char *value, int rc)
{
	char hint[SYSCTL_NAME_MAX];

	if (rc == -ENOENT) {
		const char *s = suggest(ops, path, hint, sizeof(hint));

		conf_error(r, "'%s' is not a known setting (no /proc/sys/%s)%s%s%s", key, path,
			   s ? ": did you mean '" : "", s ? s : "", s ? "'?" : "");
	} else {
		conf_error(r, "cannot set %s to '%s': %s", key, value, strerror(-rc));
	}
}

static void apply_line(struct conf_reader *r, const struct sysctl_ops *ops, char *line)
{
	char path[256], *eq = strchr(line, '='), *key = line, *value, *end;
	int optional = 0, rc;

	if (line[0] == ';')
		return;
	if (!eq) {
		conf_error(r, "expected 'key = value', e.g. 'net.ipv4.ip_forward = 1'");
		return;
	}
	*eq = '\0';
	value = eq + 1;
	while (isspace((unsigned char)*value))
		value++;
	end = eq;
	while (end > key && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (*key == '-') {
		optional = 1;
		key++;
	}
	if (!*value) {
		conf_error(r, "no value for '%s': expected 'key = value'", key);
		return;
	}
	if (sysctl_key_path(key, path, sizeof(path)) < 0) {
		conf_error(r, "'%s' is not a setting name: expected e.g. net.ipv4.ip_forward "
			   "(wildcards are not supported)", key);
		return;
	}
	rc = ops->write(ops->ctx, path, value);
	if (rc < 0 && !optional)
		report_write(r, ops, key, path, value, rc);
}

unsigned sysctl_apply_reader(struct conf_reader *r, const struct sysctl_ops *ops)
{
	char *line;

	while ((line = conf_next(r)))
		apply_line(r, ops, line);
	return r->errors;
}

int sysctl_apply_file(const char *path, const struct sysctl_ops *ops)
{
	struct conf_reader r;
	int rc = conf_open(&r, path);

	if (rc < 0)
		return rc;
	rc = (int)sysctl_apply_reader(&r, ops);
	conf_close(&r);
	return rc;
}

static int conf_name(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return d->d_name[0] != '.' && len > 5 && !strcmp(d->d_name + len - 5, ".conf");
}

static unsigned apply_one(const char *path, const struct sysctl_ops *ops)
{
	int rc = sysctl_apply_file(path, ops);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0) {
		log_err("%s: cannot read: %s", path, strerror(-rc));
		return 1;
	}
	return (unsigned)rc;
}

unsigned sysctl_apply_config(const char *dir, const struct sysctl_ops *ops)
{
	char path[512];
	struct dirent **list;
	unsigned errors = 0;
	int n, i;

	snprintf(path, sizeof(path), "%s/sysctl.d", dir);
	n = scandir(path, &list, conf_name, alphasort);
	if (n < 0 && errno != ENOENT && errno != ENOTDIR)
		log_err("%s: cannot list: %s", path, strerror(errno));
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/sysctl.d/%s", dir, list[i]->d_name);
		errors += apply_one(path, ops);
		free(list[i]);
	}
	if (n > 0)
		free(list);
	snprintf(path, sizeof(path), "%s/sysctl.conf", dir);
	return errors + apply_one(path, ops);
}

static int proc_write(void *ctx, const char *path, const char *value)
{
	char full[300];
	size_t len = strlen(value);
	ssize_t n;
	int fd, rc = 0;

	(void)ctx;
	snprintf(full, sizeof(full), "/proc/sys/%s", path);
	fd = open(full, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == EISDIR ? -ENOENT : -errno;
	/* The kernel takes a setting in one write; a short one is an error. */
	n = write(fd, value, len);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}

static size_t proc_list(void *ctx, const char *dir, char (*names)[SYSCTL_NAME_MAX], size_t max)
{
	char full[300];
	struct dirent *d;
	size_t n = 0;
	DIR *dp;

	(void)ctx;
	snprintf(full, sizeof(full), "/proc/sys/%s", dir);
	dp = opendir(full);
	if (!dp)
		return 0;
	while (n < max && (d = readdir(dp))) {
		if (d->d_name[0] != '.' && strlen(d->d_name) < SYSCTL_NAME_MAX)
			memcpy(names[n++], d->d_name, strlen(d->d_name) + 1);
	}
	closedir(dp);
	return n;
}

const struct sysctl_ops sysctl_proc = { proc_write, proc_list, NULL };
