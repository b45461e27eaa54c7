/* One supervised process, written as a state table [state][event] ->
 * action, s6 style: a process that is wanted is started, restarted after a
 * crash with exponential back-off (reset after a stable run), asked to stop
 * and killed if it does not, restarted on request. Everything that touches
 * the outside (the process, its signals, the timer, the clock) goes through
 * ops, so that init (fork, its loop), netd (proc.h, pid files, adoption)
 * and the unit tests drive the same table; the numbers (back-off, how long
 * a run must last to count as stable, how long a stop may take) are the
 * user's, in params.
 *
 * States a user does not need are never entered: without ready_ms a
 * spawned process is running at once (no STARTING), without SUP_HUNG
 * nothing is KILLING, without permanent_exit nothing FAILED. */
#ifndef WB_SUPERVISOR_H
#define WB_SUPERVISOR_H

#include <stdint.h>
#include <sys/types.h>

#include "backoff.h"

enum sup_state {
	SUP_STOPPED,	/* not running, not wanted (or cannot start now) */
	SUP_STARTING,	/* spawned; waiting for SUP_READY, at most ready_ms */
	SUP_RUNNING,
	SUP_BACKOFF,	/* died; the timer starts it again */
	SUP_STOPPING,	/* asked to stop; stopped once it exits */
	SUP_RESTARTING,	/* asked to stop; started again at once when it exits */
	SUP_KILLING,	/* hung: asked to stop; backs off when it exits, as after a crash */
	SUP_FAILED,	/* exited with permanent_exit: left alone until started */
};
#define SUP_STATES (SUP_FAILED + 1)

enum sup_event {
	SUP_START,
	SUP_STOP,
	SUP_RESTART,
	SUP_READY,	/* it said it is ready (STARTING -> RUNNING) */
	SUP_EXIT,	/* it exited: sup_exited() feeds this with the wait status */
	SUP_TIMER,
	SUP_HUNG,	/* it stopped answering: stopped, then backs off */
};
#define SUP_EVENTS (SUP_HUNG + 1)

struct sup_params {
	uint32_t backoff_min_ms, backoff_max_ms;
	uint32_t stable_ms;	/* a run this long (since RUNNING) resets the back-off */
	uint32_t stop_ms;	/* asked to stop, to SIGKILL */
	uint32_t ready_ms;	/* spawn to SUP_READY; 0: running once spawned */
	int permanent_exit;	/* this exit status means "do not restart"; 0: none */
};

struct supervisor;

struct sup_ops {
	/* Starts the process: its pid; 0 when it cannot start now (it stays
	 * stopped); -1 when starting failed (back-off). A process that is
	 * already there (adopted) is simply returned. */
	pid_t (*spawn)(struct supervisor *s);
	/* Asks it to stop (SIGTERM, or the daemon's own gentler way), or
	 * kills it (SIGKILL). */
	void (*kill)(struct supervisor *s, int sig);
	void (*timer_set)(struct supervisor *s, uint32_t ms);
	void (*timer_cancel)(struct supervisor *s);
	uint64_t (*now_ms)(void);
	/* After every event, with the state before it: the user reacts to
	 * what it cares about (a state change, an exit, a stop that is done).
	 * Called for nested events too, innermost first. May be NULL. */
	void (*changed)(struct supervisor *s, enum sup_state before, enum sup_event ev);
};

struct supervisor {
	const char *name;
	const struct sup_params *params;
	const struct sup_ops *ops;
	enum sup_state state;
	pid_t pid;			/* 0 when none */
	struct backoff backoff;
	unsigned restarts;		/* crashes: exits nobody asked for */
	int crash_loop;			/* the back-off is at its cap */
	int last_status;		/* wait status of the last exit */
	uint64_t started_ms;		/* spawned (or adopted) */
	int up;				/* this run reached RUNNING, at running_ms */
	uint64_t running_ms;
	uint64_t ran_ms;		/* how long the last run lasted */
};

void sup_init(struct supervisor *s, const char *name, const struct sup_params *params,
	      const struct sup_ops *ops);
void sup_event(struct supervisor *s, enum sup_event ev);
/* The process exited with wstatus: SUP_EXIT. */
void sup_exited(struct supervisor *s, int wstatus);
/* A process started by someone else (an earlier netd) is taken over as
 * running; -1 unless the supervisor was stopped. */
int sup_adopt(struct supervisor *s, pid_t pid);
const char *sup_state_name(enum sup_state st);
const char *sup_event_name(enum sup_event ev);
/* "exited with status 1", "was killed by signal 9 (Killed)". */
void sup_describe_exit(int wstatus, char *buf, size_t size);

#endif
