/* netd in udhcpc-event mode: udhcpc's script. It turns the event and the
 * environment udhcpc set into a message, keeps it in the lease file (a
 * restarted netd reads it there) and sends it to the daemon's socket. The
 * addresses, routes and resolv.conf are the daemon's job, not the script's. */
#include "udhcpc_event.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fsutil.h"
#include "lease.h"
#include "log.h"
#include "paths.h"

static const char *env(const char *key)
{
	return getenv(key);
}

static int send_to_netd(const char *msg, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (fd < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", paths.socket);
	if (sendto(fd, msg, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int udhcpc_event_main(const char *event)
{
	char msg[LEASE_MSG_MAX];
	int n, rc;

	log_open("netd-udhcpc", LOG_SINK_SYSLOG | LOG_SINK_STDERR);
	log_set_stderr_level(LOG_WARNING);
	n = lease_format(msg, sizeof(msg), event, env);
	if (n < 0) {
		log_err("udhcpc %s: the lease does not fit in %d bytes: not reported", event, LEASE_MSG_MAX);
		return 0;
	}
	rc = write_file_atomic(paths.lease, msg, (size_t)n, 0644);
	if (rc < 0)
		log_warn("writing %s: %s", paths.lease, strerror(-rc));
	rc = send_to_netd(msg, (size_t)n);
	if (rc < 0)
		log_warn("udhcpc %s: netd is not listening on %s (%s): it reads %s when it starts",
			 event, paths.socket, strerror(-rc), paths.lease);
	/* udhcpc only waits for us; a failure here must not stop it */
	return 0;
}
