/* Orderly shutdown within 5 s: netd first (it disconnects the Wi-Fi
 * cleanly), then the other services, then every remaining process; then
 * the Wi-Fi PCI devices are detached, the kernel log is flushed to the var
 * share, filesystems are unmounted and the guest powers off or reboots.
 * Whatever has not stopped by the deadline is killed. */
#ifndef INIT_SHUTDOWN_H
#define INIT_SHUTDOWN_H

#include "supervisor.h"

#define SHUTDOWN_DEADLINE_MS 4500
#define SHUTDOWN_ORPHAN_GRACE_MS 300

enum shutdown_kind { SHUTDOWN_POWEROFF, SHUTDOWN_REBOOT };

void shutdown_begin(enum shutdown_kind kind);
/* The supervisor's "stopped" callback. */
void shutdown_service_stopped(struct supervisor *s);

#endif
