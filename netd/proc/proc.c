#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "paths.h"

extern char **environ;

static void pid_file(const struct proc *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s.pid", paths.run_dir, p->name);
}

static void write_pid_file(const struct proc *p)
{
	char path[256], text[24];
	int n = snprintf(text, sizeof(text), "%d\n", (int)p->pid);
	int rc;

	pid_file(p, path, sizeof(path));
	rc = write_file_atomic(path, text, (size_t)n, 0644);
	if (rc < 0)
		log_warn("writing %s: %s (a restarted netd will not adopt %s)", path,
			 strerror(-rc), p->name);
}

static void remove_pid_file(const struct proc *p)
{
	char path[256];

	pid_file(p, path, sizeof(path));
	unlink(path);
}

static void finish(struct proc *p, int wstatus)
{
	p->pid = 0;
	remove_pid_file(p);
	p->exited(p, wstatus);
}

static void child_exited(struct loop_child *c, int wstatus)
{
	finish(container_of(c, struct proc, child), wstatus);
}

static void adopted_exited(struct loop_fd *lfd, uint32_t events)
{
	struct proc *p = container_of(lfd, struct proc, pidfd);

	(void)events;
	loop_fd_del(lfd);
	close(lfd->fd);
	lfd->fd = -1;
	p->adopted = 0;
	finish(p, PROC_ADOPTED_STATUS);
}

/* The child gets an empty signal mask (netd blocks the signals it reads
 * through signalfd), default dispositions and /dev/null as stdin. */
static int spawn_attrs(posix_spawnattr_t *a, posix_spawn_file_actions_t *fa)
{
	sigset_t none, all;

	sigemptyset(&none);
	sigfillset(&all);
	if (posix_spawnattr_init(a) || posix_spawn_file_actions_init(fa))
		return -1;
	posix_spawnattr_setsigmask(a, &none);
	posix_spawnattr_setsigdefault(a, &all);
	posix_spawnattr_setflags(a, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0);
	return 0;
}

static int spawn(struct proc *p, const char *const argv[], int out_fd)
{
	posix_spawnattr_t a;
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc;

	if (spawn_attrs(&a, &fa) < 0) {
		log_err("starting %s: out of memory", p->name);
		return -ENOMEM;
	}
	if (out_fd >= 0) {
		posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
		posix_spawn_file_actions_adddup2(&fa, out_fd, 2);
	} else {
		/* netd's stderr is the console; the daemons log to syslog (-S,
		 * -s) and their stdio would put every "sending OFFER" there */
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	}
	rc = posix_spawn(&pid, argv[0], &fa, &a, (char *const *)(uintptr_t)argv, environ);
	posix_spawnattr_destroy(&a);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		log_err("starting %s (%s): %s", p->name, argv[0], strerror(rc));
		return -rc;
	}
	/* posix_spawn returns once the child has exec'd: its start-up, the
	 * costly part, runs at the new priority */
	if (p->nice && setpriority(PRIO_PROCESS, (id_t)pid, p->nice) < 0)
		log_warn("%s (pid %d) runs at netd's priority, not %d: %s", p->name, (int)pid, p->nice,
			 strerror(errno));
	p->pid = pid;
	p->adopted = 0;
	p->started_ms = loop_now_ms();
	p->child.pid = pid;
	p->child.cb = child_exited;
	loop_child_add(&p->child);
	write_pid_file(p);
	return 0;
}

int proc_spawn(struct proc *p, const char *const argv[])
{
	return spawn(p, argv, -1);
}

int proc_spawn_output(struct proc *p, const char *const argv[], int *out)
{
	int fds[2], rc;

	*out = -1;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		log_err("starting %s: a pipe for its output: %s", p->name, strerror(errno));
		return -errno;
	}
	rc = spawn(p, argv, fds[1]);
	close(fds[1]);
	if (rc < 0) {
		close(fds[0]);
		return rc;
	}
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	*out = fds[0];
	return 0;
}

int proc_kill(struct proc *p, int sig)
{
	int rc;

	if (!p->pid)
		return -ESRCH;
	if (p->adopted)
		rc = (int)syscall(SYS_pidfd_send_signal, p->pidfd.fd, sig, NULL, 0);
	else
		rc = kill(p->pid, sig);
	return rc < 0 ? -errno : 0;
}

uint64_t proc_uptime_ms(const struct proc *p)
{
	return p->pid ? loop_now_ms() - p->started_ms : 0;
}

enum match { MATCH_NONE, MATCH_EXE, MATCH_ALL };

/* argv[0]'s last component is exe, and arg is one of the arguments. */
static enum match cmdline_matches(pid_t pid, const char *exe, const char *arg)
{
	char path[64], buf[2048], *s, *base;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	n = read_small_file(path, buf, sizeof(buf));
	if (n <= 0)
		return MATCH_NONE;
	base = strrchr(buf, '/');
	base = base ? base + 1 : buf;
	if (strcmp(base, exe))
		return MATCH_NONE;
	if (!arg)
		return MATCH_ALL;
	for (s = buf + strlen(buf) + 1; s < buf + n; s += strlen(s) + 1)
		if (!strcmp(s, arg))
			return MATCH_ALL;
	return MATCH_EXE;
}

static pid_t read_pid_file(const struct proc *p)
{
	char path[256], text[24];
	long pid;

	pid_file(p, path, sizeof(path));
	if (read_small_file(path, text, sizeof(text)) <= 0)
		return 0;
	pid = strtol(text, NULL, 10);
	return pid > 1 && pid < 1 << 22 ? (pid_t)pid : 0;
}

int proc_adopt(struct proc *p, const char *exe, const char *arg)
{
	pid_t pid = read_pid_file(p);
	enum match m = MATCH_NONE;
	int fd;

	if (!pid)
		return -1;
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	/* checked after pidfd_open, so the pid cannot be reused in between */
	if (fd >= 0)
		m = cmdline_matches(pid, exe, arg);
	if (m == MATCH_EXE) {
		/* ours, but for another interface or config: it must go */
		log_notice("stopping %s (pid %d) left by an earlier netd for something else",
			   p->name, (int)pid);
		syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0);
	}
	if (m != MATCH_ALL) {
		if (fd >= 0)
			close(fd);
		remove_pid_file(p);
		return -1;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	p->pid = pid;
	p->adopted = 1;
	p->started_ms = loop_now_ms();
	p->pidfd.fd = fd;
	p->pidfd.cb = adopted_exited;
	if (loop_fd_add(&p->pidfd, EPOLLIN) < 0) {
		log_err("watching adopted %s (pid %d): %s", p->name, (int)pid, strerror(errno));
		close(fd);
		p->pid = 0;
		p->adopted = 0;
		return -1;
	}
	log_notice("adopted %s (pid %d) left running by an earlier netd", p->name, (int)pid);
	return 0;
}
