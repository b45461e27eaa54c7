#include "svc.h"

#include <signal.h>
#include <string.h>

#include "log.h"

static const struct sup_params helper_params = {
	.backoff_min_ms = SVC_BACKOFF_MIN_MS,
	.backoff_max_ms = SVC_BACKOFF_MAX_MS,
	.stable_ms = SVC_STABLE_MS,
	.stop_ms = SVC_TERM_MS,
};

static struct svc *of(struct supervisor *sup)
{
	return container_of(sup, struct svc, sup);
}

static pid_t spawn(struct supervisor *sup)
{
	struct svc *s = of(sup);
	const char *argv[SVC_ARGV_MAX];

	if (s->ops->argv(s, argv) < 0)
		return 0;
	if (proc_spawn(&s->proc, argv) < 0)
		return -1;
	log_info("%s started (pid %d)", s->proc.name, (int)s->proc.pid);
	return s->proc.pid;
}

static void signal_it(struct supervisor *sup, int sig)
{
	proc_kill(&of(sup)->proc, sig);
}

static void timer_set(struct supervisor *sup, uint32_t ms)
{
	loop_timer_set(&of(sup)->timer, ms);
}

static void timer_cancel(struct supervisor *sup)
{
	loop_timer_cancel(&of(sup)->timer);
}

/* The owner hears of what it can see: a new state, or an exit. */
static void changed(struct supervisor *sup, enum sup_state before, enum sup_event ev)
{
	struct svc *s = of(sup);

	if (sup->state != before || ev == SUP_EXIT)
		s->ops->changed(s, ev == SUP_EXIT);
}

static const struct sup_ops helper_ops = {
	.spawn = spawn,
	.kill = signal_it,
	.timer_set = timer_set,
	.timer_cancel = timer_cancel,
	.now_ms = loop_now_ms,
	.changed = changed,
};

void svc_event(struct svc *s, enum sup_event ev)
{
	sup_event(&s->sup, ev);
}

static void exited(struct proc *p, int wstatus)
{
	sup_exited(&container_of(p, struct svc, proc)->sup, wstatus);
}

static void timer_fired(struct loop_timer *t)
{
	svc_event(container_of(t, struct svc, timer), SUP_TIMER);
}

void svc_init(struct svc *s, const char *name, const struct svc_ops *ops)
{
	memset(s, 0, sizeof(*s));
	sup_init(&s->sup, name, &helper_params, &helper_ops);
	s->ops = ops;
	s->proc.name = name;
	s->proc.exited = exited;
	s->timer.lfd.fd = -1;
	s->timer.cb = timer_fired;
}

int svc_adopt(struct svc *s, const char *exe, const char *arg)
{
	if (s->sup.state != SUP_STOPPED || proc_adopt(&s->proc, exe, arg) < 0)
		return -1;
	return sup_adopt(&s->sup, s->proc.pid);
}

int svc_signal(struct svc *s, int sig)
{
	return s->sup.state == SUP_RUNNING ? proc_kill(&s->proc, sig) : -1;
}
