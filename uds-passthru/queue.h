/* Bounded queues of byte chunks, one per direction of a connection.
 * Each chunk is one datagram (with its frame header, if any), so a queue
 * towards a datagram socket sends chunk by chunk and a queue towards TCP
 * writes them back to back. A queue refuses what would pass its own limit
 * or the budget shared by all queues: memory stays bounded whatever the
 * peers do. */
#ifndef UDSP_QUEUE_H
#define UDSP_QUEUE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct chunk {
	struct chunk *next;
	size_t len, off;	/* off: bytes already written */
	uint64_t deadline_ms;	/* 0: none; queue_expire drops it after */
	unsigned char data[];
};

struct queue_budget {
	size_t used, limit;
};

struct queue {
	struct chunk *head, *tail;
	size_t bytes, count;
	size_t limit;
	struct queue_budget *budget;
};

void queue_init(struct queue *q, size_t limit, struct queue_budget *budget);
/* Appends hdr (may be NULL) followed by data as one chunk. 0, or -ENOBUFS
 * when a limit would be passed, or -ENOMEM. */
int queue_push(struct queue *q, const void *hdr, size_t hlen, const void *data, size_t len,
	       uint64_t deadline_ms);
/* The same, but the chunk goes ahead of the first chunk for which
 * behind() is true and that has not started to leave (at the end if
 * none): raw replies overtake the events queued for the same client. */
int queue_push_ahead(struct queue *q, const void *data, size_t len,
		     int (*behind)(const struct chunk *c));
/* Drops the chunks for which drop() is true (and a head chunk partly
 * written, which cannot be resent); returns how many. */
size_t queue_drop_if(struct queue *q, int (*drop)(const struct chunk *c));
struct chunk *queue_head(const struct queue *q);
/* Frees the head chunk. */
void queue_pop(struct queue *q);
/* Writes as much as the stream fd takes; bytes written, or -errno
 * (-EAGAIN when nothing could be written). */
ssize_t queue_write(struct queue *q, int fd);
/* Writes what is left of the head chunk only; bytes written, or -errno.
 * For raw streams, where each datagram must leave on its own. */
ssize_t queue_write_one(struct queue *q, int fd);
/* Moves src's chunks to the end of dst, in order (both must draw on the
 * same budget). A head chunk partly written cannot be resent: dropped.
 * Returns the number of chunks dropped. */
size_t queue_splice(struct queue *dst, struct queue *src);
/* Drops chunks whose deadline passed; returns how many. */
size_t queue_expire(struct queue *q, uint64_t now_ms);
/* The earliest deadline among the chunks, 0 if none. */
uint64_t queue_next_deadline(const struct queue *q);
void queue_clear(struct queue *q);

#endif
