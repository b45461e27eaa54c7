#include "wpactl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>

#include "log.h"

#define MSG_MAX 4096

const char *wpactl_req_text(enum wpactl_req r)
{
	switch (r) {
	case WREQ_PING:
		return "PING";
	case WREQ_STATUS:
		return "STATUS";
	case WREQ_SIGNAL_POLL:
		return "SIGNAL_POLL";
	case WREQ_DISCONNECT:
		return "DISCONNECT";
	case WREQ_TERMINATE:
		return "TERMINATE";
	case WREQ_SCAN:
		return "SCAN";
	}
	return "?";
}

static void lose(struct wpactl *c, const char *why)
{
	const struct wpactl_handlers *h = c->h;

	wpactl_close(c);
	h->lost(c, why);
}

static void send_next(struct wpactl *c)
{
	enum wpactl_req r;
	int rc;

	if (c->inflight || !c->qlen || !c->cmd)
		return;
	r = c->queue[0];
	if (!c->ready && r != WREQ_PING)
		return;
	rc = ctrl_send(c->cmd, r == WREQ_SCAN && c->scan_line[0] ? c->scan_line : wpactl_req_text(r));
	if (rc < 0) {
		char why[256];

		snprintf(why, sizeof(why), "sending %s to %s: %s", wpactl_req_text(r), c->path, strerror(-rc));
		lose(c, why);
		return;
	}
	c->inflight = 1;
	loop_timer_set(&c->timer, WPACTL_REPLY_MS);
}

static void pop(struct wpactl *c)
{
	memmove(c->queue, c->queue + 1, (c->qlen - 1) * sizeof(c->queue[0]));
	c->qlen--;
	c->inflight = 0;
}

static void start_attach(struct wpactl *c)
{
	int rc = ctrl_send(c->mon, "ATTACH");

	if (rc < 0) {
		char why[256];

		snprintf(why, sizeof(why), "sending ATTACH to %s: %s", c->path, strerror(-rc));
		lose(c, why);
		return;
	}
	c->attaching = 1;
	loop_timer_set(&c->timer, WPACTL_REPLY_MS);
}

static void got_reply(struct wpactl *c, const char *text, size_t len)
{
	enum wpactl_req r;

	if (!c->inflight)
		return;	/* a late answer to a request that timed out */
	r = c->queue[0];
	pop(c);
	loop_timer_cancel(&c->timer);
	if (r == WREQ_PING && !c->ready) {
		if (len < 4 || strncmp(text, "PONG", 4)) {
			lose(c, "PING was not answered with PONG");
			return;
		}
		start_attach(c);
		return;
	}
	c->h->reply(c, r, text, len);
	if (c->cmd)
		send_next(c);
}

/* Reads every datagram waiting on one socket; 0, or -1 if lost. */
static int drain(struct wpactl *c, struct ctrl *s, void (*take)(struct wpactl *, const char *, size_t))
{
	char buf[MSG_MAX + 1];
	ssize_t n;

	while ((n = ctrl_recv(s, buf, MSG_MAX)) >= 0) {
		buf[n] = '\0';
		take(c, buf, (size_t)n);
		if (!c->cmd)
			return -1;	/* closed by a handler */
	}
	if (n == -EAGAIN || n == -EWOULDBLOCK)
		return 0;
	{
		char why[256];

		snprintf(why, sizeof(why), "reading from %s: %s", c->path, strerror((int)-n));
		lose(c, why);
	}
	return -1;
}

static void cmd_readable(struct loop_fd *lfd, uint32_t events)
{
	struct wpactl *c = container_of(lfd, struct wpactl, cmd_lfd);

	(void)events;
	drain(c, c->cmd, got_reply);
}

static void got_monitor(struct wpactl *c, const char *text, size_t len)
{
	if (len && text[0] == '<') {
		c->h->event(c, text, len);
		return;
	}
	if (!c->attaching)
		return;
	c->attaching = 0;
	loop_timer_cancel(&c->timer);
	if (len < 2 || strncmp(text, "OK", 2)) {
		lose(c, "ATTACH was refused");
		return;
	}
	c->ready = 1;
	c->h->ready(c);
	if (c->cmd)
		send_next(c);
}

