#include "loop.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOOP_MAX_EVENTS 16

static int epoll_fd = -1;
static int quitting;
static struct loop_fd signal_lfd = { .fd = -1 };
static loop_signal_cb signal_cb;
static loop_orphan_cb orphan_cb;
static struct loop_child *children;
/* Without a signalfd (loop_signals could not make one), the signals stay
 * blocked except inside epoll_pwait, whose mask lets them in; a handler
 * notes them and the loop acts on them after the wait. */
static int signals_by_handler;
static sigset_t wait_mask;
static volatile sig_atomic_t caught[NSIG];
/* The batch being dispatched, so that a callback deleting another fd of
 * the same batch does not leave a dangling pointer behind. */
static struct epoll_event batch[LOOP_MAX_EVENTS];
static int batch_len;

int loop_init(void)
{
	if (epoll_fd >= 0)
		return 0;
	epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	return epoll_fd < 0 ? -1 : 0;
}

void loop_done(void)
{
	if (signal_lfd.fd >= 0)
		close(signal_lfd.fd);
	signal_lfd.fd = -1;
	if (epoll_fd >= 0)
		close(epoll_fd);
	epoll_fd = -1;
}

void loop_quit(void)
{
	quitting = 1;
}

uint64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int loop_ctl(int op, struct loop_fd *lfd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = lfd };

	return epoll_ctl(epoll_fd, op, lfd->fd, &ev);
}

int loop_fd_add(struct loop_fd *lfd, uint32_t events)
{
	if (lfd->registered)
		return loop_fd_mod(lfd, events);
	if (loop_ctl(EPOLL_CTL_ADD, lfd, events) < 0)
		return -1;
	lfd->registered = 1;
	return 0;
}

int loop_fd_mod(struct loop_fd *lfd, uint32_t events)
{
	return loop_ctl(EPOLL_CTL_MOD, lfd, events);
}

void loop_fd_del(struct loop_fd *lfd)
{
	if (!lfd->registered)
		return;
	epoll_ctl(epoll_fd, EPOLL_CTL_DEL, lfd->fd, NULL);
	lfd->registered = 0;
	for (int i = 0; i < batch_len; i++)
		if (batch[i].data.ptr == lfd)
			batch[i].data.ptr = NULL;
}

static void timer_fired(struct loop_fd *lfd, uint32_t events)
{
	struct loop_timer *t = container_of(lfd, struct loop_timer, lfd);
	uint64_t expirations;

	(void)events;
	if (read(lfd->fd, &expirations, sizeof(expirations)) < 0)
		return;	/* EAGAIN: re-armed or cancelled since */
	t->pending = 0;
	t->cb(t);
}

int loop_timer_set(struct loop_timer *t, uint64_t ms)
{
	struct itimerspec its = { 0 };

	if (!t->lfd.registered) {
		t->lfd.fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		if (t->lfd.fd < 0)
			return -1;
		t->lfd.cb = timer_fired;
		if (loop_fd_add(&t->lfd, EPOLLIN) < 0) {
			close(t->lfd.fd);
			return -1;
		}
	}
	if (ms == 0)
		ms = 1;	/* zero would disarm */
	its.it_value.tv_sec = (time_t)(ms / 1000);
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	if (timerfd_settime(t->lfd.fd, 0, &its, NULL) < 0)
		return -1;
	t->pending = 1;
	return 0;
}

void loop_timer_cancel(struct loop_timer *t)
{
	struct itimerspec its = { 0 };

	if (t->lfd.registered)
		timerfd_settime(t->lfd.fd, 0, &its, NULL);
	t->pending = 0;
}

void loop_timer_free(struct loop_timer *t)
{
	if (!t->lfd.registered)
		return;
	loop_fd_del(&t->lfd);
	close(t->lfd.fd);
	t->lfd.fd = -1;
	t->pending = 0;
}

void loop_child_add(struct loop_child *c)
{
	c->next = children;
	children = c;
}

void loop_child_del(struct loop_child *c)
{
	struct loop_child **p;

	for (p = &children; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			return;
		}
	}
}

void loop_set_orphan_cb(loop_orphan_cb cb)
{
	orphan_cb = cb;
}

static void child_exited(pid_t pid, int wstatus)
{
	struct loop_child *c;

	for (c = children; c; c = c->next) {
		if (c->pid == pid) {
			loop_child_del(c);
			c->pid = 0;
			c->cb(c, wstatus);
			return;
		}
	}
	if (orphan_cb)
		orphan_cb(pid, wstatus);
}

static void reap_children(void)
{
	int wstatus;
	pid_t pid;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0)
		child_exited(pid, wstatus);
}

static void signals_ready(struct loop_fd *lfd, uint32_t events)
{
	struct signalfd_siginfo si;

	(void)events;
	while (read(lfd->fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			reap_children();
		else if (signal_cb)
			signal_cb((int)si.ssi_signo);
	}
}

static void note_signal(int signo)
{
	caught[signo] = 1;
}

static void handled_signals_ready(void)
{
	for (int signo = 1; signo < NSIG; signo++) {
		if (!caught[signo])
			continue;
		caught[signo] = 0;
		if (signo == SIGCHLD)
			reap_children();
		else if (signal_cb)
			signal_cb(signo);
	}
}

/* The signals go on reaching the loop without a signalfd: above all,
 * SIGCHLD is blocked by now, and without this nobody would ever reap. */
static int take_signals_by_handler(const sigset_t *set, const sigset_t *before)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = note_signal;
	sigfillset(&sa.sa_mask);
	for (int signo = 1; signo < NSIG; signo++)
		if (sigismember(set, signo) == 1 && sigaction(signo, &sa, NULL) < 0)
			return -1;
	wait_mask = *before;
	for (int signo = 1; signo < NSIG; signo++)
		if (sigismember(set, signo) == 1)
			sigdelset(&wait_mask, signo);
	signals_by_handler = 1;
	return 0;
}

int loop_signals(const int *signals, size_t n, loop_signal_cb cb)
{
	sigset_t set, before;
	size_t i;
	int fd, err;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (i = 0; i < n; i++)
		sigaddset(&set, signals[i]);
	if (sigprocmask(SIG_BLOCK, &set, &before) < 0)
		return -1;
	signal_cb = cb;
	fd = signalfd(signal_lfd.fd, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (take_signals_by_handler(&set, &before) < 0) {
			sigprocmask(SIG_SETMASK, &before, NULL);
			errno = err;
			return -1;
		}
		log_warn("no signalfd (%s): signals are taken by a handler instead", strerror(err));
		reap_children();
		return 0;
	}
	signal_lfd.fd = fd;
	signal_lfd.cb = signals_ready;
	/* Children that exited before the signalfd existed. */
	reap_children();
	return loop_fd_add(&signal_lfd, EPOLLIN);
}

int loop_run(void)
{
	int i, n, err;

	quitting = 0;
	while (!quitting) {
		n = epoll_pwait(epoll_fd, batch, LOOP_MAX_EVENTS, -1,
				signals_by_handler ? &wait_mask : NULL);
		err = errno;
		if (signals_by_handler)
			handled_signals_ready();
		if (n < 0) {
			if (err == EINTR)
				continue;
			errno = err;
			return -1;
		}
		batch_len = n;
		for (i = 0; i < n && !quitting; i++) {
			struct loop_fd *lfd = batch[i].data.ptr;

			if (lfd)
				lfd->cb(lfd, batch[i].events);
		}
		batch_len = 0;
	}
	return 0;
}
