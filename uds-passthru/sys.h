/* The seam between uds-passthru and what only Linux has. sys_linux.c
 * implements it with inotify, IP_FREEBIND and getifaddrs for the guest;
 * sys_portable.c is what other systems (FreeBSD, for the host mode) and
 * the portability check build instead. Nothing else in uds-passthru/
 * may use a Linux-only call. */
#ifndef UDSP_SYS_H
#define UDSP_SYS_H

#include <netinet/in.h>

/* A descriptor that becomes readable when something in a watched
 * directory is created, deleted or moved; -1 when the system has no such
 * thing (callers then look again on a timer while they wait). */
int sys_watch_open(void);
/* Watches dir (following symlinks); a watch number (the same one for the
 * same directory), or -errno. */
int sys_watch_dir(int wfd, const char *dir);
/* For each pending event: the watch, the entry's name, and whether it was
 * created or moved in (a daemon binding its socket anew). */
typedef void (*sys_watch_cb)(int wd, const char *name, int created);
/* Reads the pending events; 1 if there were any, 0 if none. */
int sys_watch_drain(int wfd, sys_watch_cb cb);

/* Lets bind() take an address the interface does not have yet, so the
 * guest can listen before eth0 is configured. No-op where unsupported. */
void sys_allow_early_bind(int fd);

/* The IPv4 address and mask of ifname; 0 or -errno (-EADDRNOTAVAIL:
 * no address yet). */
int sys_if_network(const char *ifname, struct in_addr *addr, struct in_addr *mask);

#endif
