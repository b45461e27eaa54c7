/* Socket helpers shared by both modes (POSIX only). All sockets are
 * non-blocking and close-on-exec. */
#ifndef UDSP_SOCK_H
#define UDSP_SOCK_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

int sock_nonblock_cloexec(int fd);
/* 0 or -ENAMETOOLONG. */
int sock_unix_addr(struct sockaddr_un *sa, socklen_t *len, const char *path);
/* A datagram socket bound at path; a stale socket there is replaced, but
 * any other kind of file is left alone (-EEXIST). fd or -errno. */
int sock_unix_dgram_bound(const char *path);
/* Connects a datagram socket to path; 0 or -errno. */
int sock_unix_connect(int fd, const char *path);
/* Whether a datagram socket at path has a receiver: 0, -ECONNREFUSED
 * (a file left by a dead process), -ENOENT, or another -errno. */
int sock_unix_probe(const char *path);
/* Listening TCP socket on addr:port; fd or -errno. */
int sock_tcp_listen(struct in_addr addr, uint16_t port, int early_bind);
/* Starts a connection; fd or -errno (the connection completes when the
 * fd becomes writable; sock_error() then tells how it went). */
int sock_tcp_connect(const struct sockaddr_in *to);
int sock_error(int fd);
/* Low latency and dead-peer detection for a connected TCP socket. */
void sock_tcp_tune(int fd);
/* recv() of one datagram into buf (size bytes); returns its length, or
 * -EMSGSIZE when it was longer than size - 1 (dropped, not cut). */
ssize_t sock_recv_dgram(int fd, void *buf, size_t size, struct sockaddr_un *from,
			socklen_t *fromlen);
int sock_in_subnet(struct in_addr a, struct in_addr net, struct in_addr mask);
/* "a.b.c.d:port" */
void sock_in_text(const struct sockaddr_in *sa, char *buf, size_t size);

#endif
