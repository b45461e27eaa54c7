#include "svc.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "log.h"

typedef enum svc_state (*svc_action)(struct svc *s);

static enum svc_state stay(struct svc *s)
{
	return s->state;
}

static enum svc_state backoff(struct svc *s)
{
	uint32_t delay;

	if (s->last_ran_ms >= SVC_STABLE_MS)
		backoff_reset(&s->backoff);
	delay = backoff_fail(&s->backoff);
	s->crash_loop = backoff_at_cap(&s->backoff);
	log_notice("%s: starting again in %u ms%s", s->proc.name, delay,
		   s->crash_loop ? " (crash loop: retrying at the cap)" : "");
	loop_timer_set(&s->timer, delay);
	return SVC_BACKOFF;
}

static enum svc_state spawn(struct svc *s)
{
	const char *argv[SVC_ARGV_MAX];

	loop_timer_cancel(&s->timer);
	if (s->ops->argv(s, argv) < 0)
		return SVC_STOPPED;
	if (proc_spawn(&s->proc, argv) < 0) {
		s->last_ran_ms = 0;
		return backoff(s);
	}
	log_info("%s started (pid %d)", s->proc.name, (int)s->proc.pid);
	return SVC_RUNNING;
}

static enum svc_state crashed(struct svc *s)
{
	s->restarts++;
	log_err("%s exited unexpectedly after %llu ms", s->proc.name, (unsigned long long)s->last_ran_ms);
	return backoff(s);
}

static enum svc_state terminate(struct svc *s, enum svc_state next)
{
	proc_kill(&s->proc, SIGTERM);
	loop_timer_set(&s->timer, SVC_TERM_MS);
	return next;
}

static enum svc_state stop(struct svc *s)
{
	return terminate(s, SVC_STOPPING);
}

static enum svc_state restart(struct svc *s)
{
	return terminate(s, SVC_RESTARTING);
}

static enum svc_state cancel(struct svc *s)
{
	loop_timer_cancel(&s->timer);
	return SVC_STOPPED;
}

static enum svc_state to_restarting(struct svc *s)
{
	(void)s;
	return SVC_RESTARTING;
}

static enum svc_state to_stopping(struct svc *s)
{
	(void)s;
	return SVC_STOPPING;
}

static enum svc_state force_kill(struct svc *s)
{
	log_warn("%s (pid %d) did not stop: killing it", s->proc.name, (int)s->proc.pid);
	proc_kill(&s->proc, SIGKILL);
	return s->state;
}

static const svc_action table[SVC_STATES][SVC_EVENTS] = {
	/*                  START          STOP         RESTART        EXIT     TIMER */
	[SVC_STOPPED]    = { spawn,         stay,        spawn,         stay,    stay },
	[SVC_RUNNING]    = { stay,          stop,        restart,       crashed, stay },
	[SVC_BACKOFF]    = { stay,          cancel,      spawn,         stay,    spawn },
	[SVC_STOPPING]   = { to_restarting, stay,        to_restarting, cancel,  force_kill },
	[SVC_RESTARTING] = { stay,          to_stopping, stay,          spawn,   force_kill },
};

const char *svc_state_name(enum svc_state st)
{
	static const char *const names[SVC_STATES] = {
		"stopped", "running", "backoff", "stopping", "restarting",
	};
	return names[st];
}

void svc_event(struct svc *s, enum svc_event ev)
{
	enum svc_state before = s->state;

	s->state = table[before][ev](s);
	if (s->state != before || ev == SVE_EXIT)
		s->ops->changed(s, ev == SVE_EXIT);
}

static void exited(struct proc *p, int wstatus)
{
	struct svc *s = container_of(p, struct svc, proc);

	s->last_status = wstatus;
	s->last_ran_ms = loop_now_ms() - p->started_ms;
	svc_event(s, SVE_EXIT);
}

static void timer_fired(struct loop_timer *t)
{
	svc_event(container_of(t, struct svc, timer), SVE_TIMER);
}

void svc_init(struct svc *s, const char *name, const struct svc_ops *ops)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->proc.name = name;
	s->proc.exited = exited;
	s->timer.lfd.fd = -1;
	s->timer.cb = timer_fired;
	backoff_init(&s->backoff, SVC_BACKOFF_MIN_MS, SVC_BACKOFF_MAX_MS);
}

int svc_adopt(struct svc *s, const char *exe, const char *arg)
{
	if (s->state != SVC_STOPPED || proc_adopt(&s->proc, exe, arg) < 0)
		return -1;
	s->state = SVC_RUNNING;
	return 0;
}

int svc_signal(struct svc *s, int sig)
{
	return s->state == SVC_RUNNING ? proc_kill(&s->proc, sig) : -1;
}
