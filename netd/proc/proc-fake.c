/* The process seam's stand-in: nothing runs; spawns and signals are
 * logged, and the test says when a "child" exits. */
#include "fakes.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

char fake_proc_log[8192];
int fake_proc_spawn_fail;
int fake_proc_adopt_ok;
static pid_t next_pid = 1000;

void fake_proc_reset(void)
{
	fake_proc_log[0] = '\0';
	fake_proc_spawn_fail = 0;
	fake_proc_adopt_ok = 0;
}

int proc_spawn(struct proc *p, const char *const argv[])
{
	char line[1024];
	size_t len;

	len = (size_t)snprintf(line, sizeof(line), "spawn %s:", p->name);
	for (int k = 0; argv[k] && len < sizeof(line); k++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %s", argv[k]);
	fake_log(fake_proc_log, sizeof(fake_proc_log), "%s", line);
	if (fake_proc_spawn_fail) {
		fake_proc_spawn_fail--;
		return -ENOENT;
	}
	p->pid = next_pid++;
	p->adopted = 0;
	p->started_ms = loop_now_ms();
	return 0;
}

int proc_spawn_output(struct proc *p, const char *const argv[], int *out)
{
	*out = -1;
	return proc_spawn(p, argv);
}

int proc_kill(struct proc *p, int sig)
{
	fake_log(fake_proc_log, sizeof(fake_proc_log), "kill %s %d", p->name, sig);
	return p->pid ? 0 : -ESRCH;
}

int proc_adopt(struct proc *p, const char *exe, const char *arg)
{
	fake_log(fake_proc_log, sizeof(fake_proc_log), "adopt %s %s", exe, arg ? arg : "-");
	if (!fake_proc_adopt_ok)
		return -1;
	p->pid = next_pid++;
	p->adopted = 1;
	p->started_ms = loop_now_ms();
	return 0;
}

uint64_t proc_uptime_ms(const struct proc *p)
{
	return p->pid ? loop_now_ms() - p->started_ms : 0;
}

void fake_proc_exit(struct proc *p, int wstatus)
{
	p->pid = 0;
	p->exited(p, wstatus);
}
