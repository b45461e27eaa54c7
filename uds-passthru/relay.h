/* One TCP connection of the bridge, in either mode: a guest-mode conn
 * (conn.c) and a host-mode link (host.c) are each built on one.
 *
 * The relay owns the descriptor and its place in the event loop, what
 * waits to be written, the frame reassembly, one timer, and closing:
 * a relay marked for closing is freed from its own timer, so that code
 * walking its owner's list, or in the middle of a callback, never sees
 * it freed. The owner says what the bytes mean, which events it wants
 * and when its next deadline is (relay_arm), and does its own part of
 * the teardown in release. */
#ifndef UDSP_RELAY_H
#define UDSP_RELAY_H

#include "evloop.h"
#include "frame.h"
#include "queue.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct relay;

struct relay_ops {
	/* The descriptor is ready; never called once the relay is closing. */
	void (*ready)(struct relay *r, short revents);
	/* The deadline given to relay_arm came; never once closing. */
	void (*timeout)(struct relay *r);
	/* The relay's own resources are gone: unlink and free the owner. */
	void (*release)(struct relay *r);
};

struct relay {
	const struct relay_ops *ops;
	struct ev_fd tcp;
	struct ev_timer timer;
	struct queue to_tcp;	/* bytes for the peer, not yet written */
	struct framebuf fb;	/* frames from the peer, being put together */
	int closing_now;	/* marked: freed at the next turn of the loop */
	uint64_t last_ms;	/* bytes last moved either way */
};

/* Takes fd (a connected or connecting TCP socket) into the loop. */
void relay_start(struct relay *r, const struct relay_ops *ops, int fd, short events,
		 size_t queue_limit, struct queue_budget *budget);

/* Marks it for closing: no more events, freed from its timer at once.
 * 1 the first time, 0 when it was marked already. */
int relay_close_soon(struct relay *r);

/* Sets the events to watch and the owner's next deadline (0: none).
 * A relay marked for closing keeps watching nothing. */
void relay_arm(struct relay *r, short events, uint64_t deadline_ms);

/* One read into buf: the bytes read, 0 at the peer's end, -errno on an
 * error (-EAGAIN: nothing there after all). */
ssize_t relay_read(struct relay *r, unsigned char *buf, size_t want);

/* Writes what waits, or only its first chunk (one_chunk: raw mode, one
 * datagram per write): the bytes written, or -errno. */
ssize_t relay_write(struct relay *r, int one_chunk);

/* Whether an error from relay_read or relay_write is only "not now". */
int relay_would_block(ssize_t rc);

/* Frees it at once: its own part, then the owner's release. */
void relay_free(struct relay *r);

#endif
