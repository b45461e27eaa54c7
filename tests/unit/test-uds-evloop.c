#include "check.h"
#include "../../uds-passthru/evloop.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static char order[16];
static int n_order;

static struct ev_timer t1, t2, t3, stop;

static void mark(struct ev_timer *t)
{
	order[n_order++] = t == &t1 ? '1' : t == &t2 ? '2' : '3';
	if (t == &t1)
		ev_timer_cancel(&t3);	/* a callback may cancel another */
}

static void quit(struct ev_timer *t)
{
	(void)t;
	ev_quit();
}

TEST(evloop_runs_timers_in_time_order)
{
	uint64_t now = ev_now_ms();

	n_order = 0;
	ev_timer_at(&t2, now + 30, mark);
	ev_timer_at(&t1, now + 10, mark);
	ev_timer_at(&t3, now + 20, mark);
	ev_timer_at(&stop, now + 60, quit);
	CHECK_INT(ev_run(), 0);
	CHECK_INT(n_order, 2);
	CHECK(memcmp(order, "12", 2) == 0);
	CHECK(ev_now_ms() >= now + 60);
	CHECK(!ev_timer_armed(&t2));
}

TEST(evloop_moves_an_armed_timer)
{
	uint64_t now = ev_now_ms();

	n_order = 0;
	ev_timer_at(&t1, now + 500, mark);
	ev_timer_at(&t1, now + 5, mark);
	ev_timer_at(&stop, now + 30, quit);
	ev_run();
	CHECK_INT(n_order, 1);
	CHECK(ev_now_ms() < now + 400);
}

static struct ev_fd fa, fb;
static int pa[2], pb[2];
static int a_calls, b_calls;

static void a_ready(struct ev_fd *f, short revents)
{
	char c;

	(void)revents;
	a_calls++;
	CHECK_INT(read(f->fd, &c, 1), 1);
	ev_fd_del(&fb);	/* b is ready in the same round: it must not run */
	ev_fd_del(f);
	ev_quit();
}

static void b_ready(struct ev_fd *f, short revents)
{
	(void)f;
	(void)revents;
	b_calls++;
	ev_fd_del(&fa);
	ev_fd_del(&fb);
	ev_quit();
}

TEST(evloop_fd_deleted_in_the_same_round_is_not_called)
{
	CHECK_INT(pipe(pa), 0);
	CHECK_INT(pipe(pb), 0);
	CHECK_INT(write(pa[1], "x", 1), 1);
	CHECK_INT(write(pb[1], "x", 1), 1);
	ev_fd_add(&fa, pa[0], POLLIN, a_ready);
	ev_fd_add(&fb, pb[0], POLLIN, b_ready);
	ev_run();
	CHECK_INT(a_calls + b_calls, 1);
	CHECK(!fa.added && !fb.added);
}

static int got_signal;

static void on_signal(int signo)
{
	got_signal = signo;
	ev_quit();
}

TEST(evloop_delivers_signals_in_the_loop)
{
	static const int sigs[] = { SIGUSR1 };

	CHECK_INT(ev_signals(sigs, 1, on_signal), 0);
	raise(SIGUSR1);
	ev_run();
	CHECK_INT(got_signal, SIGUSR1);
}

/* An fd whose callback already ran in this round, freed by a later
 * callback of the same round (a connection closing another). */
static struct ev_fd *victim;
static struct ev_fd killer;
static int pv[2], pk[2];

static void victim_ready(struct ev_fd *f, short revents)
{
	char c;

	(void)revents;
	CHECK_INT(read(f->fd, &c, 1), 1);
}

static void killer_ready(struct ev_fd *f, short revents)
{
	char c;

	(void)revents;
	CHECK_INT(read(f->fd, &c, 1), 1);
	ev_fd_del(victim);
	free(victim);
	victim = NULL;
	ev_fd_del(f);
	ev_quit();
}

TEST(evloop_fd_freed_after_its_callback_in_the_same_round)
{
	victim = calloc(1, sizeof(*victim));
	CHECK_INT(pipe(pv), 0);
	CHECK_INT(pipe(pk), 0);
	CHECK_INT(write(pv[1], "x", 1), 1);
	CHECK_INT(write(pk[1], "x", 1), 1);
	/* Added first, dispatched last: the killer runs after the victim. */
	ev_fd_add(&killer, pk[0], POLLIN, killer_ready);
	ev_fd_add(victim, pv[0], POLLIN, victim_ready);
	ev_run();	/* AddressSanitizer reports a use after free here */
	CHECK(victim == NULL);
}
