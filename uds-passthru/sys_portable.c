/* sys.h for systems other than Linux: no directory watching (the guest
 * mode then looks again on a timer while requests wait), no early bind,
 * no interface lookup (network= must be set). */
#if !defined(__linux__) || defined(UDSP_PORTABLE)
#include "sys.h"

#include <errno.h>

int sys_watch_open(void)
{
	return -1;
}

int sys_watch_dir(int wfd, const char *dir)
{
	(void)wfd;
	(void)dir;
	return -ENOSYS;
}

int sys_watch_drain(int wfd, sys_watch_cb cb)
{
	(void)wfd;
	(void)cb;
	return 0;
}

void sys_allow_early_bind(int fd)
{
	(void)fd;
}

int sys_if_network(const char *ifname, struct in_addr *addr, struct in_addr *mask)
{
	(void)ifname;
	(void)addr;
	(void)mask;
	return -ENOSYS;
}
#endif
