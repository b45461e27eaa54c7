#include "sock.h"
#include "sys.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* TCP keepalive: a host that vanished is noticed in about 90 s. */
#define KEEPIDLE_S 60
#define KEEPINTVL_S 10
#define KEEPCNT 3

int sock_nonblock_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -errno;
	return 0;
}

static int new_socket(int domain, int type)
{
	int fd = socket(domain, type, 0), rc;

	if (fd < 0)
		return -errno;
	rc = sock_nonblock_cloexec(fd);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

int sock_unix_addr(struct sockaddr_un *sa, socklen_t *len, const char *path)
{
	size_t n = strlen(path);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (n >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memcpy(sa->sun_path, path, n + 1);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	return 0;
}

static int remove_stale_socket(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
}

int sock_unix_dgram_bound(const char *path)
{
	struct sockaddr_un sa;
	socklen_t len;
	int fd, rc;

	rc = sock_unix_addr(&sa, &len, path);
	if (rc < 0)
		return rc;
	rc = remove_stale_socket(path);
	if (rc < 0)
		return rc;
	fd = new_socket(AF_UNIX, SOCK_DGRAM);
	if (fd < 0)
		return fd;
	if (bind(fd, (struct sockaddr *)&sa, len) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int sock_unix_connect(int fd, const char *path)
{
	struct sockaddr_un sa;
	socklen_t len;
	int rc = sock_unix_addr(&sa, &len, path);

	if (rc < 0)
		return rc;
	return connect(fd, (struct sockaddr *)&sa, len) < 0 ? -errno : 0;
}

int sock_unix_probe(const char *path)
{
	int fd = new_socket(AF_UNIX, SOCK_DGRAM), rc;

	if (fd < 0)
		return fd;
	rc = sock_unix_connect(fd, path);
	close(fd);
	return rc;
}

int sock_tcp_listen(struct in_addr addr, uint16_t port, int early_bind)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr = addr, .sin_port = htons(port) };
	int fd = new_socket(AF_INET, SOCK_STREAM), one = 1, rc;

	if (fd < 0)
		return fd;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (early_bind)
		sys_allow_early_bind(fd);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int sock_tcp_connect(const struct sockaddr_in *to)
{
	int fd = new_socket(AF_INET, SOCK_STREAM), rc;

	if (fd < 0)
		return fd;
	if (connect(fd, (const struct sockaddr *)to, sizeof(*to)) < 0 && errno != EINPROGRESS) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int sock_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -errno;
	return -err;
}

void sock_tcp_tune(int fd)
{
	int one = 1;

	/* Requests and replies are small: never hold them back (Nagle). */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
#ifdef TCP_KEEPIDLE
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &(int){ KEEPIDLE_S }, sizeof(int));
#endif
#ifdef TCP_KEEPINTVL
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &(int){ KEEPINTVL_S }, sizeof(int));
#endif
#ifdef TCP_KEEPCNT
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &(int){ KEEPCNT }, sizeof(int));
#endif
}

ssize_t sock_recv_dgram(int fd, void *buf, size_t size, struct sockaddr_un *from,
			socklen_t *fromlen)
{
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (from) {
		msg.msg_name = from;
		msg.msg_namelen = sizeof(*from);
	}
	do
		n = recvmsg(fd, &msg, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (from)
		*fromlen = msg.msg_namelen;
	/* One byte of room left over tells "exactly full" from "cut". */
	if ((msg.msg_flags & MSG_TRUNC) || (size_t)n >= size)
		return -EMSGSIZE;
	return n;
}

int sock_in_subnet(struct in_addr a, struct in_addr net, struct in_addr mask)
{
	return (a.s_addr & mask.s_addr) == (net.s_addr & mask.s_addr);
}

void sock_in_text(const struct sockaddr_in *sa, char *buf, size_t size)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof(ip));
	snprintf(buf, size, "%s:%u", ip, ntohs(sa->sin_port));
}
