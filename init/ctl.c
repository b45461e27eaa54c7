#include "ctl.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

int ctl_main(const char *name, int argc, char **argv)
{
	int rebooting = strcmp(name, "reboot") == 0;
	int force = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-f") == 0) {
			force = 1;
		} else {
			fprintf(stderr, "usage: %s [-f]\n  asks init for an orderly %s; -f: at once, without stopping anything\n",
				name, rebooting ? "reboot" : "power-off");
			return 100;
		}
	}
	if (force) {
		sync();
		reboot(rebooting ? RB_AUTOBOOT : RB_POWER_OFF);
		fprintf(stderr, "%s: reboot(2): %s\n", name, strerror(errno));
		return 111;
	}
	if (kill(1, rebooting ? SIGINT : SIGUSR2) < 0) {
		fprintf(stderr, "%s: cannot signal init: %s\n", name, strerror(errno));
		return 111;
	}
	return 0;
}
