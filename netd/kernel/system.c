#include "system-impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sysctl.h"

static const struct sys_handlers *handlers;

int sys_open(const struct sys_handlers *h)
{
	handlers = h;
	ra_set_handlers(h);
	return rtnl_open(h);
}

void sys_open_wifi(void)
{
	nl80211_open(handlers);	/* its absence is logged and waited for */
}

void sys_close(void)
{
	sys_ra_close();
	nl80211_close();
	rtnl_close();
}

int sys_sysctl(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = 0;
	size_t len = strlen(value);

	if (fd < 0 || write(fd, value, len) != (ssize_t)len)
		rc = -errno;
	if (fd >= 0)
		close(fd);
	if (rc)
		log_err("writing %s to %s: %s", value, path, strerror(-rc));
	return rc;
}

static int write_or_defer(void *ctx, const char *path, const char *value)
{
	struct sys_forwarding_wish *w = ctx;
	int family = sysctl_forwarding_family(path);

	if (!family)
		return sysctl_proc.write(sysctl_proc.ctx, path, value);
	*(family == 4 ? &w->v4 : &w->v6) = strcmp(value, "0") != 0;
	return 0;
}

unsigned sys_apply_sysctl_config(const char *dir, struct sys_forwarding_wish *wish)
{
	const struct sysctl_ops ops = { write_or_defer, sysctl_proc.list, wish };

	wish->v4 = wish->v6 = -1;
	return sysctl_apply_config(dir, &ops);
}

/* /proc/sys/net/ipv6 exists only with IPv6 in the kernel; disable_ipv6
 * of "all" covers every interface (the kernel copies it to each). */
static int read_flag(const char *path)
{
	char c = '0';
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (read(fd, &c, 1) != 1)
		c = '0';
	close(fd);
	return c == '1';
}

enum sys_ipv6 sys_ipv6_state(const char *ifname)
{
	char path[96];
	int all = read_flag("/proc/sys/net/ipv6/conf/all/disable_ipv6");

	if (all < 0)
		return SYS_IPV6_ABSENT;
	if (all)
		return SYS_IPV6_DISABLED;
	if (!ifname)
		return SYS_IPV6_ON;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);
	return read_flag(path) == 1 ? SYS_IPV6_DISABLED : SYS_IPV6_ON;
}
