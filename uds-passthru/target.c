/* The daemon's control socket behind each port: there, gone, refusing,
 * or bound anew by a new instance. */
#include "guest-int.h"
#include "log.h"
#include "sock.h"
#include "sys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Connections that talked to an instance that is gone. A raw monitor's
 * socket is parked rather than closed: it is ATTACHed again to the next
 * instance (see mon_reattach). */
static void target_reset_talkers(struct target *t)
{
	for (struct conn *c = t->conns; c; c = c->next) {
		if (!c->talked || c->closing || c->r.closing_now)
			continue;
		if (c->mode == MODE_RAW && c->monitor && c->dg.fd >= 0)
			mon_park(c);
		conn_reset(c);
	}
}

static void target_new_instance(struct target *t, const struct stat *st)
{
	t->state = DAEMON_LIVE;
	t->dev = st->st_dev;
	t->ino = st->st_ino;
	t->generation++;
	log_info("%s is there: bridging port %u to it", t->cfg->path, t->cfg->port);
	target_reset_talkers(t);
	mon_reattach_all(t);
	for (struct conn *c = t->conns; c; c = c->next) {
		if (c->closing || c->r.closing_now)
			continue;
		conn_attach(c);
		conn_send_requests(c);
		conn_update(c);
	}
}

static void target_gone(struct target *t)
{
	t->state = DAEMON_ABSENT;
	log_info("%s is gone: waiting for it to come back", t->cfg->path);
	target_reset_talkers(t);
}

/* The socket file is there but nobody receives on it (a daemon killed
 * without cleaning up): wait for the next instance to replace it. */
void target_refused(struct target *t)
{
	if (t->state != DAEMON_LIVE)
		return;
	t->state = DAEMON_DEAD;
	log_info("%s refuses datagrams (daemon not running?): waiting for a new one", t->cfg->path);
	target_reset_talkers(t);
	for (struct conn *c = t->conns; c; c = c->next)
		c->generation = 0;
}

/* Whether the socket file is still the instance we know. An inode number
 * alone does not prove it (tmpfs reuses them at once), so an event that
 * the name was bound anew wins, and a refusing file is probed. */
static int same_instance(struct target *t, const struct stat *st)
{
	int recreated = t->recreated;

	t->recreated = 0;
	if (t->state == DAEMON_ABSENT || recreated || st->st_ino != t->ino || st->st_dev != t->dev)
		return 0;
	return t->state == DAEMON_LIVE || sock_unix_probe(t->cfg->path) < 0;
}

static void target_scan(struct target *t)
{
	struct stat st;

	if (stat(t->cfg->path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		if (!same_instance(t, &st))
			target_new_instance(t, &st);
	} else if (t->state != DAEMON_ABSENT) {
		target_gone(t);
	}
}

/* Watches the socket's directory, or the nearest ancestor that exists
 * when it does not yet (wpa_supplicant creates its directory itself). */
static void watch_target(struct target *t)
{
	char dir[UDSP_MAX_PATH + 1];
	char *slash;
	int wd;

	strcpy(dir, t->cfg->path);
	t->wd = -1;
	for (int own = 1; (slash = strrchr(dir, '/')); own = 0) {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		wd = sys_watch_dir(g.watch.fd, dir);
		if (wd >= 0 && own)
			t->wd = wd;
		if (wd >= 0 || slash == dir)
			return;
	}
}

void target_rescan_all(void)
{
	for (size_t i = 0; i < g.n_targets; i++) {
		if (g.watch.fd >= 0)
			watch_target(&g.targets[i]);
		target_scan(&g.targets[i]);
	}
}

static void watch_event(int wd, const char *name, int created)
{
	for (size_t i = 0; i < g.n_targets; i++) {
		struct target *t = &g.targets[i];
		const char *base = strrchr(t->cfg->path, '/') + 1;

		if (created && wd == t->wd && strcmp(name, base) == 0)
			t->recreated = 1;
	}
}

void target_watch_ready(struct ev_fd *f, short revents)
{
	(void)revents;
	if (sys_watch_drain(f->fd, watch_event))
		target_rescan_all();
}

/* Without inotify: look again while some request waits for a socket. */
void target_recheck(struct ev_timer *t)
{
	target_rescan_all();
	for (size_t i = 0; i < g.n_targets; i++)
		for (struct conn *c = g.targets[i].conns; c; c = c->next)
			if (c->to_daemon.count && g.targets[i].state != DAEMON_LIVE) {
				ev_timer_at(t, ev_now_ms() + RECHECK_MS, target_recheck);
				return;
			}
}

