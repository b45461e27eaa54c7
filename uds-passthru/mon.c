/* Parked monitors. socat's host side opens a connection per datagram and
 * closes it half a second later: an ATTACHed client socket would die with
 * it, and events never reach the host. So a raw connection's socket that the daemon
 * ATTACHed outlives the connection, parked, collecting events; the next
 * raw PING or DETACH (wpa_cli -a and wpa_gui PING every 5 s on that very
 * client socket) takes it over and gets its reply first, then the events,
 * which wpa_ctrl tells apart (events start with '<'). The daemon treats
 * attached sockets alike, so which parked one a PING takes is no matter.
 * A parked socket holds events only: a reply belongs to the connection
 * that asked, and dies with it. */
#include "guest-int.h"
#include "log.h"
#include "sock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void mon_free(struct mon *m)
{
	struct target *t = m->t;

	ev_timer_cancel(&m->timer);
	if (m->dg.fd >= 0) {
		ev_fd_del(&m->dg);
		close(m->dg.fd);
		unlink(m->path);
	}
	queue_clear(&m->events);
	if (m->prev)
		m->prev->next = m->next;
	else
		t->mons = m->next;
	if (m->next)
		m->next->prev = m->prev;
	t->n_mons--;
	free(m);
}

static struct mon *oldest_mon(const struct target *t)
{
	struct mon *m = t->mons;

	while (m && m->next)
		m = m->next;
	return m;
}

static void mon_expired(struct ev_timer *tm)
{
	struct mon *m = container_of(tm, struct mon, timer);

	log_debug("%s: no PING claimed a parked monitor in %d s: closed", m->t->cfg->path,
		  PARK_MS / 1000);
	mon_free(m);
}

/* The answer to the ATTACH that mon_reattach sent is the bridge's own
 * business: the client never asked. 0 if m was freed. */
static int reattach_answer(struct mon *m, const unsigned char *data, size_t len)
{
	if (len >= 2 && memcmp(data, "OK", 2) == 0) {
		m->reattach = 0;
		return 1;
	}
	log_info("%s: a parked monitor could not ATTACH again: closed", m->t->cfg->path);
	mon_free(m);
	return 0;
}

static void mon_ready(struct ev_fd *f, short revents)
{
	struct mon *m = container_of(f, struct mon, dg);

	(void)revents;
	for (int i = 0; i < 64; i++) {
		ssize_t n = sock_recv_dgram(f->fd, g.buf, UDSP_DGRAM_MAX + 1, NULL, NULL);

		if (n == -EMSGSIZE) {
			udsp_stats.oversize++;
			continue;
		}
		if (n < 0)
			return;
		if (m->reattach && !is_event(g.buf, (size_t)n)) {
			if (!reattach_answer(m, g.buf, (size_t)n))
				return;
			continue;
		}
		/* The answer to a request whose connection has closed: the
		 * next client to claim this socket did not ask for it. */
		if (!is_event(g.buf, (size_t)n)) {
			udsp_stats.orphan_replies++;
			log_debug("%s: a reply reached parked monitor %s after its client had gone: dropped",
				  m->t->cfg->path, m->path);
			continue;
		}
		if (queue_push(&m->events, NULL, 0, g.buf, (size_t)n, 0) < 0) {
			udsp_stats.dropped++;
			log_limited(&g.rl_drop, LOG_WARNING,
				    "%s: event dropped: no PING came to collect the parked ones",
				    m->t->cfg->path);
		}
	}
}

void mon_park(struct conn *c)
{
	struct target *t = c->t;
	struct mon *m;

	if (t->n_mons >= MAX_PARKED)
		mon_free(oldest_mon(t));
	m = calloc(1, sizeof(*m));
	if (!m)
		return;
	m->t = t;
	strcpy(m->path, c->path);
	m->generation = c->generation;
	queue_init(&m->events, MON_QUEUE_LIMIT, &g.budget);
	/* Only events wait for the next PING: a reply still queued was the
	 * closing connection's, and no other client may be handed it. */
	udsp_stats.orphan_replies += queue_drop_if(&c->r.to_tcp, chunk_is_reply);
	udsp_stats.dropped += queue_splice(&m->events, &c->r.to_tcp);
	ev_fd_del(&c->dg);
	ev_fd_add(&m->dg, c->dg.fd, POLLIN, mon_ready);
	c->dg.fd = -1;
	m->next = t->mons;
	if (t->mons)
		t->mons->prev = m;
	t->mons = m;
	t->n_mons++;
	ev_timer_at(&m->timer, ev_now_ms() + PARK_MS, mon_expired);
	log_debug("%s: ATTACHed client socket %s parked for the next PING", c->peer, m->path);
}

/* The daemon restarted: whoever parked this monitor still waits for
 * events, so it is ATTACHed to the new instance from the same socket. */
static void mon_reattach(struct mon *m)
{
	struct target *t = m->t;

	if (sock_unix_connect(m->dg.fd, t->cfg->path) < 0 || send(m->dg.fd, "ATTACH", 6, 0) < 0) {
		log_info("%s: a parked monitor could not reach the new instance: closed", t->cfg->path);
		mon_free(m);
		return;
	}
	m->generation = t->generation;
	m->reattach = 1;
	log_debug("%s: parked monitor %s ATTACHed to the new instance", t->cfg->path, m->path);
}

/* Gives c the oldest parked monitor of the daemon instance in use. */
void mon_claim(struct conn *c)
{
	struct target *t = c->t;
	struct mon *m = NULL;

	if (t->state != DAEMON_LIVE)
		return;
	/* The oldest one ATTACHed to this instance. */
	for (struct mon *x = t->mons; x; x = x->next)
		if (!x->reattach && x->generation == t->generation)
			m = x;
	if (!m)
		return;
	conn_close_dgram(c);
	strcpy(c->path, m->path);
	ev_fd_del(&m->dg);
	ev_fd_add(&c->dg, m->dg.fd, POLLIN, conn_dg_ready);
	m->dg.fd = -1;
	c->generation = m->generation;
	c->talked = 1;
	c->monitor = 1;
	queue_splice(&c->r.to_tcp, &m->events);
	mon_free(m);
}

void mon_drop_all(struct target *t)
{
	while (t->mons)
		mon_free(t->mons);
}

static int is_command(const unsigned char *data, size_t len, const char *cmd)
{
	size_t n = strlen(cmd);

	return len >= n && memcmp(data, cmd, n) == 0 && (len == n || data[n] == ' ');
}

int is_event(const unsigned char *data, size_t len)
{
	return (len > 0 && data[0] == '<') || (len > 6 && memcmp(data, "IFNAME=", 7) == 0);
}

int chunk_is_event(const struct chunk *ch)
{
	return is_event(ch->data, ch->len);
}

int chunk_is_reply(const struct chunk *ch)
{
	return !chunk_is_event(ch);
}

void mon_note_command(struct conn *c, const unsigned char *data, size_t len)
{
	if (is_command(data, len, "ATTACH")) {
		c->attach_pending = 1;
	} else if (is_command(data, len, "PING") || is_command(data, len, "DETACH")) {
		c->detach_pending = is_command(data, len, "DETACH");
		if (!c->talked)
			mon_claim(c);
	}
}

void mon_reattach_all(struct target *t)
{
	for (struct mon *m = t->mons, *next; m; m = next) {
		next = m->next;
		mon_reattach(m);
	}
}
