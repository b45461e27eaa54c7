/* lib/supervisor.c as init uses it: its back-off, its permanent exit
 * status, a stop that ends in SIGKILL; against a fake process and timer. */
#include "check.h"
#include "../../init/services.h"

#include <signal.h>
#include <sys/wait.h>

/* A fake of the process and timer seam: records what the supervisor did. */
static struct {
	pid_t next_pid;
	int spawn_fails;
	int spawns, kills, last_sig, timers, cancels, stopped;
	uint32_t last_timer_ms;
	uint64_t now;
} fake;

static pid_t fake_spawn(struct supervisor *s)
{
	(void)s;
	fake.spawns++;
	return fake.spawn_fails ? -1 : ++fake.next_pid;
}

static void fake_kill(struct supervisor *s, int sig)
{
	(void)s;
	fake.kills++;
	fake.last_sig = sig;
}

static void fake_timer_set(struct supervisor *s, uint32_t ms)
{
	(void)s;
	fake.timers++;
	fake.last_timer_ms = ms;
}

static void fake_timer_cancel(struct supervisor *s)
{
	(void)s;
	fake.cancels++;
}

static uint64_t fake_now(void)
{
	return fake.now;
}

/* init's rule (services.c): a stop is done when one already stopped is
 * asked, or one that was stopping exits. */
static void fake_changed(struct supervisor *s, enum sup_state before, enum sup_event ev)
{
	if ((ev == SUP_STOP && (s->state == SUP_STOPPED || s->state == SUP_FAILED)) ||
	    (ev == SUP_EXIT && before == SUP_STOPPING && s->state == SUP_STOPPED))
		fake.stopped++;
}

static const struct sup_ops ops = {
	fake_spawn, fake_kill, fake_timer_set, fake_timer_cancel, fake_now, fake_changed
};
static const struct sup_params params = {
	.backoff_min_ms = INIT_BACKOFF_MIN_MS,
	.backoff_max_ms = INIT_BACKOFF_MAX_MS,
	.stable_ms = INIT_STABLE_MS,
	.stop_ms = 2000,
	.permanent_exit = INIT_EXIT_PERMANENT,
};

static void feed(struct supervisor *s, enum sup_event ev, int wstatus)
{
	if (ev == SUP_EXIT)
		sup_exited(s, wstatus);
	else
		sup_event(s, ev);
}

static void start(struct supervisor *s)
{
	memset(&fake, 0, sizeof(fake));
	fake.next_pid = 100;
	sup_init(s, "netd", &params, &ops);
	feed(s, SUP_START, 0);
}

#define EXITED(code) ((code) << 8)
#define KILLED(sig) (sig)

TEST(start_spawns_and_runs)
{
	struct supervisor s;

	start(&s);
	CHECK_INT(s.state, SUP_RUNNING);
	CHECK_INT(s.pid, 101);
	CHECK_INT(fake.spawns, 1);
}

TEST(crash_restarts_with_doubling_backoff)
{
	struct supervisor s;

	start(&s);
	feed(&s, SUP_EXIT, KILLED(SIGSEGV));
	CHECK_INT(s.state, SUP_BACKOFF);
	CHECK_INT(fake.last_timer_ms, INIT_BACKOFF_MIN_MS);
	feed(&s, SUP_TIMER, 0);
	CHECK_INT(s.state, SUP_RUNNING);
	CHECK_INT(s.restarts, 1);
	feed(&s, SUP_EXIT, EXITED(1));
	CHECK_INT(fake.last_timer_ms, INIT_BACKOFF_MIN_MS * 2);
}

TEST(crash_loop_reaches_cap_and_keeps_trying)
{
	struct supervisor s;

	start(&s);
	for (int i = 0; i < 20; i++) {
		feed(&s, SUP_EXIT, EXITED(1));
		feed(&s, SUP_TIMER, 0);
	}
	CHECK_INT(s.state, SUP_RUNNING);
	CHECK_INT(fake.last_timer_ms, INIT_BACKOFF_MAX_MS);
	CHECK_INT(s.restarts, 20);
	CHECK(backoff_at_cap(&s.backoff));
}

TEST(stable_run_resets_backoff)
{
	struct supervisor s;

	start(&s);
	for (int i = 0; i < 5; i++) {
		feed(&s, SUP_EXIT, EXITED(1));
		feed(&s, SUP_TIMER, 0);
	}
	fake.now += INIT_STABLE_MS;
	feed(&s, SUP_EXIT, EXITED(1));
	CHECK_INT(fake.last_timer_ms, INIT_BACKOFF_MIN_MS);
}

TEST(exit_100_is_permanent)
{
	struct supervisor s;

	start(&s);
	feed(&s, SUP_EXIT, EXITED(INIT_EXIT_PERMANENT));
	CHECK_INT(s.state, SUP_FAILED);
	CHECK_INT(fake.timers, 0);
	feed(&s, SUP_TIMER, 0);
	CHECK_INT(fake.spawns, 1);
}

TEST(spawn_failure_retries_later)
{
	struct supervisor s;

	memset(&fake, 0, sizeof(fake));
	fake.spawn_fails = 1;
	sup_init(&s, "netd", &params, &ops);
	feed(&s, SUP_START, 0);
	CHECK_INT(s.state, SUP_BACKOFF);
	CHECK_INT(fake.timers, 1);
	fake.spawn_fails = 0;
	feed(&s, SUP_TIMER, 0);
	CHECK_INT(s.state, SUP_RUNNING);
}

TEST(stop_terminates_then_kills_after_timeout)
{
	struct supervisor s;

	start(&s);
	feed(&s, SUP_STOP, 0);
	CHECK_INT(s.state, SUP_STOPPING);
	CHECK_INT(fake.last_sig, SIGTERM);
	CHECK_INT(fake.last_timer_ms, params.stop_ms);
	feed(&s, SUP_TIMER, 0);
	CHECK_INT(fake.last_sig, SIGKILL);
	CHECK_INT(s.state, SUP_STOPPING);
	feed(&s, SUP_EXIT, KILLED(SIGKILL));
	CHECK_INT(s.state, SUP_STOPPED);
	CHECK_INT(fake.stopped, 1);
	CHECK_INT(fake.spawns, 1);
}

TEST(exit_while_stopping_is_not_restarted)
{
	struct supervisor s;

	start(&s);
	feed(&s, SUP_STOP, 0);
	feed(&s, SUP_EXIT, EXITED(0));
	CHECK_INT(s.state, SUP_STOPPED);
	feed(&s, SUP_TIMER, 0);
	CHECK_INT(fake.spawns, 1);
	CHECK_INT(fake.cancels, 1);
}

TEST(stop_during_backoff_cancels_restart)
{
	struct supervisor s;

	start(&s);
	feed(&s, SUP_EXIT, EXITED(1));
	feed(&s, SUP_STOP, 0);
	CHECK_INT(s.state, SUP_STOPPED);
	CHECK_INT(fake.cancels, 1);
	CHECK_INT(fake.stopped, 1);
	feed(&s, SUP_TIMER, 0);
	CHECK_INT(fake.spawns, 1);
}

TEST(stop_of_stopped_service_reports_at_once)
{
	struct supervisor s;

	memset(&fake, 0, sizeof(fake));
	sup_init(&s, "netd", &params, &ops);
	feed(&s, SUP_STOP, 0);
	CHECK_INT(fake.stopped, 1);
	CHECK_INT(fake.kills, 0);
}

TEST(state_names_cover_every_state)
{
	for (int st = 0; st < SUP_STATES; st++)
		CHECK(strcmp(sup_state_name((enum sup_state)st), "?") != 0);
}
