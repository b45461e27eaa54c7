/* One event loop per process: epoll, with timerfd timers, signalfd
 * signals and child-process exits. Objects are embedded in their owner and
 * recovered with container_of in the callback. Nothing polls: a process
 * with nothing to do sleeps in epoll_wait. */
#ifndef WB_LOOP_H
#define WB_LOOP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

struct loop_fd;
typedef void (*loop_fd_cb)(struct loop_fd *lfd, uint32_t events);

struct loop_fd {
	int fd;
	loop_fd_cb cb;
	int registered;
};

struct loop_timer;
typedef void (*loop_timer_cb)(struct loop_timer *t);

struct loop_timer {
	struct loop_fd lfd;	/* the timerfd, created on first use */
	loop_timer_cb cb;
	int pending;
};

struct loop_child;
typedef void (*loop_child_cb)(struct loop_child *c, int wstatus);

struct loop_child {
	pid_t pid;
	loop_child_cb cb;
	struct loop_child *next;
};

typedef void (*loop_signal_cb)(int signo);
/* Called for children that exited but were never added (orphans reparented
 * to PID 1, or helpers nobody waits for). */
typedef void (*loop_orphan_cb)(pid_t pid, int wstatus);

int loop_init(void);
void loop_done(void);
/* Runs until loop_quit(). Returns 0, or -1 if epoll itself failed. */
int loop_run(void);
void loop_quit(void);

int loop_fd_add(struct loop_fd *lfd, uint32_t events);
int loop_fd_mod(struct loop_fd *lfd, uint32_t events);
void loop_fd_del(struct loop_fd *lfd);

/* One-shot; setting a pending timer moves it. */
int loop_timer_set(struct loop_timer *t, uint64_t ms);
void loop_timer_cancel(struct loop_timer *t);
void loop_timer_free(struct loop_timer *t);

/* Blocks the signals, reads them from a signalfd and calls cb for each.
 * SIGCHLD is always taken: it reaps children and calls their callbacks.
 * Without a signalfd (no descriptor left, say) the signals are taken by
 * a handler and let in only while the loop waits (epoll_pwait): process
 * 1 never stops reaping. -1 only if neither works (the mask restored). */
int loop_signals(const int *signals, size_t n, loop_signal_cb cb);
void loop_set_orphan_cb(loop_orphan_cb cb);
void loop_child_add(struct loop_child *c);
void loop_child_del(struct loop_child *c);

/* Monotonic clock in milliseconds. */
uint64_t loop_now_ms(void);

#endif
