#include "system-impl.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sysctl.h"

static const struct sys_handlers *handlers;

int sys_open(const struct sys_handlers *h)
{
	handlers = h;
	return rtnl_open(h);
}

void sys_open_wifi(void)
{
	nl80211_open(handlers);	/* its absence is logged and waited for */
}

void sys_close(void)
{
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

unsigned sys_apply_sysctl_config(const char *dir)
{
	return sysctl_apply_config(dir, &sysctl_proc);
}
