#include "shutdown.h"
#include "console.h"
#include "log.h"
#include "loop.h"
#include "mounts.h"
#include "pcidetach.h"
#include "services.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum phase { PHASE_NONE, PHASE_NETD, PHASE_SERVICES, PHASE_ORPHANS, PHASE_FINAL };

static enum phase phase = PHASE_NONE;
static enum shutdown_kind kind;
static int pending;
static uint64_t began_ms;
static struct loop_timer deadline, grace;

static void finish(void);

/* Signals every process but init, the kernel's threads and kmsglog. */
static void signal_others(int sig)
{
	pid_t keep = services[SERVICE_KMSGLOG].svc.pid;
	DIR *d = opendir("/proc");
	struct dirent *e;

	if (!d) {
		kill(-1, sig);
		return;
	}
	while ((e = readdir(d))) {
		pid_t pid = (pid_t)atoi(e->d_name);
		char exe[64], target[8];

		if (pid <= 1 || pid == keep)
			continue;
		snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)pid);
		if (readlink(exe, target, sizeof(target)) < 0 && errno == ENOENT)
			continue;	/* a kernel thread */
		kill(pid, sig);
	}
	closedir(d);
}

static void grace_over(struct loop_timer *t)
{
	(void)t;
	signal_others(SIGKILL);
	finish();
}

static void stop_orphans(void)
{
	phase = PHASE_ORPHANS;
	signal_others(SIGTERM);
	grace.cb = grace_over;
	loop_timer_set(&grace, SHUTDOWN_ORPHAN_GRACE_MS);
}

static void stop_services(void)
{
	phase = PHASE_SERVICES;
	pending = 0;
	for (int i = 0; i < SERVICE_COUNT; i++)
		if (i != SERVICE_NETD && i != SERVICE_KMSGLOG)
			pending++;
	for (int i = 0; i < SERVICE_COUNT; i++)
		if (i != SERVICE_NETD && i != SERVICE_KMSGLOG)
			sup_event(&services[i].svc, SUP_STOP);
}

void shutdown_service_stopped(struct supervisor *s)
{
	if (phase == PHASE_NETD && s == &services[SERVICE_NETD].svc) {
		stop_services();
	} else if (phase == PHASE_SERVICES && s != &services[SERVICE_NETD].svc) {
		if (--pending == 0)
			stop_orphans();
	}
}

static void deadline_passed(struct loop_timer *t)
{
	(void)t;
	log_warn("shutdown deadline of %d ms reached in phase %d: killing what is left",
		 SHUTDOWN_DEADLINE_MS, (int)phase);
	signal_others(SIGKILL);
	finish();
}

/* kmsglog copies what is left of the kernel log, then exits; bounded. */
static void flush_kernel_log(void)
{
	pid_t pid = services[SERVICE_KMSGLOG].svc.pid;
	struct timespec wait = { 0, 100 * 1000 * 1000 };
	sigset_t chld;
	int tries = 5;

	if (pid <= 0)
		return;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	kill(pid, SIGTERM);
	while (tries-- > 0) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		sigtimedwait(&chld, NULL, &wait);
	}
	kill(pid, SIGKILL);
}

static void finish(void)
{
	if (phase == PHASE_FINAL)
		return;
	phase = PHASE_FINAL;
	loop_timer_cancel(&deadline);
	loop_timer_cancel(&grace);
	pci_detach_wifi(PCI_DEVICES_DIR);
	log_notice("%s after %llu ms of shutdown", kind == SHUTDOWN_REBOOT ? "rebooting" : "powering off",
		   (unsigned long long)(loop_now_ms() - began_ms));
	flush_kernel_log();
	unmount_all();
	reboot(kind == SHUTDOWN_REBOOT ? RB_AUTOBOOT : RB_POWER_OFF);
	log_err("reboot(2) failed: %s", strerror(errno));
}

void shutdown_begin(enum shutdown_kind k)
{
	if (phase != PHASE_NONE)
		return;
	kind = k;
	began_ms = loop_now_ms();
	announce("%s: stopping services", k == SHUTDOWN_REBOOT ? "reboot" : "power-off");
	deadline.cb = deadline_passed;
	loop_timer_set(&deadline, SHUTDOWN_DEADLINE_MS);
	phase = PHASE_NETD;
	sup_event(&services[SERVICE_NETD].svc, SUP_STOP);
}
