/* netd: the network daemon of the Wifibox guest. See netd/README.md.
 *
 *   netd                   the daemon (started and supervised by init)
 *   netd status            the status, for a person at the console (asks
 *                          the daemon for a fresh one with SIGUSR1)
 *   netd udhcpc-event EV   udhcpc's script (also when called as udhcpc-event)
 *
 * Exit status: 0 done, 1 status unavailable, 100 usage (init does not
 * restart it), 111 a system call failed. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "loop.h"
#include "netd.h"
#include "paths.h"
#include "status.h"
#include "udhcpc_event.h"

#define EXIT_USAGE 100
#define EXIT_SYSTEM 111

static int usage(void)
{
	fprintf(stderr,
		"usage: netd                 run the network daemon (init starts it)\n"
		"       netd status          print the network status\n"
		"       netd udhcpc-event EVENT  report a DHCP event (udhcpc's script)\n");
	return EXIT_USAGE;
}

/* The running netd's pid, from its status, if it is alive and netd. */
static pid_t running_netd(const char *text)
{
	char pid[16], path[64], comm[32];
	pid_t p;

	if (!status_get(text, "netd_pid", pid, sizeof(pid)) || (p = (pid_t)atoi(pid)) <= 1)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)p);
	if (read_small_file(path, comm, sizeof(comm)) <= 0 || strncmp(comm, "netd", 4))
		return 0;
	return p;
}

/* Asks the daemon for a fresh status (SIGUSR1) and waits for it, briefly:
 * the person at the console gets current signal and counters. */
static void refresh(char *text, size_t size)
{
	char before[32], now[32];
	pid_t p = running_netd(text);

	if (!p || !status_get(text, "updated_ms", before, sizeof(before)) || kill(p, SIGUSR1) < 0)
		return;
	for (int k = 0; k < 50; k++) {
		usleep(20000);
		if (read_small_file(paths.status, text, size) > 0 &&
		    status_get(text, "updated_ms", now, sizeof(now)) && strcmp(now, before))
			return;
	}
}

static int print_status(void)
{
	static char text[STATUS_MAX];
	ssize_t n = read_small_file(paths.status, text, sizeof(text));

	if (n <= 0) {
		fprintf(stderr, "netd: no status in %s: is netd running, and the var share mounted?\n",
			paths.status);
		return 1;
	}
	refresh(text, sizeof(text));
	status_print(text, stdout);
	if (!running_netd(text))
		printf("(netd is not running: this is the last status it wrote)\n");
	return 0;
}

static void on_signal(int signo)
{
	if (signo == SIGTERM || signo == SIGINT)
		netd_shutdown();
	else if (signo == SIGUSR1)
		netd_refresh();
	else
		log_info("signal %d ignored (netd reads its config at start only)", signo);
}

/* The image's build date: the mtime of every file of its root
 * (mksquashfs takes SOURCE_DATE_EPOCH), netd's own executable's among
 * them. 0 when unknown. */
static int64_t build_date(void)
{
	struct stat st;

	return stat("/proc/self/exe", &st) < 0 ? 0 : (int64_t)st.st_mtime;
}

static int daemon_main(void)
{
	static const int signals[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };

	log_open("netd", LOG_SINK_SYSLOG | LOG_SINK_STDERR);
	netd_log_levels(getenv("NETD_DEBUG") != NULL);
	signal(SIGPIPE, SIG_IGN);
	if (loop_init() < 0 || loop_signals(signals, 4, on_signal) < 0) {
		log_err("setting up the event loop: %m");
		return EXIT_SYSTEM;
	}
	netd.built_s = build_date();
	if (netd_start() < 0)
		return EXIT_SYSTEM;
	if (loop_run() < 0) {
		log_err("the event loop failed: %m");
		return EXIT_SYSTEM;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	if (!strcmp(self, "udhcpc-event"))
		return argc == 2 ? udhcpc_event_main(argv[1]) : usage();
	if (argc == 1)
		return daemon_main();
	if (argc == 2 && !strcmp(argv[1], "status"))
		return print_status();
	if (argc == 3 && !strcmp(argv[1], "udhcpc-event"))
		return udhcpc_event_main(argv[2]);
	return usage();
}
