/* Logging: syslog with a level, and optionally a copy on stderr. */
#ifndef WB_LOG_H
#define WB_LOG_H

#include <stddef.h>
#include <syslog.h>

enum log_sink {
	LOG_SINK_SYSLOG = 1,	/* syslogd's /dev/log, the normal place; lines wait
				 * in order until syslogd is there */
	LOG_SINK_STDERR = 2,	/* also stderr: tools and tests */
	LOG_SINK_KMSG = 4,	/* /dev/kmsg instead of syslog: init, before syslogd runs */
};

void log_open(const char *ident, unsigned sinks);
void log_set_level(int max_priority);
/* Where syslogd listens (default /dev/log): for tests. */
void log_set_syslog_path(const char *path);
/* Caps what also goes to stderr (the console), below the overall level:
 * a daemon logs everything to syslog and the few lines a person needs to
 * the console. Default: no extra cap. */
void log_set_stderr_level(int max_priority);
void log_msg(int priority, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A notice that also goes to stderr whatever its cap: the few lines a
 * person at the console needs (the mode, the link found, the network
 * joined, the uplink address), next to the errors. */
void log_console(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copies in to out (size bytes, NUL included) with every control
 * character (C0, DEL, C1) and every byte that is not part of valid UTF-8
 * written as \xNN; printable ASCII and UTF-8 pass. Cut between characters
 * when out is full. Returns the length. log_msg applies it to every line,
 * so that nothing from the network can drive a terminal. */
size_t log_escape(const char *in, char *out, size_t size);

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
