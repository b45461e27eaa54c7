/* One TCP connection of the bridge: see relay.h. */
#include "relay.h"

#include <errno.h>
#include <unistd.h>

static void relay_ready(struct ev_fd *f, short revents)
{
	struct relay *r = container_of(f, struct relay, tcp);

	if (!r->closing_now)
		r->ops->ready(r, revents);
}

static void relay_timer(struct ev_timer *t)
{
	struct relay *r = container_of(t, struct relay, timer);

	if (r->closing_now)
		relay_free(r);
	else
		r->ops->timeout(r);
}

void relay_start(struct relay *r, const struct relay_ops *ops, int fd, short events,
		 size_t queue_limit, struct queue_budget *budget)
{
	r->ops = ops;
	r->last_ms = ev_now_ms();
	queue_init(&r->to_tcp, queue_limit, budget);
	ev_fd_add(&r->tcp, fd, events, relay_ready);
}

int relay_close_soon(struct relay *r)
{
	if (r->closing_now)
		return 0;
	r->closing_now = 1;
	ev_fd_events(&r->tcp, 0);
	ev_timer_at(&r->timer, 1, relay_timer);	/* in the past: at the next turn */
	return 1;
}

void relay_arm(struct relay *r, short events, uint64_t deadline_ms)
{
	if (r->closing_now)
		return;
	ev_fd_events(&r->tcp, events);
	if (deadline_ms)
		ev_timer_at(&r->timer, deadline_ms, relay_timer);
	else
		ev_timer_cancel(&r->timer);
}

ssize_t relay_read(struct relay *r, unsigned char *buf, size_t want)
{
	ssize_t n = read(r->tcp.fd, buf, want);

	if (n < 0)
		return -errno;
	if (n > 0)
		r->last_ms = ev_now_ms();
	return n;
}

ssize_t relay_write(struct relay *r, int one_chunk)
{
	ssize_t n = one_chunk ? queue_write_one(&r->to_tcp, r->tcp.fd)
			      : queue_write(&r->to_tcp, r->tcp.fd);

	if (n > 0)
		r->last_ms = ev_now_ms();
	return n;
}

int relay_would_block(ssize_t rc)
{
	return rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR;
}

void relay_free(struct relay *r)
{
	ev_timer_cancel(&r->timer);
	ev_fd_del(&r->tcp);
	close(r->tcp.fd);
	queue_clear(&r->to_tcp);
	framebuf_free(&r->fb);
	r->ops->release(r);
}
