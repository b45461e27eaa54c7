/* The user's own iptables and ip6tables files (iptables-restore form, the
 * contract's config/iptables), loaded once per boot on top of netd's
 * chains, one after the other, with the tool's complaints turned into
 * "file:line: why" by the firewall module. While a tool runs, netd does
 * not reprogram the tables: both replace whole tables. */
#include "netd.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "firewall.h"
#include "log.h"
#include "paths.h"

#define fu netd.fwuser

static void run_next(void);

static void close_output(void)
{
	if (fu.out.fd < 0)
		return;
	loop_fd_del(&fu.out);
	close(fu.out.fd);
	fu.out.fd = -1;
}

/* The tool's output; what does not fit is dropped (the first lines hold
 * the reason). */
static void output_readable(struct loop_fd *lfd, uint32_t events)
{
	char scratch[512];

	/* buf keeps one byte for the NUL */
	ssize_t n;

	(void)events;
	for (;;) {
		size_t room = sizeof(fu.buf) - 1 - fu.len;

		n = read(lfd->fd, room ? fu.buf + fu.len : scratch, room ? room : sizeof(scratch));
		if (n <= 0)
			break;
		if (room)
			fu.len += (size_t)n;
	}
	fu.buf[fu.len] = '\0';
	if (n == 0 || (n < 0 && errno != EAGAIN))
		close_output();
}

static void tool_exited(struct proc *p, int wstatus)
{
	(void)p;
	if (fu.out.fd >= 0)
		output_readable(&fu.out, EPOLLIN);
	close_output();
	fw_user_rules_done(&fu.u, wstatus, fu.buf, fu.len);
	fu.running = 0;
	fu.next++;
	run_next();
	if (!fu.running)
		netd_update_firewall();	/* what waited for the tool */
}

static int start_job(const char *program, const char *path, const char *stamp)
{
	int rc = fw_user_rules_prepare(&fu.u, program, path, stamp), fd;

	if (rc != 1)
		return 0;
	fu.len = 0;
	fu.buf[0] = '\0';
	if (proc_spawn_output(&fu.proc, fu.u.argv, &fd) < 0) {
		netd_error(ERR_HELPER_FAILED, "loading %s: %s could not be started", path, program);
		return 0;
	}
	log_info("loading the user's rules from %s", path);
	fu.running = 1;
	fu.out.fd = fd;
	fu.out.cb = output_readable;
	if (fd >= 0 && loop_fd_add(&fu.out, EPOLLIN) < 0)
		close_output();
	return 1;
}

static void run_next(void)
{
	const char *programs[] = { paths.iptables_restore, paths.ip6tables_restore };
	const char *files[] = { paths.iptables_user, paths.ip6tables_user };
	const char *stamps[] = { paths.iptables_stamp, paths.ip6tables_stamp };

	for (; fu.next < 2; fu.next++)
		if (start_job(programs[fu.next], files[fu.next], stamps[fu.next]))
			return;
}

void fwuser_start(void)
{
	if (fu.started)
		return;
	fu.started = 1;
	fu.out.fd = -1;
	fu.proc.name = "iptables-restore";
	fu.proc.exited = tool_exited;
	run_next();
}

int fwuser_running(void)
{
	return fu.running;
}
