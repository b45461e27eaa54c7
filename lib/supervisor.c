#include "supervisor.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "log.h"

typedef enum sup_state (*sup_action)(struct supervisor *s);

void sup_describe_exit(int wstatus, char *buf, size_t size)
{
	if (wstatus < 0)
		snprintf(buf, size, "exited (how is not known: it was not our child)");
	else if (WIFEXITED(wstatus))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		snprintf(buf, size, "was killed by signal %d (%s)", WTERMSIG(wstatus),
			 strsignal(WTERMSIG(wstatus)));
	else
		snprintf(buf, size, "ended with wait status 0x%x", (unsigned)wstatus);
}

/* ---- actions ------------------------------------------------------------ */

static enum sup_state stay(struct supervisor *s)
{
	return s->state;
}

static enum sup_state backoff(struct supervisor *s)
{
	uint32_t delay;

	if (s->up && s->ops->now_ms() - s->running_ms >= s->params->stable_ms)
		backoff_reset(&s->backoff);
	s->up = 0;
	delay = backoff_fail(&s->backoff);
	s->crash_loop = backoff_at_cap(&s->backoff);
	log_notice("%s: starting again in %u ms%s", s->name, delay,
		   s->crash_loop ? " (crash loop: retrying at the cap)" : "");
	s->ops->timer_set(s, delay);
	return SUP_BACKOFF;
}

static enum sup_state spawn(struct supervisor *s)
{
	pid_t pid = s->ops->spawn(s);
	uint64_t now = s->ops->now_ms();

	if (pid == 0)
		return SUP_STOPPED;	/* it cannot run now; whoever wants it says when */
	if (pid < 0) {
		s->pid = 0;
		s->up = 0;
		return backoff(s);
	}
	s->pid = pid;
	s->started_ms = now;
	s->up = !s->params->ready_ms;
	s->running_ms = now;
	if (s->up)
		return SUP_RUNNING;
	s->ops->timer_set(s, s->params->ready_ms);
	return SUP_STARTING;
}

/* From a state whose timer may be pending (back-off, the stop's). */
static enum sup_state respawn(struct supervisor *s)
{
	s->ops->timer_cancel(s);
	return spawn(s);
}

static enum sup_state running(struct supervisor *s)
{
	s->ops->timer_cancel(s);
	s->up = 1;
	s->running_ms = s->ops->now_ms();
	return SUP_RUNNING;
}

static enum sup_state crashed(struct supervisor *s)
{
	int permanent = s->params->permanent_exit;
	char how[96];

	sup_describe_exit(s->last_status, how, sizeof(how));
	if (permanent && s->last_status >= 0 && WIFEXITED(s->last_status) &&
	    WEXITSTATUS(s->last_status) == permanent) {
		log_err("%s %s: a permanent failure, not restarting it", s->name, how);
		s->ops->timer_cancel(s);
		return SUP_FAILED;
	}
	s->restarts++;
	log_err("%s %s after %llu ms", s->name, how, (unsigned long long)s->ran_ms);
	return backoff(s);
}

static enum sup_state terminate(struct supervisor *s, enum sup_state next)
{
	s->ops->kill(s, SIGTERM);
	s->ops->timer_set(s, s->params->stop_ms);
	return next;
}

static enum sup_state stop(struct supervisor *s)
{
	return terminate(s, SUP_STOPPING);
}

static enum sup_state restart(struct supervisor *s)
{
	return terminate(s, SUP_RESTARTING);
}

static enum sup_state hung(struct supervisor *s)
{
	log_err("%s (pid %d) does not answer: stopping it, to start it again", s->name, (int)s->pid);
	return terminate(s, SUP_KILLING);
}

static enum sup_state force_kill(struct supervisor *s)
{
	log_warn("%s (pid %d) did not stop within %u ms: killing it", s->name, (int)s->pid,
		 s->params->stop_ms);
	s->ops->kill(s, SIGKILL);
	return s->state;
}

static enum sup_state stopped(struct supervisor *s)
{
	s->ops->timer_cancel(s);
	return SUP_STOPPED;
}

static enum sup_state to_restarting(struct supervisor *s)
{
	(void)s;
	return SUP_RESTARTING;
}

static enum sup_state to_stopping(struct supervisor *s)
{
	(void)s;
	return SUP_STOPPING;
}

static const sup_action table[SUP_STATES][SUP_EVENTS] = {
	/*                  START          STOP         RESTART        READY    EXIT     TIMER       HUNG */
	[SUP_STOPPED]    = { spawn,         stay,        spawn,         stay,    stay,    stay,       stay },
	[SUP_STARTING]   = { stay,          stop,        restart,       running, crashed, hung,       hung },
	[SUP_RUNNING]    = { stay,          stop,        restart,       stay,    crashed, stay,       hung },
	[SUP_BACKOFF]    = { stay,          stopped,     respawn,       stay,    stay,    spawn,      stay },
	[SUP_STOPPING]   = { to_restarting, stay,        to_restarting, stay,    stopped, force_kill, stay },
	[SUP_RESTARTING] = { stay,          to_stopping, stay,          stay,    respawn, force_kill, stay },
	[SUP_KILLING]    = { stay,          to_stopping, stay,          stay,    backoff, force_kill, stay },
	[SUP_FAILED]     = { spawn,         stay,        spawn,         stay,    stay,    stay,       stay },
};

/* ---- driving it ---------------------------------------------------------- */

const char *sup_state_name(enum sup_state st)
{
	static const char *const names[SUP_STATES] = {
		"stopped", "starting", "running", "backoff", "stopping", "restarting", "killing", "failed",
	};
	return (unsigned)st < SUP_STATES ? names[st] : "?";
}

const char *sup_event_name(enum sup_event ev)
{
	static const char *const names[SUP_EVENTS] = {
		"start", "stop", "restart", "ready", "exit", "timer", "hung",
	};
	return (unsigned)ev < SUP_EVENTS ? names[ev] : "?";
}

void sup_event(struct supervisor *s, enum sup_event ev)
{
	enum sup_state before = s->state;

	if ((unsigned)before >= SUP_STATES || (unsigned)ev >= SUP_EVENTS)
		return;
	s->state = table[before][ev](s);
	log_debug("%s: %s + %s -> %s", s->name, sup_state_name(before), sup_event_name(ev),
		  sup_state_name(s->state));
	if (s->ops->changed)
		s->ops->changed(s, before, ev);
}

void sup_exited(struct supervisor *s, int wstatus)
{
	s->last_status = wstatus;
	s->pid = 0;
	s->ran_ms = s->ops->now_ms() - s->started_ms;
	sup_event(s, SUP_EXIT);
}

int sup_adopt(struct supervisor *s, pid_t pid)
{
	if (s->state != SUP_STOPPED || pid <= 0)
		return -1;
	s->pid = pid;
	s->started_ms = s->running_ms = s->ops->now_ms();
	s->up = 1;
	s->state = SUP_RUNNING;
	return 0;
}

void sup_init(struct supervisor *s, const char *name, const struct sup_params *params,
	      const struct sup_ops *ops)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->params = params;
	s->ops = ops;
	s->state = SUP_STOPPED;
	backoff_init(&s->backoff, params->backoff_min_ms, params->backoff_max_ms);
}
