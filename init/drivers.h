/* Drivers: coldplug (the module for each present PCI device, by its
 * modalias, through busybox modprobe) and the `load` lines of modules.conf,
 * run in a child process so that PID 1 keeps serving signals meanwhile. */
#ifndef INIT_DRIVERS_H
#define INIT_DRIVERS_H

#include "modconf.h"

#include <sys/types.h>

/* /etc/modprobe.conf in the image links here. (busybox modprobe does not
 * follow a linked /etc/modprobe.d directory, but opens this file.) */
#define MODPROBE_CONF "/run/modprobe.conf"

/* Writes MODPROBE_CONF (options, blacklist) from mc. */
void drivers_write_modprobe_conf(const struct modconf *mc);
/* Forks the loader; returns its pid or -1. It exits with the number of
 * failed loads (coldplug misses for built-in drivers are not failures). */
pid_t drivers_spawn_loader(const struct modconf *mc);

#endif
