#include "queue.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define QUEUE_IOV 16

void queue_init(struct queue *q, size_t limit, struct queue_budget *budget)
{
	memset(q, 0, sizeof(*q));
	q->limit = limit;
	q->budget = budget;
}

static int over_limit(const struct queue *q, size_t len)
{
	if (q->bytes + len > q->limit)
		return 1;
	return q->budget && q->budget->used + len > q->budget->limit;
}

static struct chunk *new_chunk(struct queue *q, const void *hdr, size_t hlen, const void *data,
			       size_t len, uint64_t deadline_ms)
{
	size_t total = hlen + len;
	struct chunk *c = malloc(sizeof(*c) + total);

	if (!c)
		return NULL;
	c->next = NULL;
	c->len = total;
	c->off = 0;
	c->deadline_ms = deadline_ms;
	if (hlen)
		memcpy(c->data, hdr, hlen);
	if (len)
		memcpy(c->data + hlen, data, len);
	q->bytes += total;
	q->count++;
	if (q->budget)
		q->budget->used += total;
	return c;
}

/* Links c in after prev (NULL: at the head). */
static void link_after(struct queue *q, struct chunk *prev, struct chunk *c)
{
	struct chunk **at = prev ? &prev->next : &q->head;

	c->next = *at;
	*at = c;
	if (!c->next)
		q->tail = c;
}

int queue_push(struct queue *q, const void *hdr, size_t hlen, const void *data, size_t len,
	       uint64_t deadline_ms)
{
	struct chunk *c;

	if (over_limit(q, hlen + len))
		return -ENOBUFS;
	c = new_chunk(q, hdr, hlen, data, len, deadline_ms);
	if (!c)
		return -ENOMEM;
	link_after(q, q->tail, c);
	return 0;
}

int queue_push_ahead(struct queue *q, const void *data, size_t len,
		     int (*behind)(const struct chunk *c))
{
	struct chunk *prev = NULL, *c;

	if (over_limit(q, len))
		return -ENOBUFS;
	for (struct chunk *x = q->head; x && (x->off || !behind(x)); x = x->next)
		prev = x;
	c = new_chunk(q, NULL, 0, data, len, 0);
	if (!c)
		return -ENOMEM;
	link_after(q, prev, c);
	return 0;
}

static void unlink_next(struct queue *q, struct chunk *prev)
{
	struct chunk **at = prev ? &prev->next : &q->head, *c = *at;

	*at = c->next;
	if (q->tail == c)
		q->tail = prev;
	q->bytes -= c->len;
	q->count--;
	if (q->budget)
		q->budget->used -= c->len;
	free(c);
}

size_t queue_drop_if(struct queue *q, int (*drop)(const struct chunk *c))
{
	struct chunk *prev = NULL;
	size_t dropped = 0;

	while (prev ? prev->next : q->head) {
		struct chunk *c = prev ? prev->next : q->head;

		if (c->off || drop(c)) {
			unlink_next(q, prev);
			dropped++;
		} else {
			prev = c;
		}
	}
	return dropped;
}

struct chunk *queue_head(const struct queue *q)
{
	return q->head;
}

void queue_pop(struct queue *q)
{
	struct chunk *c = q->head;

	if (!c)
		return;
	q->head = c->next;
	if (!q->head)
		q->tail = NULL;
	q->bytes -= c->len;
	q->count--;
	if (q->budget)
		q->budget->used -= c->len;
	free(c);
}

static void consume(struct queue *q, size_t n)
{
	while (n && q->head) {
		struct chunk *c = q->head;
		size_t left = c->len - c->off;

		if (n < left) {
			c->off += n;
			return;
		}
		n -= left;
		queue_pop(q);
	}
}

ssize_t queue_write(struct queue *q, int fd)
{
	struct iovec iov[QUEUE_IOV];
	struct chunk *c;
	int n = 0;
	ssize_t w;

	for (c = q->head; c && n < QUEUE_IOV; c = c->next, n++) {
		iov[n].iov_base = c->data + c->off;
		iov[n].iov_len = c->len - c->off;
	}
	if (n == 0)
		return 0;
	do
		w = writev(fd, iov, n);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return -errno;
	consume(q, (size_t)w);
	return w;
}

ssize_t queue_write_one(struct queue *q, int fd)
{
	struct chunk *c = q->head;
	ssize_t w;

	if (!c)
		return 0;
	do
		w = write(fd, c->data + c->off, c->len - c->off);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return -errno;
	consume(q, (size_t)w);
	return w;
}

size_t queue_splice(struct queue *dst, struct queue *src)
{
	size_t dropped = 0;

	if (src->head && src->head->off) {
		queue_pop(src);
		dropped = 1;
	}
	if (!src->head)
		return dropped;
	if (dst->tail)
		dst->tail->next = src->head;
	else
		dst->head = src->head;
	dst->tail = src->tail;
	dst->bytes += src->bytes;
	dst->count += src->count;
	src->head = src->tail = NULL;
	src->bytes = src->count = 0;
	return dropped;
}

size_t queue_expire(struct queue *q, uint64_t now_ms)
{
	struct chunk **pp = &q->head, *c;
	size_t dropped = 0;

	while ((c = *pp)) {
		/* A chunk partly written must go out whole. */
		if (c->deadline_ms && c->deadline_ms <= now_ms && c->off == 0) {
			*pp = c->next;
			q->bytes -= c->len;
			q->count--;
			if (q->budget)
				q->budget->used -= c->len;
			free(c);
			dropped++;
		} else {
			pp = &c->next;
		}
	}
	q->tail = NULL;
	for (c = q->head; c; c = c->next)
		q->tail = c;
	return dropped;
}

uint64_t queue_next_deadline(const struct queue *q)
{
	uint64_t next = 0;

	for (const struct chunk *c = q->head; c; c = c->next)
		if (c->deadline_ms && (!next || c->deadline_ms < next))
			next = c->deadline_ms;
	return next;
}

void queue_clear(struct queue *q)
{
	while (q->head)
		queue_pop(q);
}