static void mon_readable(struct loop_fd *lfd, uint32_t events)
{
	struct wpactl *c = container_of(lfd, struct wpactl, mon_lfd);

	(void)events;
	drain(c, c->mon, got_monitor);
}

static void timed_out(struct loop_timer *t)
{
	struct wpactl *c = container_of(t, struct wpactl, timer);
	char why[256];

	snprintf(why, sizeof(why), "%s: no answer to %s in %d ms", c->path,
		 c->attaching ? "ATTACH" : wpactl_req_text(c->queue[0]), WPACTL_REPLY_MS);
	lose(c, why);
}

static int add_fd(struct loop_fd *lfd, struct ctrl *s, loop_fd_cb cb)
{
	lfd->fd = ctrl_fd(s);
	lfd->cb = cb;
	return loop_fd_add(lfd, EPOLLIN);
}

/* 0 when both sockets are open and PING is on its way; -1 when the socket
 * is not there (yet). */
static int try_open(struct wpactl *c)
{
	c->cmd = ctrl_open(c->path);
	if (!c->cmd)
		return -1;
	c->mon = ctrl_open(c->path);
	if (!c->mon || add_fd(&c->cmd_lfd, c->cmd, cmd_readable) < 0 ||
	    add_fd(&c->mon_lfd, c->mon, mon_readable) < 0) {
		wpactl_close(c);
		return -1;
	}
	ctrl_watch_stop(&c->watch);
	/* PING goes first, ahead of anything queued before the connection */
	if (c->qlen == WPACTL_QUEUE)
		c->qlen--;
	memmove(c->queue + 1, c->queue, c->qlen * sizeof(c->queue[0]));
	c->queue[0] = WREQ_PING;
	c->qlen++;
	send_next(c);
	return 0;
}

static void socket_appeared(struct ctrl_watch *w)
{
	struct wpactl *c = container_of(w, struct wpactl, watch);

	if (!c->cmd)
		try_open(c);
}

void wpactl_init(struct wpactl *c, const struct wpactl_handlers *h)
{
	memset(c, 0, sizeof(*c));
	c->h = h;
	c->cmd_lfd.fd = c->mon_lfd.fd = c->watch.lfd.fd = c->timer.lfd.fd = -1;
	c->watch.cb = socket_appeared;
	c->timer.cb = timed_out;
}

int wpactl_connect(struct wpactl *c, const char *dir, const char *ifname)
{
	int rc;

	wpactl_close(c);
	if (snprintf(c->path, sizeof(c->path), "%s/%s", dir, ifname) >= (int)sizeof(c->path))
		return -ENAMETOOLONG;
	/* watch first, then look: a socket created in between is not missed */
	rc = ctrl_watch_start(&c->watch, dir, ifname);
	if (rc < 0)
		log_warn("watching %s for the control socket: %s", dir, strerror(-rc));
	try_open(c);
	return 0;
}

void wpactl_request(struct wpactl *c, enum wpactl_req r)
{
	for (unsigned k = 0; k < c->qlen; k++)
		if (c->queue[k] == r && !(k == 0 && c->inflight))
			return;
	if (c->qlen == WPACTL_QUEUE) {
		log_warn("%s: request queue full, %s dropped", c->path, wpactl_req_text(r));
		return;
	}
	c->queue[c->qlen++] = r;
	send_next(c);
}

void wpactl_scan(struct wpactl *c, const char *args)
{
	for (unsigned k = 0; k < c->qlen; k++)
		if (c->queue[k] == WREQ_SCAN)
			return;	/* queued or in flight: its line stays as sent */
	snprintf(c->scan_line, sizeof(c->scan_line), "SCAN%s%s", args && args[0] ? " " : "", args ? args : "");
	wpactl_request(c, WREQ_SCAN);
}

static void close_socket(struct ctrl **s, struct loop_fd *lfd)
{
	loop_fd_del(lfd);
	lfd->fd = -1;
	ctrl_close(*s);
	*s = NULL;
}

void wpactl_close(struct wpactl *c)
{
	close_socket(&c->cmd, &c->cmd_lfd);
	close_socket(&c->mon, &c->mon_lfd);
	ctrl_watch_stop(&c->watch);
	loop_timer_cancel(&c->timer);
	c->qlen = 0;
	c->inflight = c->attaching = c->ready = 0;
}
