/* Host mode, a replacement for the host side's socat: a UNIX datagram
 * socket at each configured path, and one TCP connection to the guest per
 * client address, framed when the guest is uds-passthru, so that both of
 * wpa_cli's sockets (commands, and the ATTACHed one for events) keep
 * their own client socket in the guest for as long as they live. Against
 * a socat guest it behaves like socat: one connection per datagram. */
#ifndef UDSP_HOST_H
#define UDSP_HOST_H

#include "udspconf.h"

#include <netinet/in.h>

struct host_socket {
	struct udsp_socket s;		/* path, user, group, mode (port unused) */
	struct sockaddr_in guest;	/* where the guest listens for it */
};

struct host_opts {
	struct host_socket sockets[UDSP_MAX_SOCKETS];
	size_t n_sockets;
	int raw_only;		/* never offer framing: behave as socat */
};

/* Runs until SIGTERM/SIGINT; returns the exit status (0, 100, 111). */
int host_run(const struct host_opts *o);

#endif
