/* Kernel settings from the config share: sysctl.d/NAME.conf (in name order),
 * then sysctl.conf, so sysctl.conf has the last word as with procps and
 * OpenRC. Lines are "key = value" (or "key=value"); '#' and ';' start
 * comments; a key starting with '-' may fail silently, as with procps.
 * Keys use dots ("net.ipv4.ip_forward") or slashes ("net/ipv4/conf/
 * eth0.1/rp_filter", for names that contain dots).
 *
 * An unknown key or a refused value is reported as "file:line: ..." and
 * the other lines still apply: bad settings never stop the boot. The
 * writes go through struct sysctl_ops so tests can stand in for /proc/sys. */
#ifndef NETD_SYSCTL_H
#define NETD_SYSCTL_H

#include "conf.h"

#include <stddef.h>

#define SYSCTL_NAME_MAX 64

struct sysctl_ops {
	/* Writes value to the setting at path (relative to /proc/sys, e.g.
	 * "net/ipv4/ip_forward"); 0 or -errno, -ENOENT for no such setting. */
	int (*write)(void *ctx, const char *path, const char *value);
	/* Up to max entry names of directory dir (relative to /proc/sys), for
	 * "did you mean"; the count. May be NULL. */
	size_t (*list)(void *ctx, const char *dir, char (*names)[SYSCTL_NAME_MAX], size_t max);
	void *ctx;
};

/* The real /proc/sys. */
extern const struct sysctl_ops sysctl_proc;

/* "net.ipv4.ip_forward" -> "net/ipv4/ip_forward". -1 if the key is not a
 * plain setting name (empty, "..", wildcards, odd characters). */
int sysctl_key_path(const char *key, char *path, size_t size);

/* 4 or 6 when path (relative to /proc/sys) switches forwarding for that
 * family (net/ipv4/ip_forward, net/ipv{4,6}/conf/NAME/forwarding), else
 * 0. netd turns forwarding on only once its firewall rules are in place,
 * so these wait for it (system.c). */
int sysctl_forwarding_family(const char *path);

/* Applies the lines of r; returns the number of lines reported. */
unsigned sysctl_apply_reader(struct conf_reader *r, const struct sysctl_ops *ops);
/* Applies one file; lines reported, or -errno if it cannot be read. */
int sysctl_apply_file(const char *path, const struct sysctl_ops *ops);
/* Applies dir/sysctl.d/NAME.conf in name order, then dir/sysctl.conf; missing
 * files are fine. The number of lines reported in all. */
unsigned sysctl_apply_config(const char *dir, const struct sysctl_ops *ops);

#endif
