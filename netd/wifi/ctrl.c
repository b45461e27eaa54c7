#include "ctrl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <unistd.h>

#include <wpa_ctrl.h>

#include "log.h"
#include "paths.h"

struct ctrl {
	struct wpa_ctrl *w;
};

/* The client end is bound in netd's run directory, not wpa_ctrl's /tmp:
 * it is ours, and cleaned with it. */
struct ctrl *ctrl_open(const char *path)
{
	struct ctrl *c = calloc(1, sizeof(*c));
	int fd;

	if (!c)
		return NULL;
	c->w = wpa_ctrl_open2(path, paths.run_dir);
	if (!c->w) {
		int e = errno;

		free(c);
		errno = e ? e : ECONNREFUSED;
		return NULL;
	}
	fd = wpa_ctrl_get_fd(c->w);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return c;
}

int ctrl_fd(const struct ctrl *c)
{
	return wpa_ctrl_get_fd(c->w);
}

int ctrl_send(struct ctrl *c, const char *cmd)
{
	if (send(ctrl_fd(c), cmd, strlen(cmd), MSG_DONTWAIT) < 0)
		return -errno;
	return 0;
}

ssize_t ctrl_recv(struct ctrl *c, char *buf, size_t size)
{
	ssize_t n = recv(ctrl_fd(c), buf, size, MSG_DONTWAIT);

	return n < 0 ? -errno : n;
}

void ctrl_close(struct ctrl *c)
{
	if (!c)
		return;
	wpa_ctrl_close(c->w);
	free(c);
}

static void watch_ready(struct loop_fd *lfd, uint32_t events)
{
	struct ctrl_watch *w = container_of(lfd, struct ctrl_watch, lfd);
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	int hit = 0;
	ssize_t n;

	(void)events;
	while ((n = read(lfd->fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(void *)p;
			hit |= ev->len && !strcmp(ev->name, w->name);
		}
	}
	if (hit)
		w->cb(w);
}

int ctrl_watch_start(struct ctrl_watch *w, const char *dir, const char *name)
{
	ctrl_watch_stop(w);
	strncpy(w->name, name, sizeof(w->name) - 1);
	w->name[sizeof(w->name) - 1] = '\0';
	w->lfd.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->lfd.fd < 0)
		return -errno;
	if (inotify_add_watch(w->lfd.fd, dir, IN_CREATE | IN_ATTRIB | IN_MOVED_TO) < 0) {
		int e = errno;

		close(w->lfd.fd);
		w->lfd.fd = -1;
		return -e;
	}
	w->lfd.cb = watch_ready;
	return loop_fd_add(&w->lfd, EPOLLIN) < 0 ? -errno : 0;
}

void ctrl_watch_stop(struct ctrl_watch *w)
{
	if (!w->lfd.registered)
		return;
	loop_fd_del(&w->lfd);
	close(w->lfd.fd);
	w->lfd.fd = -1;
}
