#include "log.h"

#include <fcntl.h>
#include <stdarg.h>
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

void log_msg(int priority, const char *fmt, ...)
{
	char text[900];
	va_list ap;

	if (priority > log_max)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (log_sinks & LOG_SINK_SYSLOG)
		syslog(priority, "%s", text);
	if (log_sinks & LOG_SINK_KMSG)
		log_to_kmsg(priority, text);
	if ((log_sinks & LOG_SINK_STDERR) && priority <= stderr_max)
		dprintf(STDERR_FILENO, "%s: %s\n", log_ident, text);
}
