/* reboot, poweroff and halt: the init binary under those names asks PID 1
 * for an orderly shutdown (SIGINT reboots, SIGUSR2 powers off); -f skips
 * it and calls reboot(2) at once. */
#ifndef INIT_CTL_H
#define INIT_CTL_H

int ctl_main(const char *name, int argc, char **argv);

#endif
