#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *log_ident = "wifibox";
static unsigned log_sinks = LOG_SINK_STDERR;
static int log_max = LOG_INFO;
static int stderr_max = LOG_DEBUG;
static int kmsg_fd = -1;

/* syslog: our own client of syslogd's datagram socket rather than
 * syslog(3), which drops a line silently while the socket is not there
 * yet. Lines that find no syslogd wait here, stamped with their own time,
 * and go out in order before the next line once it listens; so a daemon
 * can start before syslogd does. */
static const char *syslog_path = "/dev/log";
static int syslog_fd = -1;
static char pending[16384];
static size_t pending_len;
static int pending_spill_registered;

static void log_to_kmsg(int priority, const char *text);

static int syslog_connect(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (syslog_fd < 0)
		syslog_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (syslog_fd < 0)
		return -1;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", syslog_path);
	if (connect(syslog_fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return 0;
	close(syslog_fd);
	syslog_fd = -1;
	return -1;
}

/* One datagram; a syslogd that went away and came back gets one reconnect. */
static int syslog_send(const char *line, size_t len)
{
	if (syslog_fd < 0 && syslog_connect() < 0)
		return -1;
	if (send(syslog_fd, line, len, MSG_NOSIGNAL) == (ssize_t)len)
		return 0;
	if (errno != ECONNREFUSED && errno != ENOTCONN && errno != ECONNRESET)
		return -1;
	close(syslog_fd);
	syslog_fd = -1;
	if (syslog_connect() < 0)
		return -1;
	return send(syslog_fd, line, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/* The waiting lines, oldest first, each ending in NUL; 0 once all are out. */
static int pending_flush(void)
{
	size_t off = 0;

	while (off < pending_len) {
		size_t len = strlen(pending + off);

		if (syslog_send(pending + off, len) < 0)
			break;
		off += len + 1;
	}
	memmove(pending, pending + off, pending_len - off);
	pending_len -= off;
	return pending_len ? -1 : 0;
}

/* Lines syslogd never took go to the kernel log rather than nowhere. */
static void pending_spill(void)
{
	size_t off = 0;

	if (pending_flush() == 0)
		return;
	while (off < pending_len) {
		const char *line = pending + off;
		const char *text = strstr(line, "]: ");

		log_to_kmsg(LOG_NOTICE, text ? text + 3 : line);
		off += strlen(line) + 1;
	}
	pending_len = 0;
}

static void pending_add(const char *line, size_t len)
{
	if (pending_len + len + 1 > sizeof(pending))
		pending_spill();
	if (len + 1 > sizeof(pending))
		return;
	memcpy(pending + pending_len, line, len);
	pending[pending_len + len] = '\0';
	pending_len += len + 1;
	if (!pending_spill_registered)
		pending_spill_registered = atexit(pending_spill) == 0;
}

static void log_to_syslog(int priority, const char *text)
{
	char line[1024], stamp[32];
	time_t now;
	struct tm tm;
	int n = snprintf(line, sizeof(line), "<%d>%s[%d]: %s", LOG_DAEMON | priority, log_ident,
			 (int)getpid(), text);

	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	if (pending_flush() == 0 && syslog_send(line, (size_t)n) == 0)
		return;	/* syslogd stamps it, to the millisecond */
	/* A line that waits keeps its own time, in RFC 3164's header, which
	 * syslogd uses instead of the time it arrives. */
	now = time(NULL);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S ", localtime_r(&now, &tm));
	n = snprintf(line, sizeof(line), "<%d>%s%s[%d]: %s", LOG_DAEMON | priority, stamp,
		     log_ident, (int)getpid(), text);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	pending_add(line, (size_t)n);
}

void log_set_syslog_path(const char *path)
{
	syslog_path = path;
	if (syslog_fd >= 0)
		close(syslog_fd);
	syslog_fd = -1;
}

void log_open(const char *ident, unsigned sinks)
{
	log_ident = ident;
	log_sinks = sinks;
	if (sinks & LOG_SINK_SYSLOG)
		syslog_connect();
	if ((sinks & LOG_SINK_KMSG) && kmsg_fd < 0)
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
}

void log_set_level(int max_priority)
{
	log_max = max_priority;
}

void log_set_stderr_level(int max_priority)
{
	stderr_max = max_priority;
}

/* The length of the UTF-8 sequence at s if it is valid and printable (no
 * overlong form, surrogate or C1 control), else 0. */
static size_t utf8_printable(const unsigned char *s)
{
	unsigned c = s[0], len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
	uint32_t cp = c & (0x7fu >> len);

	if (!len || c > 0xf4)
		return 0;
	for (unsigned k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3fu);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp < 0xa0)
		return 0;
	return len;
}

size_t log_escape(const char *in, char *out, size_t size)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t len = 0, n;

	while (*s) {
		n = *s >= 0x20 && *s < 0x7f ? 1 : *s >= 0x80 ? utf8_printable(s) : 0;
		if (len + (n ? n : 4) >= size)
			break;	/* cut between characters, never inside one */
		if (n) {
			memcpy(out + len, s, n);
			len += n;
			s += n;
		} else {
			snprintf(out + len, 5, "\\x%02x", *s++);
			len += 4;
		}
	}
	if (size)
		out[len] = '\0';
	return len;
}

static void log_to_kmsg(int priority, const char *text)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "<%d>%s: %s\n",
			 LOG_DAEMON | priority, log_ident, text);

	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	if (kmsg_fd < 0 || write(kmsg_fd, line, (size_t)n) < 0)
		dprintf(STDERR_FILENO, "%s", line + strcspn(line, ">") + 1);
}

static void vlog(int priority, int to_console, const char *fmt, va_list ap)
{
	char raw[900], text[900];

	if (priority > log_max)
		return;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	/* Much of what is logged comes from the network (SSIDs, DHCP options):
	 * an ESC, BEL or CR must not reach the serial console as such. */
	log_escape(raw, text, sizeof(text));
	if (log_sinks & LOG_SINK_SYSLOG)
		log_to_syslog(priority, text);
	if (log_sinks & LOG_SINK_KMSG)
		log_to_kmsg(priority, text);
	if ((log_sinks & LOG_SINK_STDERR) && (priority <= stderr_max || to_console))
		dprintf(STDERR_FILENO, "%s: %s\n", log_ident, text);
}

void log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(priority, 0, fmt, ap);
	va_end(ap);
}

void log_console(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_NOTICE, 1, fmt, ap);
	va_end(ap);
}
