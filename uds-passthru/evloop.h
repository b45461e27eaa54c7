/* The event loop of uds-passthru: poll(2), timers kept in a list, and
 * signals through a self-pipe; POSIX only, so that the host mode builds
 * on FreeBSD. Both modes use it: the relay code they share (connections,
 * queues, time limits) then runs on one loop, instead of being written
 * twice for lib/loop.h's epoll and for a portable loop.
 * Objects are embedded in their owner and recovered with container_of,
 * as with lib/loop.h. Nothing polls: with nothing to do, poll() sleeps
 * without a timeout. */
#ifndef UDSP_EVLOOP_H
#define UDSP_EVLOOP_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#endif

struct ev_fd;
typedef void (*ev_fd_cb)(struct ev_fd *f, short revents);

struct ev_fd {
	int fd;
	short events;
	ev_fd_cb cb;
	/* private */
	struct ev_fd *prev, *next;
	int added;
	int slot;	/* index in this round's poll array, or -1 */
};

struct ev_timer;
typedef void (*ev_timer_cb)(struct ev_timer *t);

struct ev_timer {
	ev_timer_cb cb;
	/* private */
	uint64_t deadline_ms;
	struct ev_timer *prev, *next;
	int armed;
};

typedef void (*ev_signal_cb)(int signo);

/* Watches f->fd for events (POLLIN, POLLOUT); 0 or -1. */
void ev_fd_add(struct ev_fd *f, int fd, short events, ev_fd_cb cb);
void ev_fd_events(struct ev_fd *f, short events);
/* Safe from any callback, including for an fd of the same round. */
void ev_fd_del(struct ev_fd *f);

/* One-shot, at an absolute monotonic time; setting an armed timer moves it. */
void ev_timer_at(struct ev_timer *t, uint64_t deadline_ms, ev_timer_cb cb);
void ev_timer_cancel(struct ev_timer *t);
static inline int ev_timer_armed(const struct ev_timer *t)
{
	return t->armed;
}

/* Calls cb in the loop for each of the signals; 0, or -1 with errno. */
int ev_signals(const int *signals, size_t n, ev_signal_cb cb);
/* Runs until ev_quit(); 0, or -1 if poll() itself failed. */
int ev_run(void);
void ev_quit(void);
uint64_t ev_now_ms(void);

#endif
