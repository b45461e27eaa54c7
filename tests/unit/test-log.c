/* lib/log: every line is made safe for a terminal before it goes out. */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

static char captured[4096];

/* What one log_err call writes to stderr (the console, for a daemon). */
static const char *logged(const char *text)
{
	int mem = memfd_create("log", 0), saved = dup(STDERR_FILENO);
	ssize_t n;

	dup2(mem, STDERR_FILENO);
	log_err("%s", text);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(mem, captured, sizeof(captured) - 1, 0);
	close(mem);
	captured[n > 0 ? n : 0] = '\0';
	return captured;
}

TEST(log_escapes_terminal_controls_from_the_network)
{
	log_open("t", LOG_SINK_STDERR);
	/* clear screen, set the title, bell, carriage return over the line */
	CHECK_STR(logged("search '\x1b[2J\x1b]0;pwned\x07x\rroot#'"),
		  "t: search '\\x1b[2J\\x1b]0;pwned\\x07x\\x0droot#'\n");
	CHECK_STR(logged("tab\there, del\x7f, newline\nforged: line"),
		  "t: tab\\x09here, del\\x7f, newline\\x0aforged: line\n");
}

TEST(log_keeps_utf8_but_not_c1_controls_or_broken_bytes)
{
	log_open("t", LOG_SINK_STDERR);
	CHECK_STR(logged("SSID Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb6"),
		  "t: SSID Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb6\n");
	/* CSI as UTF-8 (U+009B) and as a lone 8-bit byte; an overlong '/' */
	CHECK_STR(logged("a\xc2\x9b" "2Jb\x9b" "2Jc\xc0\xaf"),
		  "t: a\\xc2\\x9b2Jb\\x9b2Jc\\xc0\\xaf\n");
	/* a sequence cut short, and a surrogate */
	CHECK_STR(logged("\xe2\x82 \xed\xa0\x80"), "t: \\xe2\\x82 \\xed\\xa0\\x80\n");
}

TEST(log_escape_cuts_between_characters)
{
	char out[8];

	CHECK_INT(log_escape("ab\x1b" "cd", out, sizeof(out)), 7);
	CHECK_STR(out, "ab\\x1bc");
	CHECK_INT(log_escape("abcde\x1b", out, sizeof(out)), 5);
	CHECK_STR(out, "abcde");
	CHECK_INT(log_escape("abcde\xc3\xa9", out, 7), 5);
	CHECK_STR(out, "abcde");
}

/* A syslogd of our own: a datagram socket at a path in a fresh directory. */
static char syslogd_dir[64], syslogd_path[96];

static void syslogd_path_new(void)
{
	snprintf(syslogd_dir, sizeof(syslogd_dir), "/tmp/test-log.XXXXXX");
	CHECK(mkdtemp(syslogd_dir) != NULL);
	snprintf(syslogd_path, sizeof(syslogd_path), "%s/log", syslogd_dir);
}

static int syslogd_listen(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", syslogd_path);
	unlink(syslogd_path);
	CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	return fd;
}

/* The next datagram, with the header's pid dropped: "<27>t: a". */
static const char *received(int fd)
{
	static char line[1100];
	static char raw[1100];
	char *pid, *end;
	ssize_t n = recv(fd, raw, sizeof(raw) - 1, 0);

	if (n < 0)
		return "(nothing)";
	raw[n] = '\0';
	pid = strchr(raw, '[');
	end = pid ? strstr(pid, "]: ") : NULL;
	if (!pid || !end)
		return raw;
	snprintf(line, sizeof(line), "%.*s%s", (int)(pid - raw), raw, end + 1);
	return line;
}

/* A syslogd process: each datagram read from fd, pid dropped, as a line
 * on pipe_fds[1], until "t: drain". */
static pid_t syslogd_reader(int fd, int pipe_fds[2])
{
	pid_t pid;

	CHECK(pipe(pipe_fds) == 0);
	pid = fork();
	if (pid == 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		close(pipe_fds[0]);
		for (;;) {
			const char *line = received(fd);

			if (!strcmp(line, "(nothing)")) {
				if (poll(&p, 1, 5000) <= 0)
					_exit(1);
				continue;
			}
			dprintf(pipe_fds[1], "%s\n", line);
			if (strstr(line, "t: drain"))
				_exit(0);
		}
	}
	CHECK(pid > 0);
	close(fd);
	return pid;
}

