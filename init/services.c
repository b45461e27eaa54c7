#include "services.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const syslogd_argv[] = {
	/* rotated at 1 MiB (-s is in KiB), one old file kept */
	"/sbin/syslogd", "-n", "-O", "/var/log/messages", "-s", "1024", "-b", "1", NULL
};
static const char *const kmsglog_argv[] = { "kmsglog", "/var/log/dmesg", NULL };
static const char *const netd_argv[] = { "/usr/sbin/netd", NULL };
static const char *const getty_argv[] = { "/sbin/getty", "-L", "115200", "ttyS0", "vt100", NULL };
static const char *const uds_argv[] = {
	"/usr/sbin/uds-passthru", "guest", "/media/etc/uds_passthru.conf", NULL
};

static char *const child_env[] = {
	"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", "TERM=vt100", NULL
};

struct init_service services[SERVICE_COUNT];

static struct init_service *owner_of(struct service *s)
{
	return container_of(s, struct init_service, svc);
}

/* The daemons log to syslog; the few lines a person at the console needs
 * (netd: "no Wi-Fi configuration"; uds-passthru: a broken config) they
 * write to stderr, which is the console for those marked so. */
static void exec_child(const struct init_service *is)
{
	sigset_t none;
	int null = open("/dev/null", O_RDWR);
	int out = is->console ? open("/dev/console", O_WRONLY | O_NOCTTY) : -1;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	if (out < 0)
		out = null;
	if (null >= 0)
		dup2(null, 0);
	if (out >= 0) {
		dup2(out, 1);
		dup2(out, 2);
	}
	if (out > 2 && out != null)
		close(out);
	if (null > 2)
		close(null);
	/* execve's prototype predates const; it does not modify the strings. */
	char *args[16];
	size_t i;

	for (i = 0; is->svc.argv[i] && i < 15; i++)
		args[i] = (char *)(uintptr_t)is->svc.argv[i];
	args[i] = NULL;
	execve(is->exec_path, args, child_env);
	_exit(111);
}

static void child_exited(struct loop_child *c, int wstatus)
{
	struct init_service *is = container_of(c, struct init_service, child);

	svc_event(&is->svc, SVC_EV_EXIT, wstatus);
}

static pid_t spawn(struct service *s)
{
	struct init_service *is = owner_of(s);
	pid_t pid = fork();

	if (pid == 0)
		exec_child(is);
	if (pid > 0) {
		is->child.pid = pid;
		is->child.cb = child_exited;
		loop_child_add(&is->child);
	}
	return pid;
}

static void timer_fired(struct loop_timer *t)
{
	struct init_service *is = container_of(t, struct init_service, timer);

	svc_event(&is->svc, SVC_EV_TIMER, 0);
}

static void timer_set(struct service *s, uint32_t ms)
{
	struct init_service *is = owner_of(s);

	is->timer.cb = timer_fired;
	if (loop_timer_set(&is->timer, ms) < 0)
		log_err("cannot arm the timer of %s: %s", s->name, strerror(errno));
}

static void timer_cancel(struct service *s)
{
	loop_timer_cancel(&owner_of(s)->timer);
}

static struct svc_ops ops = {
	.spawn = spawn,
	.kill = kill,
	.timer_set = timer_set,
	.timer_cancel = timer_cancel,
	.now_ms = loop_now_ms,
};

static void define(enum service_id id, const char *name, const char *exec_path,
		   const char *const *argv, uint32_t stop_timeout_ms)
{
	struct init_service *is = &services[id];

	svc_init(&is->svc, name, argv, &ops);
	is->exec_path = exec_path;
	is->svc.stop_timeout_ms = stop_timeout_ms;
}

void services_init(void (*on_stopped)(struct service *s))
{
	ops.stopped = on_stopped;
	define(SERVICE_SYSLOGD, "syslogd", syslogd_argv[0], syslogd_argv, 1000);
	define(SERVICE_KMSGLOG, "kmsglog", "/sbin/init", kmsglog_argv, 500);
	/* netd stops the Wi-Fi daemon cleanly first: give it the most time. */
	define(SERVICE_NETD, "netd", netd_argv[0], netd_argv, 3000);
	define(SERVICE_GETTY, "getty", getty_argv[0], getty_argv, 500);
	define(SERVICE_UDS_PASSTHRU, "uds-passthru", uds_argv[0], uds_argv, 1000);
	services[SERVICE_UDS_PASSTHRU].needs_file = uds_argv[2];
	services[SERVICE_NETD].console = 1;
	services[SERVICE_UDS_PASSTHRU].console = 1;
}

static int installed(const struct init_service *is)
{
	if (access(is->exec_path, X_OK) < 0) {
		log_warn("%s is not installed (%s): not starting it", is->svc.name, is->exec_path);
		return 0;
	}
	if (is->needs_file && access(is->needs_file, F_OK) < 0) {
		log_info("%s: %s does not exist: not starting it", is->svc.name, is->needs_file);
		return 0;
	}
	return 1;
}

void services_start_all(void)
{
	for (int i = 0; i < SERVICE_COUNT; i++)
		if (installed(&services[i]))
			svc_event(&services[i].svc, SVC_EV_START, 0);
}

int services_running(enum service_id id)
{
	return services[id].svc.state == SVC_RUNNING;
}
