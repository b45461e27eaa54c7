/* The supervisor: each service is a state machine driven by a table of
 * [state][event] -> action. A service that dies is restarted with
 * exponential back-off, reset after a stable run; exit status 100 means
 * "permanent failure, do not restart" (s6's convention). Process creation,
 * signals and timers go through svc_ops, so that tests can drive it. */
#ifndef INIT_SUPERVISOR_H
#define INIT_SUPERVISOR_H

#include "backoff.h"

#include <stdint.h>
#include <sys/types.h>

#define SVC_EXIT_PERMANENT 100
#define SVC_STABLE_MS 10000	/* a run this long resets the back-off */
#define SVC_BACKOFF_MIN_MS 100
#define SVC_BACKOFF_MAX_MS 30000

enum svc_state {
	SVC_STOPPED,	/* not running, not wanted */
	SVC_RUNNING,
	SVC_BACKOFF,	/* died; waiting to be restarted */
	SVC_STOPPING,	/* asked to stop; waiting for it to exit */
	SVC_FAILED,	/* exited with SVC_EXIT_PERMANENT: left alone */
	SVC_STATE_COUNT
};

enum svc_event {
	SVC_EV_START,
	SVC_EV_EXIT,
	SVC_EV_TIMER,
	SVC_EV_STOP,
	SVC_EVENT_COUNT
};

struct service;

struct svc_ops {
	/* Starts the process; returns its pid, or -1 (errno set). */
	pid_t (*spawn)(struct service *s);
	int (*kill)(pid_t pid, int sig);
	void (*timer_set)(struct service *s, uint32_t ms);
	void (*timer_cancel)(struct service *s);
	uint64_t (*now_ms)(void);
	/* Called when the service reaches SVC_STOPPED or SVC_FAILED after a stop. */
	void (*stopped)(struct service *s);
};

struct service {
	const char *name;
	const char *const *argv;
	const struct svc_ops *ops;
	void *owner;		/* the embedding object, for the ops */
	enum svc_state state;
	pid_t pid;
	int last_status;	/* wait status of the last exit */
	unsigned restarts;
	uint64_t started_ms;
	uint32_t stop_timeout_ms;	/* SIGTERM, then SIGKILL after this */
	struct backoff backoff;
};

void svc_init(struct service *s, const char *name, const char *const *argv,
	      const struct svc_ops *ops);
/* Feeds an event; for SVC_EV_EXIT, wstatus is the wait status. */
void svc_event(struct service *s, enum svc_event ev, int wstatus);
const char *svc_state_name(enum svc_state st);

#endif
