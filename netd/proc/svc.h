/* A supervised helper (udhcpd, udhcpc): kept running while wanted,
 * restarted with back-off when it dies, restarted on request when its
 * config changed. A state table like the Wi-Fi daemon's, smaller. */
#ifndef NETD_SVC_H
#define NETD_SVC_H

#include <stdint.h>

#include "backoff.h"
#include "loop.h"
#include "proc.h"

#define SVC_BACKOFF_MIN_MS 100
#define SVC_BACKOFF_MAX_MS 5000
#define SVC_STABLE_MS 30000
#define SVC_TERM_MS 1000
#define SVC_ARGV_MAX 24

enum svc_state {
	SVC_STOPPED,
	SVC_RUNNING,
	SVC_BACKOFF,
	SVC_STOPPING,
	SVC_RESTARTING,		/* stopping, to start again at once */
};
#define SVC_STATES (SVC_RESTARTING + 1)

enum svc_event {
	SVE_START,
	SVE_STOP,
	SVE_RESTART,
	SVE_EXIT,
	SVE_TIMER,
};
#define SVC_EVENTS (SVE_TIMER + 1)

struct svc;

struct svc_ops {
	/* Fills argv (NULL-terminated, strings owned by the caller); -1 when
	 * it cannot start now. */
	int (*argv)(struct svc *s, const char **argv);
	/* After every state change, and after every exit (exited = 1; the
	 * status and run time are in last_status and last_ran_ms). */
	void (*changed)(struct svc *s, int exited);
};

struct svc {
	enum svc_state state;
	const struct svc_ops *ops;
	struct proc proc;
	struct backoff backoff;
	struct loop_timer timer;
	unsigned restarts;
	int crash_loop;
	int last_status;	/* wait status, or PROC_ADOPTED_STATUS */
	uint64_t last_ran_ms;
};

void svc_init(struct svc *s, const char *name, const struct svc_ops *ops);
void svc_event(struct svc *s, enum svc_event ev);
/* Takes over a process an earlier netd left running: RUNNING if so. */
int svc_adopt(struct svc *s, const char *exe, const char *arg);
int svc_signal(struct svc *s, int sig);
const char *svc_state_name(enum svc_state st);

#endif
