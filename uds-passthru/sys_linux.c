/* The Linux side of sys.h (see there). */
#if defined(__linux__) && !defined(UDSP_PORTABLE)
#include "sys.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

int sys_watch_open(void)
{
	return inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
}

int sys_watch_dir(int wfd, const char *dir)
{
	uint32_t mask = IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE_SELF |
			IN_MOVE_SELF | IN_ONLYDIR;

	int wd = inotify_add_watch(wfd, dir, mask);

	return wd < 0 ? -errno : wd;
}

int sys_watch_drain(int wfd, sys_watch_cb cb)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t n;
	int any = 0;

	while ((n = read(wfd, buf, sizeof(buf))) > 0) {
		any = 1;
		for (char *p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(void *)p;
			cb(ev->wd, ev->len ? ev->name : "", !!(ev->mask & (IN_CREATE | IN_MOVED_TO)));
		}
	}
	return any;
}

void sys_allow_early_bind(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one));
}

int sys_if_network(const char *ifname, struct in_addr *addr, struct in_addr *mask)
{
	struct ifaddrs *list, *ifa;
	int rc = -EADDRNOTAVAIL;

	if (getifaddrs(&list) < 0)
		return -errno;
	for (ifa = list; ifa; ifa = ifa->ifa_next) {
		if (!ifa->ifa_addr || !ifa->ifa_netmask || ifa->ifa_addr->sa_family != AF_INET ||
		    strcmp(ifa->ifa_name, ifname) != 0)
			continue;
		*addr = ((struct sockaddr_in *)(void *)ifa->ifa_addr)->sin_addr;
		*mask = ((struct sockaddr_in *)(void *)ifa->ifa_netmask)->sin_addr;
		rc = 0;
		break;
	}
	freeifaddrs(list);
	return rc;
}
#endif
