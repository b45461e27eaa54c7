#include "check.h"
#include "../../init/supervisor.h"

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

static pid_t fake_spawn(struct service *s)
{
	(void)s;
	fake.spawns++;
	return fake.spawn_fails ? -1 : ++fake.next_pid;
}

static int fake_kill(pid_t pid, int sig)
{
	(void)pid;
	fake.kills++;
	fake.last_sig = sig;
	return 0;
}

static void fake_timer_set(struct service *s, uint32_t ms)
{
	(void)s;
	fake.timers++;
	fake.last_timer_ms = ms;
}

static void fake_timer_cancel(struct service *s)
{
	(void)s;
	fake.cancels++;
}

static uint64_t fake_now(void)
{
	return fake.now;
}

static void fake_stopped(struct service *s)
{
	(void)s;
	fake.stopped++;
}

static const struct svc_ops ops = {
	fake_spawn, fake_kill, fake_timer_set, fake_timer_cancel, fake_now, fake_stopped
};
static const char *const argv[] = { "/usr/sbin/netd", NULL };

static void start(struct service *s)
{
	memset(&fake, 0, sizeof(fake));
	fake.next_pid = 100;
	svc_init(s, "netd", argv, &ops);
	svc_event(s, SVC_EV_START, 0);
}

#define EXITED(code) ((code) << 8)
#define KILLED(sig) (sig)

TEST(start_spawns_and_runs)
{
	struct service s;

	start(&s);
	CHECK_INT(s.state, SVC_RUNNING);
	CHECK_INT(s.pid, 101);
	CHECK_INT(fake.spawns, 1);
}

TEST(crash_restarts_with_doubling_backoff)
{
	struct service s;

	start(&s);
	svc_event(&s, SVC_EV_EXIT, KILLED(SIGSEGV));
	CHECK_INT(s.state, SVC_BACKOFF);
	CHECK_INT(fake.last_timer_ms, SVC_BACKOFF_MIN_MS);
	svc_event(&s, SVC_EV_TIMER, 0);
	CHECK_INT(s.state, SVC_RUNNING);
	CHECK_INT(s.restarts, 1);
	svc_event(&s, SVC_EV_EXIT, EXITED(1));
	CHECK_INT(fake.last_timer_ms, SVC_BACKOFF_MIN_MS * 2);
}

TEST(crash_loop_reaches_cap_and_keeps_trying)
{
	struct service s;

	start(&s);
	for (int i = 0; i < 20; i++) {
		svc_event(&s, SVC_EV_EXIT, EXITED(1));
		svc_event(&s, SVC_EV_TIMER, 0);
	}
	CHECK_INT(s.state, SVC_RUNNING);
	CHECK_INT(fake.last_timer_ms, SVC_BACKOFF_MAX_MS);
	CHECK_INT(s.restarts, 20);
	CHECK(backoff_at_cap(&s.backoff));
}

TEST(stable_run_resets_backoff)
{
	struct service s;

	start(&s);
	for (int i = 0; i < 5; i++) {
		svc_event(&s, SVC_EV_EXIT, EXITED(1));
		svc_event(&s, SVC_EV_TIMER, 0);
	}
	fake.now += SVC_STABLE_MS;
	svc_event(&s, SVC_EV_EXIT, EXITED(1));
	CHECK_INT(fake.last_timer_ms, SVC_BACKOFF_MIN_MS);
}

TEST(exit_100_is_permanent)
{
	struct service s;

	start(&s);
	svc_event(&s, SVC_EV_EXIT, EXITED(SVC_EXIT_PERMANENT));
	CHECK_INT(s.state, SVC_FAILED);
	CHECK_INT(fake.timers, 0);
	svc_event(&s, SVC_EV_TIMER, 0);
	CHECK_INT(fake.spawns, 1);
}

TEST(spawn_failure_retries_later)
{
	struct service s;

	memset(&fake, 0, sizeof(fake));
	fake.spawn_fails = 1;
	svc_init(&s, "netd", argv, &ops);
	svc_event(&s, SVC_EV_START, 0);
	CHECK_INT(s.state, SVC_BACKOFF);
	CHECK_INT(fake.timers, 1);
	fake.spawn_fails = 0;
	svc_event(&s, SVC_EV_TIMER, 0);
	CHECK_INT(s.state, SVC_RUNNING);
}

TEST(stop_terminates_then_kills_after_timeout)
{
	struct service s;

	start(&s);
	svc_event(&s, SVC_EV_STOP, 0);
	CHECK_INT(s.state, SVC_STOPPING);
	CHECK_INT(fake.last_sig, SIGTERM);
	CHECK_INT(fake.last_timer_ms, s.stop_timeout_ms);
	svc_event(&s, SVC_EV_TIMER, 0);
	CHECK_INT(fake.last_sig, SIGKILL);
	CHECK_INT(s.state, SVC_STOPPING);
	svc_event(&s, SVC_EV_EXIT, KILLED(SIGKILL));
	CHECK_INT(s.state, SVC_STOPPED);
	CHECK_INT(fake.stopped, 1);
	CHECK_INT(fake.spawns, 1);
}

TEST(exit_while_stopping_is_not_restarted)
{
	struct service s;

	start(&s);
	svc_event(&s, SVC_EV_STOP, 0);
	svc_event(&s, SVC_EV_EXIT, EXITED(0));
	CHECK_INT(s.state, SVC_STOPPED);
	svc_event(&s, SVC_EV_TIMER, 0);
	CHECK_INT(fake.spawns, 1);
	CHECK_INT(fake.cancels, 1);
}

TEST(stop_during_backoff_cancels_restart)
{
	struct service s;

	start(&s);
	svc_event(&s, SVC_EV_EXIT, EXITED(1));
	svc_event(&s, SVC_EV_STOP, 0);
	CHECK_INT(s.state, SVC_STOPPED);
	CHECK_INT(fake.cancels, 1);
	CHECK_INT(fake.stopped, 1);
	svc_event(&s, SVC_EV_TIMER, 0);
	CHECK_INT(fake.spawns, 1);
}

TEST(stop_of_stopped_service_reports_at_once)
{
	struct service s;

	memset(&fake, 0, sizeof(fake));
	svc_init(&s, "netd", argv, &ops);
	svc_event(&s, SVC_EV_STOP, 0);
	CHECK_INT(fake.stopped, 1);
	CHECK_INT(fake.kills, 0);
}

TEST(state_names_cover_every_state)
{
	for (int st = 0; st < SVC_STATE_COUNT; st++)
		CHECK(strcmp(svc_state_name((enum svc_state)st), "?") != 0);
}
