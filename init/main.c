/* init: process 1 of the Wifibox guest. Small and boring on purpose: it
 * mounts, starts and supervises a handful of services, reaps zombies and
 * shuts down in order. It never exits. The same binary is also `reboot`,
 * `poweroff`, `halt` and `kmsglog` (multi-call, by argv[0]). */
#include "console.h"
#include "ctl.h"
#include "drivers.h"
#include "hostname.h"
#include "kmsglog.h"
#include "log.h"
#include "loop.h"
#include "milestones.h"
#include "modconf.h"
#include "mounts.h"
#include "power.h"
#include "services.h"
#include "shutdown.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MODULES_CONF CONFIG_DIR "/modules.conf"
#define HOSTNAME_FILE CONFIG_DIR "/hostname"

static struct modconf modconf;
static struct loop_child loader;

static void on_signal(int signo)
{
	switch (signo) {
	case SIGINT:
		shutdown_begin(SHUTDOWN_REBOOT);
		break;
	case SIGTERM:
	case SIGUSR1:
	case SIGUSR2:
	case SIGPWR:
		shutdown_begin(SHUTDOWN_POWEROFF);
		break;
	default:
		log_info("ignoring signal %d (%s)", signo, strsignal(signo));
	}
}

static void on_power_button(void)
{
	log_notice("power button pressed");
	shutdown_begin(SHUTDOWN_POWEROFF);
}

static void on_orphan(pid_t pid, int wstatus)
{
	log_debug("reaped process %d (wait status 0x%x)", (int)pid, (unsigned)wstatus);
}

static void drivers_loaded(struct loop_child *c, int wstatus)
{
	(void)c;
	milestone("drivers");
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
		log_warn("driver loading: %d module(s) of modules.conf failed to load",
			 WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
}

static void set_hostname(void)
{
	char name[80];

	hostname_read(HOSTNAME_FILE, name, sizeof(name));
	if (sethostname(name, strlen(name)) < 0)
		log_err("cannot set the host name to '%s': %s", name, strerror(errno));
}

static void write_proc(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, value, strlen(value)) != (ssize_t)strlen(value))
		log_warn("cannot write '%s' to %s: %s", value, path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Our log lines go through /dev/kmsg, which by default lets a writer through
 * only 10 lines per 5 s: lift that before saying anything. Kernel messages
 * below "warning" stay off the console once we run, so that the login
 * prompt is not buried; they are all in /var/log/dmesg. */
static void setup_kernel_log(void)
{
	write_proc("/proc/sys/kernel/printk_devkmsg", "on\n");
	write_proc("/proc/sys/kernel/printk", "4");
}

/* The daemons' control sockets send their events without waiting, and
 * syslog's writers too: when the reader (uds-passthru, syslogd) is off the
 * one vCPU for a moment, the kernel's default of 10 queued datagrams loses
 * the rest of a burst (a scan's BSS events, say). Set before any socket
 * is made: each takes the value at its creation. */
static void lengthen_datagram_queues(void)
{
	write_proc("/proc/sys/net/unix/max_dgram_qlen", "512");
}

static void load_drivers(void)
{
	if (modconf_load(MODULES_CONF, &modconf) < 0)
		log_err("%s: %s", MODULES_CONF, strerror(errno));
	if (modconf.errors)
		announce("%s: %u line(s) ignored (see the log); booting on", MODULES_CONF, modconf.errors);
	drivers_write_modprobe_conf(&modconf);
	loader.pid = drivers_spawn_loader(&modconf);
	if (loader.pid < 0) {
		log_err("cannot start the driver loader: %s", strerror(errno));
		return;
	}
	loader.cb = drivers_loaded;
	loop_child_add(&loader);
}

static void boot(void)
{
	static const int signals[] = { SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGPWR, SIGHUP };
	/* "init" is when process 1 began, not when it could first write it
	 * down: the mounts and the console come before /run/init exists. */
	uint64_t started = loop_now_ms();
	struct shares sh;

	umask(022);
	if (chdir("/") < 0)
		_exit(111);
	mount_early();
	console_open();
	setup_kernel_log();
	lengthen_datagram_queues();
	log_open("init", LOG_SINK_KMSG);
	milestone_at("init", started);
	reboot(RB_DISABLE_CAD);	/* Ctrl-Alt-Del becomes SIGINT: a clean reboot */
	if (loop_init() < 0 || loop_signals(signals, sizeof(signals) / sizeof(signals[0]), on_signal) < 0)
		log_err("cannot set up the event loop: %s", strerror(errno));
	loop_set_orphan_cb(on_orphan);

	mount_shares(&sh);
	milestone("shares");
	/* before any service or module can ask for firmware */
	drivers_use_host_firmware(HOST_FIRMWARE_DIR, FIRMWARE_PATH_PARAM);
	set_hostname();
	services_init(shutdown_service_stopped);
	services_start_all();
	if (services_running(SERVICE_NETD))
		milestone("netd");
	load_drivers();
	power_button_watch(on_power_button);
}

/* Process 1 must not exit: if the loop itself ever fails, keep reaping. */
static void run_forever(void)
{
	struct timespec pause_ts = { 1, 0 };

	for (;;) {
		if (loop_run() < 0)
			log_err("event loop failed: %s", strerror(errno));
		nanosleep(&pause_ts, NULL);
	}
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	if (!strcmp(name, "reboot") || !strcmp(name, "poweroff") || !strcmp(name, "halt"))
		return ctl_main(name, argc, argv);
	if (!strcmp(name, "kmsglog"))
		return kmsglog_main(argc, argv);
	if (getpid() != 1) {
		fprintf(stderr, "init: must run as process 1 (this is %d); to stop the guest use poweroff or reboot\n",
			(int)getpid());
		return 100;
	}
	boot();
	run_forever();
}
