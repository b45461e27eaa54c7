/* Guest mode: listens on TCP at the configured network address, one port
 * per control socket, and gives each accepted connection its own client
 * datagram socket, so that replies and events reach the connection that
 * asked for them and no other. */
#ifndef UDSP_GUEST_H
#define UDSP_GUEST_H

#include "udspconf.h"

struct guest_opts {
	const char *config_path;
	const char *rundir;	/* where the client sockets live */
	const char *ifname;	/* the host link, when network= is not set */
	/* netd's bridged mode: the host's address on the Wi-Fi network, a
	 * peer let in from outside network= (lib/hostaddr.h) */
	const char *hostaddr_file;
};

/* Runs until SIGTERM/SIGINT; returns the exit status (0, 100, 111). */
int guest_run(const struct guest_opts *o, const struct udsp_config *cfg);

#endif
