#include "guest-int.h"
#include "evloop.h"
#include "exitcodes.h"
#include "frame.h"
#include "fsutil.h"
#include "hostaddr.h"
#include "log.h"
#include "queue.h"
#include "sock.h"
#include "stats.h"
#include "sys.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

struct guest_state g;

static void accept_resume(struct ev_timer *t)
{
	(void)t;
	for (size_t i = 0; i < g.n_targets; i++)
		ev_fd_events(&g.targets[i].listen, POLLIN);
}

/* Out of descriptors: stop accepting for a second rather than spin. */
static void accept_pause(int err)
{
	log_limited(&g.rl_accept, LOG_ERR, "accept: %s: not accepting for a second", strerror(err));
	for (size_t i = 0; i < g.n_targets; i++)
		ev_fd_events(&g.targets[i].listen, 0);
	ev_timer_at(&g.accept_pause, ev_now_ms() + 1000, accept_resume);
}

/* In bridged mode the host is on the Wi-Fi network's subnet, not the
 * host link's: netd names its address, and only that peer is let in. */
static int is_bridged_host(struct in_addr peer)
{
	struct in_addr host;

	return hostaddr_read(g.hostaddr_file, &host) == 0 && host.s_addr == peer.s_addr;
}

static void accept_one(struct target *t, int fd, const struct sockaddr_in *peer)
{
	char text[32];

	if (!sock_in_subnet(peer->sin_addr, g.addr, g.mask) && !is_bridged_host(peer->sin_addr)) {
		udsp_stats.refused++;
		sock_in_text(peer, text, sizeof(text));
		log_limited(&g.rl_refused, LOG_WARNING, "port %u: refused %s: not in the host network",
			    t->cfg->port, text);
		close(fd);
	} else if (g.n_conns >= MAX_CONNS) {
		udsp_stats.over_limit++;
		log_limited(&g.rl_full, LOG_WARNING, "port %u: refused a connection: already %d open",
			    t->cfg->port, MAX_CONNS);
		close(fd);
	} else if (sock_nonblock_cloexec(fd) < 0) {
		close(fd);
	} else {
		conn_new(t, fd, peer);
	}
}

static void listen_ready(struct ev_fd *f, short revents)
{
	struct target *t = container_of(f, struct target, listen);

	(void)revents;
	for (int i = 0; i < 32; i++) {
		struct sockaddr_in peer = { 0 };
		socklen_t len = sizeof(peer);
		int fd = accept(f->fd, (struct sockaddr *)&peer, &len);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				accept_pause(errno);
			return;
		}
		if (len < sizeof(peer) || peer.sin_family != AF_INET) {
			close(fd);
			continue;
		}
		accept_one(t, fd, &peer);
	}
}

/* ---- start and stop ---- */

static int prepare_rundir(const char *dir)
{
	struct stat st = { 0 };
	struct dirent *e;
	DIR *d;
	char path[UDSP_MAX_PATH + 1];
	int rc;

	/* "/PORT.PID-START.SEQ": 1 + 5 + 1 + 7 + 1 + 8 + 1 + 10 */
	if (strlen(dir) > UDSP_MAX_PATH - 34) {
		log_err("%s: too long for socket paths", dir);
		return -ENAMETOOLONG;
	}
	rc = mkdir_p(dir, 0700);
	if (rc == 0 && lstat(dir, &st) < 0)
		rc = -errno;
	if (rc < 0) {
		log_err("creating %s: %s", dir, strerror(-rc));
		return rc;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
		log_err("%s: not a directory of ours: refusing to put client sockets there", dir);
		return -EPERM;
	}
	chmod(dir, 0700);
	/* Sockets left by an instance that was killed. */
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
			unlink(path);
	}
	if (d)
		closedir(d);
	return 0;
}

