/* A supervised helper (udhcpd, udhcpc): kept running while wanted,
 * restarted with back-off when it dies, restarted on request when its
 * config changed. The state table is lib/supervisor.h's, with netd's
 * numbers; the processes are proc.h's (pid files, adoption after a netd
 * restart), the timer the loop's. */
#ifndef NETD_SVC_H
#define NETD_SVC_H

#include <stdint.h>

#include "loop.h"
#include "proc.h"
#include "supervisor.h"

#define SVC_BACKOFF_MIN_MS 100
#define SVC_BACKOFF_MAX_MS 5000
#define SVC_STABLE_MS 30000
#define SVC_TERM_MS 1000
#define SVC_ARGV_MAX 24

struct svc;

struct svc_ops {
	/* Fills argv (NULL-terminated, strings owned by the caller); -1 when
	 * it cannot start now. */
	int (*argv)(struct svc *s, const char **argv);
	/* After every state change, and after every exit (exited = 1; the
	 * status and run time are in sup.last_status and sup.ran_ms). */
	void (*changed)(struct svc *s, int exited);
};

struct svc {
	struct supervisor sup;	/* state, restarts, crash_loop, back-off */
	const struct svc_ops *ops;
	struct proc proc;
	struct loop_timer timer;
};

void svc_init(struct svc *s, const char *name, const struct svc_ops *ops);
/* SUP_START, SUP_STOP, SUP_RESTART (and the timer's and the exit's). */
void svc_event(struct svc *s, enum sup_event ev);
/* Takes over a process an earlier netd left running: RUNNING if so. */
int svc_adopt(struct svc *s, const char *exe, const char *arg);
int svc_signal(struct svc *s, int sig);

#endif
