/* The control sockets of wpa_supplicant and hostapd: the seam between
 * netd and wpa_ctrl. The real side is ctrl.c (libwpa_client); unit tests
 * link ctrl-fake.c. Only opening and raw datagrams live here: the protocol
 * (PING, ATTACH, events) is in wpactl.c, testable. */
#ifndef NETD_CTRL_H
#define NETD_CTRL_H

#include <stddef.h>
#include <sys/types.h>

#include "loop.h"

struct ctrl;

/* A connected socket to the daemon at path, or NULL with errno set. */
struct ctrl *ctrl_open(const char *path);
int ctrl_fd(const struct ctrl *c);
/* 0 or -errno. */
int ctrl_send(struct ctrl *c, const char *cmd);
/* One datagram, without blocking: its length, or -errno (-EAGAIN: none). */
ssize_t ctrl_recv(struct ctrl *c, char *buf, size_t size);
void ctrl_close(struct ctrl *c);

/* Calls cb when a socket named name is created in dir (inotify). */
struct ctrl_watch;
typedef void (*ctrl_watch_cb)(struct ctrl_watch *w);

struct ctrl_watch {
	struct loop_fd lfd;
	char name[32];
	ctrl_watch_cb cb;
};

int ctrl_watch_start(struct ctrl_watch *w, const char *dir, const char *name);
void ctrl_watch_stop(struct ctrl_watch *w);

#endif
