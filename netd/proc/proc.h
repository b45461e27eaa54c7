/* Child processes: the seam between netd and fork/exec/kill. The real
 * side is proc.c; unit tests link proc-fake.c instead.
 *
 * Each child has a pid file in the run directory so that a netd started
 * again by init (after a crash or a kill) can adopt what is still running
 * instead of breaking the Wi-Fi link and the host's lease. */
#ifndef NETD_PROC_H
#define NETD_PROC_H

#include <stdint.h>
#include <sys/types.h>

#include "loop.h"

#define PROC_ADOPTED_STATUS (-1)	/* the exit status of an adopted child is init's */

struct proc;
typedef void (*proc_exit_cb)(struct proc *p, int wstatus);

struct proc {
	const char *name;	/* for messages and the pid file */
	int nice;		/* the scheduling priority it starts with (0: netd's) */
	pid_t pid;		/* 0 when not running */
	int adopted;
	uint64_t started_ms;
	proc_exit_cb exited;
	struct loop_child child;
	struct loop_fd pidfd;	/* adopted children: readable when they exit */
};

/* 0, or -errno with the reason logged. */
int proc_spawn(struct proc *p, const char *const argv[]);
/* Same, with the child's stdout and stderr on a pipe: *out is its read
 * end (non-blocking, close-on-exec), or -1 if there is none. */
int proc_spawn_output(struct proc *p, const char *const argv[], int *out);
int proc_kill(struct proc *p, int sig);
/* Takes over a running process from an earlier netd: the pid file names
 * it, its program's name is exe and its command line holds arg (if not
 * NULL). 0 when adopted, -1 otherwise (a stale pid file is removed). */
int proc_adopt(struct proc *p, const char *exe, const char *arg);
/* How long it has run, for "stable" decisions. */
uint64_t proc_uptime_ms(const struct proc *p);

#endif
