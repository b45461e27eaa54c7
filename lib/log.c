#include "log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *log_ident = "wifibox";
static unsigned log_sinks = LOG_SINK_STDERR;
static int log_max = LOG_INFO;
static int stderr_max = LOG_DEBUG;
static int kmsg_fd = -1;

void log_open(const char *ident, unsigned sinks)
{
	log_ident = ident;
	log_sinks = sinks;
	if (sinks & LOG_SINK_SYSLOG)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
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
		syslog(priority, "%s", text);
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
