#include "evloop.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct ev_fd *fds;
static size_t n_fds;
static struct ev_timer *timers;
static int quitting;

/* The round being dispatched: owners[i] is NULL once deleted. */
static struct pollfd *round_pfd;
static struct ev_fd **round_owner;
static size_t round_cap;

static int sig_pipe[2] = { -1, -1 };
static struct ev_fd sig_fd;
static ev_signal_cb sig_cb;

uint64_t ev_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void ev_quit(void)
{
	quitting = 1;
}

void ev_fd_add(struct ev_fd *f, int fd, short events, ev_fd_cb cb)
{
	f->fd = fd;
	f->events = events;
	f->cb = cb;
	if (f->added)
		return;
	f->slot = -1;
	f->prev = NULL;
	f->next = fds;
	if (fds)
		fds->prev = f;
	fds = f;
	f->added = 1;
	n_fds++;
}

void ev_fd_events(struct ev_fd *f, short events)
{
	f->events = events;
}

void ev_fd_del(struct ev_fd *f)
{
	if (!f->added)
		return;
	if (f->prev)
		f->prev->next = f->next;
	else
		fds = f->next;
	if (f->next)
		f->next->prev = f->prev;
	if (f->slot >= 0)
		round_owner[f->slot] = NULL;
	f->slot = -1;
	f->added = 0;
	n_fds--;
}

void ev_timer_at(struct ev_timer *t, uint64_t deadline_ms, ev_timer_cb cb)
{
	t->cb = cb;
	t->deadline_ms = deadline_ms;
	if (t->armed)
		return;
	t->prev = NULL;
	t->next = timers;
	if (timers)
		timers->prev = t;
	timers = t;
	t->armed = 1;
}

void ev_timer_cancel(struct ev_timer *t)
{
	if (!t->armed)
		return;
	if (t->prev)
		t->prev->next = t->next;
	else
		timers = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->armed = 0;
}

static void signal_handler(int signo)
{
	unsigned char b = (unsigned char)signo;
	int saved = errno;

	/* A full pipe already holds a wake-up: losing this byte is fine. */
	if (write(sig_pipe[1], &b, 1) < 0) {
	}
	errno = saved;
}

static void signals_ready(struct ev_fd *f, short revents)
{
	unsigned char buf[32];
	ssize_t n;

	(void)revents;
	while ((n = read(f->fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			sig_cb(buf[i]);
}

static int set_flags(int fd)
{
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0 ||
	       fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ? -1 : 0;
}

int ev_signals(const int *signals, size_t n, ev_signal_cb cb)
{
	struct sigaction sa;

	if (sig_pipe[0] < 0) {
		if (pipe(sig_pipe) < 0)
			return -1;
		if (set_flags(sig_pipe[0]) < 0 || set_flags(sig_pipe[1]) < 0)
			return -1;
		ev_fd_add(&sig_fd, sig_pipe[0], POLLIN, signals_ready);
	}
	sig_cb = cb;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = signal_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < n; i++)
		if (sigaction(signals[i], &sa, NULL) < 0)
			return -1;
	return 0;
}

/* Milliseconds until the nearest timer, or -1 (none). */
static int next_timeout(uint64_t now)
{
	uint64_t next = UINT64_MAX;

	for (struct ev_timer *t = timers; t; t = t->next)
		if (t->deadline_ms < next)
			next = t->deadline_ms;
	if (next == UINT64_MAX)
		return -1;
	if (next <= now)
		return 0;
	return next - now > INT_MAX ? INT_MAX : (int)(next - now);
}

/* Runs due timers; each callback may arm or cancel any timer, so the
 * scan restarts after each one. */
static void run_timers(void)
{
	uint64_t now = ev_now_ms();
	struct ev_timer *t;

	for (t = timers; t;) {
		if (t->deadline_ms <= now) {
			ev_timer_cancel(t);
			t->cb(t);
			t = timers;
		} else {
			t = t->next;
		}
	}
}

static int grow_round(void)
{
	size_t cap = round_cap ? round_cap : 64;
	struct pollfd *pfd;
	struct ev_fd **owner;

	while (cap < n_fds)
		cap *= 2;
	if (cap == round_cap)
		return 0;
	pfd = realloc(round_pfd, cap * sizeof(*pfd));
	if (!pfd)
		return -1;
	round_pfd = pfd;
	owner = realloc(round_owner, cap * sizeof(*owner));
	if (!owner)
		return -1;
	round_owner = owner;
	round_cap = cap;
	return 0;
}

static size_t build_round(void)
{
	size_t n = 0;

	for (struct ev_fd *f = fds; f; f = f->next, n++) {
		round_pfd[n].fd = f->fd;
		round_pfd[n].events = f->events;
		round_pfd[n].revents = 0;
		round_owner[n] = f;
		f->slot = (int)n;
	}
	return n;
}

static void dispatch(size_t n)
{
	for (size_t i = 0; i < n && !quitting; i++) {
		struct ev_fd *f = round_owner[i];

		/* The slot stays set until the round ends: a later callback
		 * may still delete (and free) an fd that was called before. */
		if (f && round_pfd[i].revents)
			f->cb(f, round_pfd[i].revents);
	}
	for (size_t i = 0; i < n; i++)
		if (round_owner[i])
			round_owner[i]->slot = -1;
}

int ev_run(void)
{
	size_t n;
	int rc;

	quitting = 0;
	while (!quitting) {
		if (grow_round() < 0)
			return -1;
		n = build_round();
		rc = poll(round_pfd, (nfds_t)n, next_timeout(ev_now_ms()));
		if (rc < 0 && errno != EINTR) {
			for (size_t i = 0; i < n; i++)
				round_owner[i]->slot = -1;
			return -1;
		}
		if (rc > 0)
			dispatch(n);
		else
			for (size_t i = 0; i < n; i++)
				if (round_owner[i])
					round_owner[i]->slot = -1;
		run_timers();
	}
	return 0;
}
