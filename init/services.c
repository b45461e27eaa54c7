#include "services.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
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

static struct init_service *owner_of(struct supervisor *s)
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

	for (i = 0; is->argv[i] && i < 15; i++)
		args[i] = (char *)(uintptr_t)is->argv[i];
	args[i] = NULL;
	execve(is->exec_path, args, child_env);
	_exit(111);
}

static void child_exited(struct loop_child *c, int wstatus)
{
	struct init_service *is = container_of(c, struct init_service, child);

	sup_exited(&is->svc, wstatus);
}

static pid_t spawn(struct supervisor *s)
{
	struct init_service *is = owner_of(s);
	pid_t pid = fork();

	if (pid == 0)
		exec_child(is);
	if (pid < 0) {
		log_err("cannot start %s (%s): %s", s->name, is->argv[0], strerror(errno));
		return -1;
	}
	is->child.pid = pid;
	is->child.cb = child_exited;
	loop_child_add(&is->child);
	log_info("started %s (pid %d)", s->name, (int)pid);
	return pid;
}

static void signal_it(struct supervisor *s, int sig)
{
	if (s->pid > 0)
		kill(s->pid, sig);
}

static void timer_fired(struct loop_timer *t)
{
	struct init_service *is = container_of(t, struct init_service, timer);

	sup_event(&is->svc, SUP_TIMER);
}

static void timer_set(struct supervisor *s, uint32_t ms)
{
	struct init_service *is = owner_of(s);

	is->timer.cb = timer_fired;
	if (loop_timer_set(&is->timer, ms) < 0)
		log_err("cannot arm the timer of %s: %s", s->name, strerror(errno));
}

static void timer_cancel(struct supervisor *s)
{
	loop_timer_cancel(&owner_of(s)->timer);
}

static void (*stopped_cb)(struct supervisor *s);

/* A stop that is done: asked of one already stopped (or failed), or the
 * exit of one that was stopping. Shutdown counts these. */
static void changed(struct supervisor *s, enum sup_state before, enum sup_event ev)
{
	int done = (ev == SUP_STOP && (s->state == SUP_STOPPED || s->state == SUP_FAILED)) ||
		   (ev == SUP_EXIT && before == SUP_STOPPING && s->state == SUP_STOPPED);

	if (done && stopped_cb)
		stopped_cb(s);
}

static const struct sup_ops ops = {
	.spawn = spawn,
	.kill = signal_it,
	.timer_set = timer_set,
	.timer_cancel = timer_cancel,
	.now_ms = loop_now_ms,
	.changed = changed,
};

static void define(enum service_id id, const char *name, const char *exec_path,
		   const char *const *argv, uint32_t stop_ms)
{
	static const struct sup_params init_params = {
		.backoff_min_ms = INIT_BACKOFF_MIN_MS,
		.backoff_max_ms = INIT_BACKOFF_MAX_MS,
		.stable_ms = INIT_STABLE_MS,
		.permanent_exit = INIT_EXIT_PERMANENT,
	};
	struct init_service *is = &services[id];

	is->params = init_params;
	is->params.stop_ms = stop_ms;
	is->argv = argv;
	is->exec_path = exec_path;
	sup_init(&is->svc, name, &is->params, &ops);
}

void services_init(void (*on_stopped)(struct supervisor *s))
{
	stopped_cb = on_stopped;
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

/* netd first: the host's DHCP is the return path after a resume, and
 * nothing else is needed for it. The others log before syslogd listens
 * without losing a line (lib/log holds them), so nothing waits for it. */
static const enum service_id start_order[] = {
	SERVICE_NETD, SERVICE_SYSLOGD, SERVICE_KMSGLOG, SERVICE_UDS_PASSTHRU, SERVICE_GETTY,
};

void services_start_all(void)
{
	for (size_t k = 0; k < sizeof(start_order) / sizeof(start_order[0]); k++) {
		struct init_service *is = &services[start_order[k]];

		if (installed(is))
			sup_event(&is->svc, SUP_START);
	}
}

int services_running(enum service_id id)
{
	return services[id].svc.state == SUP_RUNNING;
}
