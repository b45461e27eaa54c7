#include "supervisor.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

typedef void (*svc_action)(struct service *s, int wstatus);

static void describe_exit(int wstatus, char *buf, size_t len)
{
	if (WIFEXITED(wstatus))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		snprintf(buf, len, "was killed by signal %d (%s)", WTERMSIG(wstatus),
			 strsignal(WTERMSIG(wstatus)));
	else
		snprintf(buf, len, "ended with wait status 0x%x", (unsigned)wstatus);
}

static void schedule_restart(struct service *s)
{
	uint32_t delay = backoff_fail(&s->backoff);

	if (backoff_at_cap(&s->backoff))
		log_warn("%s is in a crash loop: restarting every %u ms", s->name, delay);
	s->state = SVC_BACKOFF;
	s->ops->timer_set(s, delay);
}

static void do_spawn(struct service *s, int wstatus)
{
	(void)wstatus;
	s->pid = s->ops->spawn(s);
	if (s->pid < 0) {
		log_err("cannot start %s (%s): %s", s->name, s->argv[0], strerror(errno));
		s->pid = 0;
		schedule_restart(s);
		return;
	}
	s->started_ms = s->ops->now_ms();
	s->state = SVC_RUNNING;
	log_info("started %s (pid %d)", s->name, (int)s->pid);
}

static void do_restart(struct service *s, int wstatus)
{
	s->restarts++;
	do_spawn(s, wstatus);
}

static void on_died(struct service *s, int wstatus)
{
	char how[96];
	uint64_t ran = s->ops->now_ms() - s->started_ms;

	s->pid = 0;
	s->last_status = wstatus;
	describe_exit(wstatus, how, sizeof(how));
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == SVC_EXIT_PERMANENT) {
		log_err("%s %s: a permanent failure, not restarting it", s->name, how);
		s->state = SVC_FAILED;
		return;
	}
	log_warn("%s %s after %llu ms", s->name, how, (unsigned long long)ran);
	if (ran >= SVC_STABLE_MS)
		backoff_reset(&s->backoff);
	schedule_restart(s);
}

static void do_terminate(struct service *s, int wstatus)
{
	(void)wstatus;
	s->ops->kill(s->pid, SIGTERM);
	s->ops->timer_set(s, s->stop_timeout_ms);
	s->state = SVC_STOPPING;
}

static void do_force_kill(struct service *s, int wstatus)
{
	(void)wstatus;
	log_warn("%s (pid %d) did not stop within %u ms: killing it", s->name,
		 (int)s->pid, s->stop_timeout_ms);
	s->ops->kill(s->pid, SIGKILL);
}

static void do_stopped(struct service *s, int wstatus)
{
	s->pid = 0;
	s->last_status = wstatus;
	s->ops->timer_cancel(s);
	s->state = SVC_STOPPED;
	if (s->ops->stopped)
		s->ops->stopped(s);
}

static void do_cancel_restart(struct service *s, int wstatus)
{
	(void)wstatus;
	s->ops->timer_cancel(s);
	s->state = SVC_STOPPED;
	if (s->ops->stopped)
		s->ops->stopped(s);
}

static void do_report_stopped(struct service *s, int wstatus)
{
	(void)wstatus;
	if (s->ops->stopped)
		s->ops->stopped(s);
}

static void ignore(struct service *s, int wstatus)
{
	(void)s;
	(void)wstatus;
}

static const svc_action table[SVC_STATE_COUNT][SVC_EVENT_COUNT] = {
	/*                  START       EXIT        TIMER          STOP */
	[SVC_STOPPED]  = { do_spawn,   ignore,     ignore,        do_report_stopped },
	[SVC_RUNNING]  = { ignore,     on_died,    ignore,        do_terminate },
	[SVC_BACKOFF]  = { do_restart, ignore,     do_restart,    do_cancel_restart },
	[SVC_STOPPING] = { ignore,     do_stopped, do_force_kill, ignore },
	[SVC_FAILED]   = { do_spawn,   ignore,     ignore,        do_report_stopped },
};

void svc_init(struct service *s, const char *name, const char *const *argv,
	      const struct svc_ops *ops)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->argv = argv;
	s->ops = ops;
	s->state = SVC_STOPPED;
	s->stop_timeout_ms = 2000;
	backoff_init(&s->backoff, SVC_BACKOFF_MIN_MS, SVC_BACKOFF_MAX_MS);
}

void svc_event(struct service *s, enum svc_event ev, int wstatus)
{
	if ((unsigned)s->state >= SVC_STATE_COUNT || (unsigned)ev >= SVC_EVENT_COUNT)
		return;
	table[s->state][ev](s, wstatus);
}

const char *svc_state_name(enum svc_state st)
{
	switch (st) {
	case SVC_STOPPED: return "stopped";
	case SVC_RUNNING: return "running";
	case SVC_BACKOFF: return "restarting";
	case SVC_STOPPING: return "stopping";
	case SVC_FAILED: return "failed";
	case SVC_STATE_COUNT: break;
	}
	return "?";
}