/* "<27>Dec  6 05:18:54 t: a": RFC 3164's timestamp, as syslogd takes it. */
static int has_own_time(const char *line)
{
	const char *p = strchr(line, '>');

	return p && strlen(p + 1) > 16 && p[4] == ' ' && p[7] == ' ' && p[10] == ':' &&
	       p[13] == ':' && p[16] == ' ';
}

TEST(log_lines_wait_for_syslogd_in_order_with_their_own_time)
{
	int fd;
	const char *line;

	syslogd_path_new();
	log_set_syslog_path(syslogd_path);
	log_open("t", LOG_SINK_SYSLOG);
	log_err("first");
	log_warn("second");
	fd = syslogd_listen();
	log_err("third, once syslogd listens");
	line = received(fd);
	CHECK(has_own_time(line));
	CHECK_STR(has_own_time(line) ? line + 19 : line, " t: first");
	line = received(fd);
	CHECK(has_own_time(line));
	CHECK_STR(has_own_time(line) ? line + 19 : line, " t: second");
	CHECK_STR(received(fd), "<27>t: third, once syslogd listens");
	CHECK_STR(received(fd), "(nothing)");
	close(fd);
	unlink(syslogd_path);
	rmdir(syslogd_dir);
}

TEST(log_a_restarted_syslogd_gets_the_next_line)
{
	int fd;

	syslogd_path_new();
	log_set_syslog_path(syslogd_path);
	fd = syslogd_listen();
	log_open("t", LOG_SINK_SYSLOG);
	log_err("before");
	CHECK_STR(received(fd), "<27>t: before");
	close(fd);
	fd = syslogd_listen();	/* syslogd restarted: a new socket at the same path */
	log_err("after");
	CHECK_STR(received(fd), "<27>t: after");
	close(fd);
	unlink(syslogd_path);
	rmdir(syslogd_dir);
}

TEST(log_lines_syslogd_never_takes_go_to_the_kernel_log_not_nowhere)
{
	int mem = memfd_create("log", 0), saved = dup(STDERR_FILENO), k, lines = 0, pipe_fds[2];
	char *out = malloc(1 << 16), *p, got[1100];
	FILE *collected;
	ssize_t n;

	syslogd_path_new();
	log_set_syslog_path(syslogd_path);
	log_open("t", LOG_SINK_SYSLOG);
	dup2(mem, STDERR_FILENO);	/* without /dev/kmsg, the kernel log's stand-in */
	for (k = 0; k < 400; k++)
		log_err("line %03d, waiting for a syslogd that never comes", k);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(mem, out, (1 << 16) - 1, 0);
	close(mem);
	out[n > 0 ? n : 0] = '\0';
	/* The buffer held what it could; the oldest went out, all of them, in order. */
	for (p = out; (p = strstr(p, "line ")) != NULL; p++) {
		char want[32];

		snprintf(want, sizeof(want), "line %03d", lines);
		CHECK(strncmp(p, want, strlen(want)) == 0);
		lines++;
	}
	CHECK(lines > 100 && lines < 400);
	/* The rest waited, and reach a syslogd that comes after all: none lost.
	 * That syslogd is a process of its own, as the real one is: the
	 * waiting lines fill its queue faster than one process could drain it. */
	mem = syslogd_listen();
	k = syslogd_reader(mem, pipe_fds);
	log_err("drain");
	close(pipe_fds[1]);
	collected = fdopen(pipe_fds[0], "r");
	while (fgets(got, sizeof(got), collected) && !strstr(got, "t: drain")) {
		char want[32];

		snprintf(want, sizeof(want), " t: line %03d", lines);
		CHECK_CONTAINS(got, want);
		lines++;
	}
	fclose(collected);
	waitpid(k, NULL, 0);
	CHECK_INT(lines, 400);
	unlink(syslogd_path);
	free(out);
	rmdir(syslogd_dir);
}
