/* The control-socket seam's stand-in: no daemon; what netd sends is
 * logged, and the test delivers replies and events. Each connection has
 * an eventfd so that the event loop accepts it. */
#include "fakes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define INBOX 8

struct ctrl {
	int fd, number;
	char inbox[INBOX][512];
	unsigned n;
};

char fake_ctrl_log[8192];
int fake_ctrl_present;
static int opened, send_error;

void fake_ctrl_reset(void)
{
	fake_ctrl_log[0] = '\0';
	fake_ctrl_present = 0;
	send_error = 0;
	opened = 0;
}

void fake_ctrl_set_send_error(int err)
{
	send_error = err;
}

struct ctrl *ctrl_open(const char *path)
{
	struct ctrl *c;

	fake_log(fake_ctrl_log, sizeof(fake_ctrl_log), "open %s%s", path, fake_ctrl_present ? "" : " (absent)");
	if (!fake_ctrl_present) {
		errno = ENOENT;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	c->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	c->number = opened++;
	return c;
}

int ctrl_fd(const struct ctrl *c)
{
	return c->fd;
}

int ctrl_send(struct ctrl *c, const char *cmd)
{
	fake_log(fake_ctrl_log, sizeof(fake_ctrl_log), "send %d %s", c->number, cmd);
	return send_error ? -send_error : 0;
}

ssize_t ctrl_recv(struct ctrl *c, char *buf, size_t size)
{
	size_t n;

	if (!c->n)
		return -EAGAIN;
	n = strlen(c->inbox[0]);
	if (n > size)
		n = size;
	memcpy(buf, c->inbox[0], n);
	memmove(c->inbox, c->inbox + 1, (c->n - 1) * sizeof(c->inbox[0]));
	c->n--;
	return (ssize_t)n;
}

void ctrl_close(struct ctrl *c)
{
	if (!c)
		return;
	close(c->fd);
	free(c);
}

int ctrl_watch_start(struct ctrl_watch *w, const char *dir, const char *name)
{
	fake_log(fake_ctrl_log, sizeof(fake_ctrl_log), "watch %s/%s", dir, name);
	snprintf(w->name, sizeof(w->name), "%s", name);
	return 0;
}

void ctrl_watch_stop(struct ctrl_watch *w)
{
	(void)w;
}

static void deliver(struct ctrl *c, struct loop_fd *lfd, const char *text)
{
	if (!c || c->n == INBOX)
		return;
	snprintf(c->inbox[c->n++], sizeof(c->inbox[0]), "%s", text);
	lfd->cb(lfd, 1);
}

void fake_ctrl_reply(struct wpactl *c, const char *text)
{
	deliver(c->cmd, &c->cmd_lfd, text);
}

void fake_ctrl_event(struct wpactl *c, const char *text)
{
	deliver(c->mon, &c->mon_lfd, text);
}

void fake_ctrl_watch_fire(struct wpactl *c)
{
	c->watch.cb(&c->watch);
}
