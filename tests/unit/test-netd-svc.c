/* The helpers' supervisor (udhcpd, udhcpc): its state table, back-off and
 * restart on request, against the fake process seam. */
#include "check.h"

#include <signal.h>
#include <sys/wait.h>

#include "fakes.h"
#include "svc.h"

static int can_start = 1, changes, exits;

static int argv_of(struct svc *s, const char **argv)
{
	(void)s;
	if (!can_start)
		return -1;
	argv[0] = "/usr/sbin/udhcpd";
	argv[1] = "-f";
	argv[2] = NULL;
	return 0;
}

static void changed(struct svc *s, int exited)
{
	(void)s;
	changes++;
	exits += exited;
}

static const struct svc_ops ops = { argv_of, changed };

static void setup(struct svc *s)
{
	loop_init();
	fake_proc_reset();
	can_start = 1;
	changes = exits = 0;
	svc_init(s, "udhcpd", &ops);
}

TEST(svc_starts_and_stops)
{
	struct svc s;

	setup(&s);
	svc_event(&s, SUP_START);
	CHECK_INT(s.sup.state, SUP_RUNNING);
	CHECK_CONTAINS(fake_proc_log, "spawn udhcpd: /usr/sbin/udhcpd -f\n");
	svc_event(&s, SUP_STOP);
	CHECK_INT(s.sup.state, SUP_STOPPING);
	CHECK_CONTAINS(fake_proc_log, "kill udhcpd 15\n");
	fake_proc_exit(&s.proc, 0);
	CHECK_INT(s.sup.state, SUP_STOPPED);
	CHECK_INT(s.sup.restarts, 0);
	CHECK_INT(exits, 1);
	loop_timer_free(&s.timer);
}

TEST(svc_crash_backs_off_doubling_to_the_cap)
{
	struct svc s;
	uint32_t expect = SVC_BACKOFF_MIN_MS;

	setup(&s);
	svc_event(&s, SUP_START);
	for (int k = 0; k < 8; k++) {
		fake_proc_exit(&s.proc, W_EXITCODE(1, 0));
		CHECK_INT(s.sup.state, SUP_BACKOFF);
		CHECK_INT(s.sup.backoff.failures, k + 1);
		CHECK(s.timer.pending);
		/* the delay just used is the one before next_ms doubled */
		CHECK_INT(s.sup.backoff.next_ms, expect * 2 > SVC_BACKOFF_MAX_MS ? SVC_BACKOFF_MAX_MS : expect * 2);
		expect = s.sup.backoff.next_ms;
		svc_event(&s, SUP_TIMER);
		CHECK_INT(s.sup.state, SUP_RUNNING);
	}
	CHECK_INT(s.sup.restarts, 8);
	CHECK_INT(s.sup.crash_loop, 1);
	loop_timer_free(&s.timer);
}

TEST(svc_stable_run_resets_the_backoff)
{
	struct svc s;

	setup(&s);
	svc_event(&s, SUP_START);
	fake_proc_exit(&s.proc, W_EXITCODE(1, 0));
	svc_event(&s, SUP_TIMER);
	fake_proc_exit(&s.proc, W_EXITCODE(1, 0));
	CHECK_INT(s.sup.backoff.failures, 2);
	svc_event(&s, SUP_TIMER);
	s.sup.running_ms -= SVC_STABLE_MS + 1;	/* it ran long enough */
	fake_proc_exit(&s.proc, W_EXITCODE(1, 0));
	CHECK_INT(s.sup.backoff.failures, 1);
	CHECK_INT(s.sup.crash_loop, 0);
	loop_timer_free(&s.timer);
}

TEST(svc_restart_on_request_waits_for_the_exit)
{
	struct svc s;

	setup(&s);
	svc_event(&s, SUP_START);
	svc_event(&s, SUP_RESTART);
	CHECK_INT(s.sup.state, SUP_RESTARTING);
	CHECK_INT(count_lines(fake_proc_log, "spawn"), 1);
	fake_proc_exit(&s.proc, W_EXITCODE(0, SIGTERM));
	CHECK_INT(s.sup.state, SUP_RUNNING);
	CHECK_INT(count_lines(fake_proc_log, "spawn"), 2);
	CHECK_INT(s.sup.restarts, 0);	/* asked for: not a crash */
	loop_timer_free(&s.timer);
}

TEST(svc_stop_during_restart_and_start_during_stop)
{
	struct svc s;

	setup(&s);
	svc_event(&s, SUP_START);
	svc_event(&s, SUP_RESTART);
	svc_event(&s, SUP_STOP);
	CHECK_INT(s.sup.state, SUP_STOPPING);
	svc_event(&s, SUP_START);
	CHECK_INT(s.sup.state, SUP_RESTARTING);
	fake_proc_exit(&s.proc, 0);
	CHECK_INT(s.sup.state, SUP_RUNNING);
	loop_timer_free(&s.timer);
}

TEST(svc_killed_when_it_will_not_stop)
{
	struct svc s;

	setup(&s);
	svc_event(&s, SUP_START);
	svc_event(&s, SUP_STOP);
	svc_event(&s, SUP_TIMER);
	CHECK_CONTAINS(fake_proc_log, "kill udhcpd 9\n");
	CHECK_INT(s.sup.state, SUP_STOPPING);
	fake_proc_exit(&s.proc, W_EXITCODE(0, SIGKILL));
	CHECK_INT(s.sup.state, SUP_STOPPED);
	loop_timer_free(&s.timer);
}

TEST(svc_spawn_failure_backs_off_and_cannot_start_stays_stopped)
{
	struct svc s;

	setup(&s);
	fake_proc_spawn_fail = 1;
	svc_event(&s, SUP_START);
	CHECK_INT(s.sup.state, SUP_BACKOFF);
	svc_event(&s, SUP_STOP);
	CHECK_INT(s.sup.state, SUP_STOPPED);
	CHECK(!s.timer.pending);
	can_start = 0;
	svc_event(&s, SUP_START);
	CHECK_INT(s.sup.state, SUP_STOPPED);
	loop_timer_free(&s.timer);
}

TEST(svc_adopts_a_running_helper)
{
	struct svc s;

	setup(&s);
	fake_proc_adopt_ok = 1;
	CHECK_INT(svc_adopt(&s, "udhcpd", "/run/netd/udhcpd.conf"), 0);
	CHECK_INT(s.sup.state, SUP_RUNNING);
	CHECK_CONTAINS(fake_proc_log, "adopt udhcpd /run/netd/udhcpd.conf\n");
	CHECK_INT(count_lines(fake_proc_log, "spawn"), 0);
	fake_proc_exit(&s.proc, PROC_ADOPTED_STATUS);
	CHECK_INT(s.sup.state, SUP_BACKOFF);
	loop_timer_free(&s.timer);
}