static int resolve_network(const struct guest_opts *o, const struct udsp_config *cfg)
{
	char ip[INET_ADDRSTRLEN], mask[INET_ADDRSTRLEN];
	int rc;

	if (cfg->has_network) {
		g.addr = cfg->addr;
		g.mask = cfg->mask;
		return 0;
	}
	rc = sys_if_network(o->ifname, &g.addr, &g.mask);
	if (rc == -ENOSYS) {
		log_err("%s: network is not set: expected network=IP:MASK", o->config_path);
		return EXIT_CONFIG;
	}
	if (rc < 0) {
		log_err("%s: network is not set and %s has no IPv4 address (%s): trying again later",
			o->config_path, o->ifname, strerror(-rc));
		return EXIT_SYSTEM;
	}
	inet_ntop(AF_INET, &g.addr, ip, sizeof(ip));
	inet_ntop(AF_INET, &g.mask, mask, sizeof(mask));
	log_info("network is not set: using %s's address, %s:%s", o->ifname, ip, mask);
	return 0;
}

static int open_listeners(const struct udsp_config *cfg)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &g.addr, ip, sizeof(ip));
	for (size_t i = 0; i < cfg->n_sockets; i++) {
		struct target *t = &g.targets[i];
		int fd = sock_tcp_listen(g.addr, cfg->sockets[i].port, 1);

		if (fd < 0) {
			log_err("listening on %s:%u for %s: %s", ip, cfg->sockets[i].port,
				cfg->sockets[i].path, strerror(-fd));
			return -1;
		}
		t->cfg = &cfg->sockets[i];
		t->wd = -1;
		ev_fd_add(&t->listen, fd, POLLIN, listen_ready);
		g.n_targets++;
		log_info("listening on %s:%u for %s", ip, t->cfg->port, t->cfg->path);
	}
	return 0;
}

static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 2 * MAX_CONNS + 64) {
		rl.rlim_cur = rl.rlim_max < 2 * MAX_CONNS + 64 ? rl.rlim_max : 2 * MAX_CONNS + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void shut_down(void)
{
	for (size_t i = 0; i < g.n_targets; i++) {
		struct target *t = &g.targets[i];

		while (t->conns)
			conn_free(t->conns);
		mon_drop_all(t);
		ev_fd_del(&t->listen);
		close(t->listen.fd);
	}
	if (g.watch.fd >= 0) {
		ev_fd_del(&g.watch);
		close(g.watch.fd);
	}
	stats_log("stopping");
}

int guest_run(const struct guest_opts *o, const struct udsp_config *cfg)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGUSR1 };
	int rc;

	g.rundir = o->rundir;
	g.hostaddr_file = o->hostaddr_file;
	/* a pid may come back in a later instance; with its start time, not */
	snprintf(g.instance, sizeof(g.instance), "%d-%x", (int)getpid(), (unsigned)ev_now_ms());
	g.budget.limit = TOTAL_QUEUE_LIMIT;
	g.recheck.cb = target_recheck;
	signal(SIGPIPE, SIG_IGN);
	/* Client sockets: for the daemons (root) only. */
	umask(077);
	raise_fd_limit();
	rc = resolve_network(o, cfg);
	if (rc)
		return rc;
	if (prepare_rundir(o->rundir) < 0 || ev_signals(sigs, 3, stats_on_signal) < 0)
		return EXIT_SYSTEM;
	g.watch.fd = sys_watch_open();
	if (g.watch.fd >= 0)
		ev_fd_add(&g.watch, g.watch.fd, POLLIN, target_watch_ready);
	if (open_listeners(cfg) < 0) {
		shut_down();
		return EXIT_SYSTEM;
	}
	target_rescan_all();
	for (size_t i = 0; i < g.n_targets; i++)
		if (g.targets[i].state == DAEMON_ABSENT)
			log_info("%s is not there yet: waiting for it", g.targets[i].cfg->path);
	rc = ev_run();
	shut_down();
	if (rc < 0) {
		log_err("poll: %s", strerror(errno));
		return EXIT_SYSTEM;
	}
	return 0;
}

