/* The services init runs and supervises, in start order. */
#ifndef INIT_SERVICES_H
#define INIT_SERVICES_H

#include "loop.h"
#include "supervisor.h"

/* How init supervises its services (lib/supervisor.h): a crash is retried
 * after 100 ms, doubling to 30 s; a run of 10 s resets that; exit status
 * 100 means "do not restart" (s6's convention: bad usage or config). */
#define INIT_BACKOFF_MIN_MS 100
#define INIT_BACKOFF_MAX_MS 30000
#define INIT_STABLE_MS 10000
#define INIT_EXIT_PERMANENT 100

enum service_id {
	SERVICE_SYSLOGD,
	SERVICE_KMSGLOG,
	SERVICE_NETD,
	SERVICE_GETTY,
	SERVICE_UDS_PASSTHRU,
	SERVICE_COUNT
};

struct init_service {
	struct supervisor svc;
	struct sup_params params;	/* init's, with this service's stop time */
	const char *const *argv;
	const char *exec_path;		/* may differ from argv[0] (multi-call) */
	const char *needs_file;		/* start only if this file exists */
	int console;			/* stdout/stderr on the console, not /dev/null */
	struct loop_child child;
	struct loop_timer timer;
};

extern struct init_service services[SERVICE_COUNT];

/* Called with the service that reached "stopped" during a shutdown. */
void services_init(void (*on_stopped)(struct supervisor *s));
/* Starts those whose program is installed (and needed file present),
 * netd first. */
void services_start_all(void);
int services_running(enum service_id id);

#endif
