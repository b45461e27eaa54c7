/* The user's own iptables-restore file: the command that loads it on top
 * of netd's chains, and its error output turned into "file:line: why". */
#include "firewall.h"
#include "fsutil.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int copy(char *dst, size_t size, const char *src)
{
	return snprintf(dst, size, "%s", src) < (int)size ? 0 : -1;
}

int fw_user_rules_prepare(struct fw_user_rules *u, const char *program,
			  const char *path, const char *stamp)
{
	struct stat st;

	memset(u, 0, sizeof(*u));
	if (copy(u->program, sizeof(u->program), program) < 0 ||
	    copy(u->path, sizeof(u->path), path) < 0 || copy(u->stamp, sizeof(u->stamp), stamp) < 0) {
		log_err("firewall: user rules %s: path too long", path);
		return -1;
	}
	if (stat(path, &st) < 0) {
		if (errno != ENOENT)
			log_err("firewall: cannot read the user rules %s: %s", path, strerror(errno));
		return 0;
	}
	if (access(stamp, F_OK) == 0) {
		log_info("firewall: %s was loaded earlier this boot: not loaded again", path);
		return 0;
	}
	/* --noflush: add to the tables, never flush them (netd's chains
	 * included); -w: wait for the xtables lock rather than fail. */
	u->argv[0] = u->program;
	u->argv[1] = "--noflush";
	u->argv[2] = "--wait=10";
	u->argv[3] = u->path;
	u->argv[4] = NULL;
	return 1;
}

/* The first line of the tool's output that says what went wrong, with its
 * "iptables-restore v1.8.9 (legacy): " prefix removed. */
static void find_reason(const char *out, char *buf, size_t size)
{
	const char *line = out, *end, *colon;

	buf[0] = '\0';
	for (; *line; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (end == line || !strncmp(line, "Error occurred at line", 22) ||
		    !strncmp(line, "Try `", 5))
			continue;
		colon = strstr(line, "): ");
		if (colon && colon < end && !strncmp(line, "ip", 2))
			line = colon + 3;
		snprintf(buf, size, "%.*s", (int)(end - line), line);
		return;
	}
}

/* "Error occurred at line: N" (parse errors) or "line N failed" (the
 * kernel refused a COMMIT); 0 when the output names no line. */
static unsigned find_line(const char *out)
{
	const char *p = strstr(out, "Error occurred at line: ");
	unsigned n = 0;

	if (p)
		return (unsigned)strtoul(p + 24, NULL, 10);
	p = strstr(out, ": line ");
	if (p && sscanf(p, ": line %u failed", &n) == 1)
		return n;
	return 0;
}

static void exit_text(int wstatus, char *buf, size_t size)
{
	if (WIFEXITED(wstatus))
		snprintf(buf, size, "exit status %d", WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		snprintf(buf, size, "killed by signal %d", WTERMSIG(wstatus));
	else
		snprintf(buf, size, "status 0x%x", (unsigned)wstatus);
}

void fw_user_rules_explain(const struct fw_user_rules *u, int wstatus,
			   const char *output, size_t len, char *buf, size_t size)
{
	char text[4096], reason[512], status[64], where[300];
	unsigned line;

	snprintf(text, sizeof(text), "%.*s", (int)(len < sizeof(text) ? len : sizeof(text) - 1),
		 output ? output : "");
	find_reason(text, reason, sizeof(reason));
	line = find_line(text);
	exit_text(wstatus, status, sizeof(status));
	if (line)
		snprintf(where, sizeof(where), "%s:%u", u->path, line);
	else
		snprintf(where, sizeof(where), "%s", u->path);
	snprintf(buf, size, "%s: %s (%s, %s); tables committed before the error stay "
		 "loaded, netd's own rules are unchanged", where,
		 *reason ? reason : "no message", u->argv[0] ? u->argv[0] : u->program, status);
}

static void write_stamp(const struct fw_user_rules *u)
{
	char dir[sizeof(u->stamp)], *slash;
	int rc;

	snprintf(dir, sizeof(dir), "%s", u->stamp);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir_p(dir, 0755);
	}
	rc = write_file_atomic(u->stamp, "loaded\n", 7, 0644);
	if (rc < 0)
		log_warn("firewall: cannot write %s (%s): a netd restart would load %s again",
			 u->stamp, strerror(-rc), u->path);
}

int fw_user_rules_done(const struct fw_user_rules *u, int wstatus,
		       const char *output, size_t len)
{
	char msg[1024];

	write_stamp(u);
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
		log_info("firewall: user rules %s loaded", u->path);
		return 0;
	}
	fw_user_rules_explain(u, wstatus, output, len, msg, sizeof(msg));
	log_err("%s", msg);
	return -1;
}
