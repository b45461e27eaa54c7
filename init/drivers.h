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

/* Firmware on the config share: searched by the kernel before the image's
 * /lib/firmware, so that a user adds an NVRAM file or a newer blob without
 * rebuilding the image. */
#define HOST_FIRMWARE_DIR "/media/etc/firmware"
/* The kernel's one extra firmware search path. */
#define FIRMWARE_PATH_PARAM "/sys/module/firmware_class/parameters/path"

/* Writes dir to param (FIRMWARE_PATH_PARAM) when dir is a directory, and
 * says so; 1 if set, 0 if there is no such directory, -errno on failure. */
int drivers_use_host_firmware(const char *dir, const char *param);
/* Writes MODPROBE_CONF (options, blacklist) from mc. */
void drivers_write_modprobe_conf(const struct modconf *mc);
/* Forks the loader; returns its pid or -1. It exits with the number of
 * failed loads (coldplug misses for built-in drivers are not failures). */
pid_t drivers_spawn_loader(const struct modconf *mc);

#endif
