#include "kmsglog.h"
#include "log.h"
#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

static struct loop_fd kmsg = { .fd = -1 };
static const char *log_path;
static int out_fd = -1;
static size_t out_bytes;
/* What one wake-up read, written at once: the log is on the var share,
 * where each write is a round trip to the host, and the boot's first
 * wake-up alone finds some 300 records. */
static char pending[16384];
static size_t pending_len;

int kmsg_format(const char *rec, size_t len, char *out, size_t size)
{
	const char *semi = memchr(rec, ';', len), *end;
	unsigned long long usec;
	int n;

	if (!semi || sscanf(rec, "%*u,%*u,%llu", &usec) != 1)
		return -1;
	semi++;
	end = memchr(semi, '\n', len - (size_t)(semi - rec));
	if (!end)
		end = rec + len;
	n = snprintf(out, size, "[%5llu.%06llu] %.*s\n", usec / 1000000, usec % 1000000,
		     (int)(end - semi), semi);
	if (n < 0)
		return -1;
	return n >= (int)size ? (int)size - 1 : n;
}

static void open_log(void)
{
	out_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	out_bytes = 0;
	if (out_fd < 0)
		log_err("cannot write %s: %s", log_path, strerror(errno));
}

static void rotate_if_full(void)
{
	char old[512];

	if (out_bytes < KMSGLOG_ROTATE_BYTES)
		return;
	snprintf(old, sizeof(old), "%s.0", log_path);
	close(out_fd);
	rename(log_path, old);
	open_log();
}

static void flush_pending(void)
{
	if (pending_len && write(out_fd, pending, pending_len) == (ssize_t)pending_len)
		out_bytes += pending_len;
	pending_len = 0;
	rotate_if_full();
}

/* Copies every record available now; returns when /dev/kmsg has no more.
 * The file rotates where it did with a write per record: after the
 * record that takes it to KMSGLOG_ROTATE_BYTES. */
static void copy_available(void)
{
	char rec[8192], line[8300];
	ssize_t n;
	int len;

	for (;;) {
		n = read(kmsg.fd, rec, sizeof(rec));
		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten before we read them */
		if (n <= 0)
			break;
		len = kmsg_format(rec, (size_t)n, line, sizeof(line));
		if (len <= 0 || out_fd < 0)
			continue;
		if (pending_len + (size_t)len > sizeof(pending))
			flush_pending();
		memcpy(pending + pending_len, line, (size_t)len);
		pending_len += (size_t)len;
		if (out_bytes + pending_len >= KMSGLOG_ROTATE_BYTES)
			flush_pending();
	}
	if (out_fd >= 0)
		flush_pending();
}

static void kmsg_ready(struct loop_fd *lfd, uint32_t events)
{
	(void)lfd;
	(void)events;
	copy_available();
}

static void on_signal(int signo)
{
	(void)signo;
	copy_available();
	loop_quit();
}

int kmsglog_main(int argc, char **argv)
{
	static const int signals[] = { SIGTERM, SIGINT };

	log_open("kmsglog", LOG_SINK_SYSLOG);
	log_path = argc > 1 ? argv[1] : "/var/log/dmesg";
	kmsg.fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg.fd < 0) {
		log_err("cannot read /dev/kmsg: %s", strerror(errno));
		return 111;
	}
	open_log();
	if (loop_init() < 0 || loop_signals(signals, 2, on_signal) < 0)
		return 111;
	kmsg.cb = kmsg_ready;
	loop_fd_add(&kmsg, EPOLLIN);
	copy_available();
	loop_run();
	if (out_fd >= 0)
		fsync(out_fd);
	return 0;
}
