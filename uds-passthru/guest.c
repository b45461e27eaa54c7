#include "guest.h"
#include "evloop.h"
#include "exitcodes.h"
#include "frame.h"
#include "fsutil.h"
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

/* Each connection holds two descriptors; 512 of them fit in the usual
 * hard limit of 4096 and cover socat's host side, which opens one
 * connection per request and keeps each for half a second. */
#define MAX_CONNS 512
#define CONN_QUEUE_LIMIT (64 * 1024)	/* replies and events not yet sent */
#define REQUEST_QUEUE_LIMIT (32 * 1024)	/* requests the daemon did not take yet */
#define TOTAL_QUEUE_LIMIT (4 * 1024 * 1024)
#define DETECT_MS 10000		/* a new connection must send something by then */
#define WAIT_DAEMON_MS 10000	/* as long as wpa_cli waits for a reply */
#define LINGER_MS 10000		/* replies still owed after the peer's EOF */
#define RAW_IDLE_MS 60000
#define CLOSING_MS 2000		/* to flush a reset notice */
#define RECHECK_MS 1000		/* without inotify, while requests wait */
#define PARK_MS 30000		/* wpa_cli and wpa_gui PING every 5 s */
#define MAX_PARKED 8		/* per socket */
#define MON_QUEUE_LIMIT (64 * 1024)
#define RAW_GAP_MS 20		/* between datagrams on one raw connection */
#define READ_BUF (64 * 1024)

enum daemon_state { DAEMON_ABSENT, DAEMON_LIVE, DAEMON_DEAD };
enum conn_mode { MODE_DETECT, MODE_RAW, MODE_FRAMED };

struct conn;
struct mon;

/* One configured socket: a TCP port bridged to a daemon's control socket. */
struct target {
	const struct udsp_socket *cfg;
	struct ev_fd listen;
	enum daemon_state state;
	dev_t dev;
	ino_t ino;		/* the instance in use (or refusing, when DEAD) */
	unsigned generation;	/* bumped at each new instance */
	int wd;			/* watch on the socket's own directory, or -1 */
	int recreated;		/* an event said the socket was bound anew */
	struct conn *conns;
	struct mon *mons;	/* parked monitors, newest first */
	size_t n_mons;
};

struct conn {
	struct target *t;
	struct conn *prev, *next;
	struct ev_fd tcp;
	struct ev_fd dg;	/* fd -1 once closed */
	char path[UDSP_MAX_PATH + 1];
	char peer[32];
	enum conn_mode mode;
	unsigned char hello[HELLO_LEN];
	size_t hello_len;
	struct framebuf fb;
	struct queue to_tcp;
	struct queue to_daemon;
	unsigned generation;	/* the daemon instance dg is connected to; 0: none */
	int talked;		/* sent a request to that instance */
	uint64_t requests, replies;	/* raw: replies owed = requests - replies */
	int attach_pending, detach_pending;
	int monitor;		/* the daemon sends events to dg */
	int peer_eof, discarding, closing, close_now;
	uint64_t accepted_ms, last_ms, eof_ms, closing_ms, gap_until_ms;
	struct ev_timer timer;
};

/* A client socket the daemon ATTACHed, kept after its raw connection
 * closed (see "parked monitors" below). */
struct mon {
	struct target *t;
	struct mon *prev, *next;
	struct ev_fd dg;
	char path[UDSP_MAX_PATH + 1];
	unsigned generation;
	int reattach;		/* ATTACH sent to a new instance, no answer yet */
	struct queue events;
	struct ev_timer timer;
};

static struct {
	struct in_addr addr, mask;
	const char *rundir;
	struct target targets[UDSP_MAX_SOCKETS];
	size_t n_targets;
	size_t n_conns;
	uint32_t seq;
	struct queue_budget budget;
	struct ev_fd watch;
	struct ev_timer recheck, accept_pause;
	unsigned char buf[READ_BUF];
	unsigned char joined[HELLO_LEN + READ_BUF];
	struct ratelimit rl_refused, rl_full, rl_garbage, rl_drop, rl_oversize, rl_expired,
		rl_accept;
} g;

static void conn_update(struct conn *c);
static void target_refused(struct target *t);
static void mon_park(struct conn *c);
static int attached(const struct conn *c);
static void dg_ready(struct ev_fd *f, short revents);

/* ---- closing ---- */

static void close_dgram(struct conn *c)
{
	if (c->dg.fd < 0)
		return;
	ev_fd_del(&c->dg);
	close(c->dg.fd);
	c->dg.fd = -1;
	unlink(c->path);
}

static void conn_free(struct conn *c)
{
	struct target *t = c->t;

	ev_timer_cancel(&c->timer);
	ev_fd_del(&c->tcp);
	close(c->tcp.fd);
	close_dgram(c);
	queue_clear(&c->to_tcp);
	queue_clear(&c->to_daemon);
	framebuf_free(&c->fb);
	if (c->prev)
		c->prev->next = c->next;
	else
		t->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	g.n_conns--;
	free(c);
}

/* Closing is deferred to the connection's timer, so that code walking the
 * connections, or in the middle of a callback, never sees one freed. */
static void conn_kill(struct conn *c, const char *why)
{
	if (c->close_now)
		return;
	log_debug("%s: closed: %s", c->peer, why);
	c->close_now = 1;
	if (c->mode == MODE_RAW && c->monitor && attached(c))
		mon_park(c);
	/* At once: the daemon's next send fails and it forgets this client. */
	close_dgram(c);
	conn_update(c);
}

/* Tells a framed peer that the daemon it talked to is gone, then closes:
 * its ATTACH and everything else that daemon knew about it are lost, and
 * the host side must make its clients reconnect. */
static void conn_reset(struct conn *c)
{
	unsigned char hdr[FRAME_HDR];

	if (c->closing || c->close_now)
		return;
	udsp_stats.resets++;
	close_dgram(c);
	queue_clear(&c->to_daemon);
	if (c->mode != MODE_FRAMED) {
		conn_kill(c, "the daemon went away");
		return;
	}
	frame_header(hdr, FRAME_RESET, 0);
	/* Past the queue's limit if need be: it is the last word. */
	c->to_tcp.limit = SIZE_MAX;
	if (queue_push(&c->to_tcp, hdr, sizeof(hdr), NULL, 0, 0) < 0) {
		conn_kill(c, "the daemon went away");
		return;
	}
	c->closing = 1;
	c->closing_ms = ev_now_ms();
	conn_update(c);
}

/* ---- towards the daemon ---- */

static int attached(const struct conn *c)
{
	return c->dg.fd >= 0 && c->t->state == DAEMON_LIVE && c->generation == c->t->generation;
}

static void conn_attach(struct conn *c)
{
	int rc;

	if (c->dg.fd < 0 || c->t->state != DAEMON_LIVE)
		return;
	rc = sock_unix_connect(c->dg.fd, c->t->cfg->path);
	if (rc == -ECONNREFUSED) {
		target_refused(c->t);
		return;
	}
	if (rc < 0) {
		/* Gone since the last look: the watch (or the next look) says more. */
		log_debug("%s: connecting to %s: %s", c->peer, c->t->cfg->path, strerror(-rc));
		return;
	}
	c->generation = c->t->generation;
	c->talked = 0;
}

/* Sends queued requests while the daemon takes them. */
static void send_requests(struct conn *c)
{
	struct chunk *ch;
	ssize_t n;

	while (attached(c) && (ch = queue_head(&c->to_daemon))) {
		n = send(c->dg.fd, ch->data, ch->len, 0);
		if (n >= 0) {
			queue_pop(&c->to_daemon);
			c->talked = 1;
			udsp_stats.relayed_up++;
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			break;	/* the daemon is busy: POLLOUT tells when */
		if (errno == ECONNREFUSED || errno == ENOENT || errno == ENOTCONN) {
			/* Nobody behind the socket file: the next instance gets it. */
			target_refused(c->t);
			break;
		}
		log_limited(&g.rl_drop, LOG_WARNING, "%s: request of %zu bytes to %s dropped: %s",
			    c->peer, ch->len, c->t->cfg->path, strerror(errno));
		udsp_stats.dropped++;
		queue_pop(&c->to_daemon);
	}
}

static void request(struct conn *c, const unsigned char *data, size_t len)
{
	int rc;

	if (len > UDSP_DGRAM_MAX) {
		udsp_stats.oversize++;
		log_limited(&g.rl_oversize, LOG_WARNING, "%s: request of %zu bytes dropped: over the %d-byte limit",
			    c->peer, len, UDSP_DGRAM_MAX);
		return;
	}
	c->requests++;
	rc = queue_push(&c->to_daemon, NULL, 0, data, len, ev_now_ms() + WAIT_DAEMON_MS);
	if (rc < 0) {
		udsp_stats.dropped++;
		log_limited(&g.rl_drop, LOG_WARNING, "%s: request of %zu bytes dropped: %s",
			    c->peer, len, rc == -ENOBUFS ? "too many waiting" : strerror(-rc));
		return;
	}
	if (c->t->state != DAEMON_LIVE && g.watch.fd < 0 && !ev_timer_armed(&g.recheck))
		ev_timer_at(&g.recheck, ev_now_ms(), g.recheck.cb);
	send_requests(c);
}

/* ---- parked monitors ----
 * socat's host side opens a connection per datagram and closes it half a
 * second later: an ATTACHed client socket would die with it, and events
 * never reach the host. So a raw connection's socket that the daemon
 * ATTACHed outlives the connection, parked, collecting events; the next
 * raw PING or DETACH (wpa_cli -a and wpa_gui PING every 5 s on that very
 * client socket) takes it over and gets the events first, then its reply,
 * which wpa_ctrl tells apart (events start with '<'). The daemon treats
 * attached sockets alike, so which parked one a PING takes is no matter. */

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

static int is_event(const unsigned char *data, size_t len);

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
		if (queue_push(&m->events, NULL, 0, g.buf, (size_t)n, 0) < 0) {
			udsp_stats.dropped++;
			log_limited(&g.rl_drop, LOG_WARNING,
				    "%s: event dropped: no PING came to collect the parked ones",
				    m->t->cfg->path);
		}
	}
}

static void mon_park(struct conn *c)
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
	udsp_stats.dropped += queue_splice(&m->events, &c->to_tcp);
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
static void mon_claim(struct conn *c)
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
	close_dgram(c);
	strcpy(c->path, m->path);
	ev_fd_del(&m->dg);
	ev_fd_add(&c->dg, m->dg.fd, POLLIN, dg_ready);
	m->dg.fd = -1;
	c->generation = m->generation;
	c->talked = 1;
	c->monitor = 1;
	queue_splice(&c->to_tcp, &m->events);
	mon_free(m);
}

static void target_drop_mons(struct target *t)
{
	while (t->mons)
		mon_free(t->mons);
}

static int is_command(const unsigned char *data, size_t len, const char *cmd)
{
	size_t n = strlen(cmd);

	return len >= n && memcmp(data, cmd, n) == 0 && (len == n || data[n] == ' ');
}

/* Events start with "<level>" (or "IFNAME=" on a global socket). */
static int is_event(const unsigned char *data, size_t len)
{
	return (len > 0 && data[0] == '<') || (len > 6 && memcmp(data, "IFNAME=", 7) == 0);
}

/* What a raw request means for parked monitors. */
static void note_command(struct conn *c, const unsigned char *data, size_t len)
{
	if (is_command(data, len, "ATTACH")) {
		c->attach_pending = 1;
	} else if (is_command(data, len, "PING") || is_command(data, len, "DETACH")) {
		c->detach_pending = is_command(data, len, "DETACH");
		if (!c->talked)
			mon_claim(c);
	}
}

/* ---- from the peer ---- */

static void on_frame(void *ctx, const struct frame *f)
{
	struct conn *c = ctx;

	if (f->type == FRAME_DGRAM && !c->closing)
		request(c, f->data, f->len);
	else if (f->type == FRAME_RESET)
		conn_kill(c, "protocol error: a reset frame from the host side");
}

static void framed_input(struct conn *c, const unsigned char *data, size_t len)
{
	int st = framebuf_feed(&c->fb, data, len, on_frame, c);

	if (st == FRAME_NEED_MORE)
		return;
	udsp_stats.garbage++;
	log_limited(&g.rl_garbage, LOG_WARNING, "%s: closing: %s", c->peer,
		    st < 0 ? "out of memory" : frame_status_text((enum frame_status)st));
	conn_kill(c, "protocol error");
}

/* Raw, as socat's host side speaks: each read is one datagram. */
static void raw_input(struct conn *c, const unsigned char *data, size_t len)
{
	if (c->discarding)
		return;
	/* What follows an oversized read is the rest of the same datagram. */
	if (len > UDSP_DGRAM_MAX)
		c->discarding = 1;
	else if (c->requests == 0)
		note_command(c, data, len);
	request(c, data, len);
}

static void start_framed(struct conn *c, const unsigned char *rest, size_t len)
{
	c->mode = MODE_FRAMED;
	if (queue_push(&c->to_tcp, udsp_hello, HELLO_LEN, NULL, 0, 0) < 0) {
		conn_kill(c, "no memory for the hello");
		return;
	}
	if (len)
		framed_input(c, rest, len);
}

/* The first bytes decide: a NUL starts the hello of a framed peer; any
 * other byte starts a raw datagram from socat. */
static void detect_input(struct conn *c, const unsigned char *data, size_t len)
{
	size_t take;

	if (c->hello_len == 0 && data[0] != 0) {
		c->mode = MODE_RAW;
		raw_input(c, data, len);
		return;
	}
	take = HELLO_LEN - c->hello_len < len ? HELLO_LEN - c->hello_len : len;
	memcpy(c->hello + c->hello_len, data, take);
	c->hello_len += take;
	switch (hello_check(c->hello, c->hello_len)) {
	case HELLO_YES:
		start_framed(c, data + take, len - take);
		break;
	case HELLO_PARTIAL:
		break;
	case HELLO_NO:
		/* A datagram that starts with NUL: pass it on as socat would. */
		c->mode = MODE_RAW;
		memcpy(g.joined, c->hello, c->hello_len);
		memcpy(g.joined + c->hello_len, data + take, len - take);
		raw_input(c, g.joined, c->hello_len + len - take);
		break;
	}
}

static void input(struct conn *c, const unsigned char *data, size_t len)
{
	switch (c->mode) {
	case MODE_DETECT:
		detect_input(c, data, len);
		break;
	case MODE_RAW:
		raw_input(c, data, len);
		break;
	case MODE_FRAMED:
		framed_input(c, data, len);
		break;
	}
}

static void peer_eof(struct conn *c)
{
	c->peer_eof = 1;
	c->eof_ms = ev_now_ms();
	/* socat's host side shuts its sending side right after the request
	 * and still reads the reply: only a raw peer is owed one. */
	if (c->mode != MODE_RAW)
		conn_kill(c, "closed by the peer");
}

static void read_tcp(struct conn *c)
{
	/* Raw: one read is one datagram, so read one byte more than the
	 * limit to see an oversized one. */
	size_t want = c->mode == MODE_FRAMED ? READ_BUF : UDSP_DGRAM_MAX + 1;
	ssize_t n = read(c->tcp.fd, g.buf, want);

	if (n > 0) {
		c->last_ms = ev_now_ms();
		input(c, g.buf, (size_t)n);
	} else if (n == 0) {
		peer_eof(c);
	} else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
		conn_kill(c, strerror(errno));
	}
}

/* Raw: one datagram at a time, with a gap before the next, so that
 * socat's host side reads each on its own (it takes one read as one
 * datagram); an event and a reply run together would garble both. */
static void write_tcp(struct conn *c)
{
	size_t before = c->to_tcp.count;
	ssize_t n = c->mode == MODE_RAW ? queue_write_one(&c->to_tcp, c->tcp.fd)
					: queue_write(&c->to_tcp, c->tcp.fd);

	if (n < 0 && n != -EAGAIN && n != -EWOULDBLOCK) {
		conn_kill(c, strerror((int)-n));
		return;
	}
	if (n > 0)
		c->last_ms = ev_now_ms();
	if (c->mode == MODE_RAW && c->to_tcp.count < before && c->to_tcp.count)
		c->gap_until_ms = ev_now_ms() + RAW_GAP_MS;
}

static void tcp_ready(struct ev_fd *f, short revents)
{
	struct conn *c = container_of(f, struct conn, tcp);

	if (c->close_now)
		return;
	if (revents & POLLOUT)
		write_tcp(c);
	if (c->close_now)
		return;
	if (!c->peer_eof && (revents & (POLLIN | POLLHUP | POLLERR)))
		read_tcp(c);
	else if (revents & (POLLHUP | POLLERR))
		conn_kill(c, "connection lost");	/* after EOF: reported again and again */
	conn_update(c);
}

/* ---- from the daemon ---- */

static void reply(struct conn *c, const unsigned char *data, size_t len)
{
	unsigned char hdr[FRAME_HDR];
	int rc;

	if (!is_event(data, len)) {
		c->replies++;
		if (c->attach_pending && len >= 2 && memcmp(data, "OK", 2) == 0)
			c->monitor = 1;
		if (c->detach_pending && len >= 2 && memcmp(data, "OK", 2) == 0)
			c->monitor = 0;
		c->attach_pending = c->detach_pending = 0;
	}
	udsp_stats.relayed_down++;
	if (c->closing || c->close_now)
		return;
	frame_header(hdr, FRAME_DGRAM, len);
	if (c->mode == MODE_FRAMED)
		rc = queue_push(&c->to_tcp, hdr, sizeof(hdr), data, len, 0);
	else
		rc = queue_push(&c->to_tcp, NULL, 0, data, len, 0);
	if (rc < 0) {
		udsp_stats.dropped++;
		log_limited(&g.rl_drop, LOG_WARNING,
			    "%s: %zu bytes from %s dropped: the peer does not read fast enough",
			    c->peer, len, c->t->cfg->path);
	}
}

/* Always drained at once, whatever the peer does: a full client socket
 * makes wpa_supplicant reset its control socket for every client. */
static void read_dgrams(struct conn *c)
{
	for (int i = 0; i < 64 && c->dg.fd >= 0; i++) {
		ssize_t n = sock_recv_dgram(c->dg.fd, g.buf, UDSP_DGRAM_MAX + 1, NULL, NULL);

		if (n == -EMSGSIZE) {
			udsp_stats.oversize++;
			log_limited(&g.rl_oversize, LOG_WARNING, "%s: datagram from %s dropped: over the %d-byte limit",
				    c->peer, c->t->cfg->path, UDSP_DGRAM_MAX);
			continue;
		}
		if (n < 0)
			return;
		reply(c, g.buf, (size_t)n);
	}
}

static void dg_ready(struct ev_fd *f, short revents)
{
	struct conn *c = container_of(f, struct conn, dg);

	if (c->close_now)
		return;
	if (revents & (POLLIN | POLLERR | POLLHUP))
		read_dgrams(c);
	if ((revents & POLLOUT) && c->dg.fd >= 0)
		send_requests(c);
	conn_update(c);
}

/* ---- bookkeeping ---- */

/* A raw peer that shut its side is done once every request has had its
 * reply delivered. */
static int raw_done(const struct conn *c)
{
	return c->mode == MODE_RAW && c->peer_eof && !c->to_daemon.count &&
	       c->replies >= c->requests && !c->to_tcp.count;
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

static uint64_t conn_deadline(const struct conn *c)
{
	uint64_t d = queue_next_deadline(&c->to_daemon);

	if (c->close_now)
		return 1;	/* in the past: at once */
	if (c->closing)
		d = earliest(d, c->closing_ms + CLOSING_MS);
	if (c->mode == MODE_DETECT)
		d = earliest(d, c->accepted_ms + DETECT_MS);
	if (c->mode == MODE_RAW)
		d = earliest(d, c->last_ms + RAW_IDLE_MS);
	if (c->peer_eof)
		d = earliest(d, c->eof_ms + LINGER_MS);
	if (c->to_tcp.count && c->gap_until_ms > ev_now_ms())
		d = earliest(d, c->gap_until_ms);
	return d;
}

static short tcp_events(const struct conn *c)
{
	short ev = 0;

	if (c->close_now)
		return 0;
	/* Back-pressure: a peer whose requests pile up is not read. */
	if (!c->peer_eof && !c->closing && c->to_daemon.bytes < REQUEST_QUEUE_LIMIT / 2)
		ev |= POLLIN;
	if (c->to_tcp.count && (c->mode != MODE_RAW || ev_now_ms() >= c->gap_until_ms))
		ev |= POLLOUT;
	return ev;
}

static void conn_timeout(struct ev_timer *t);

static void conn_update(struct conn *c)
{
	uint64_t d;

	if (!c->close_now && raw_done(c)) {
		conn_kill(c, "request answered");
		return;
	}
	if (!c->close_now && c->closing && !c->to_tcp.count) {
		conn_kill(c, "reset sent");
		return;
	}
	ev_fd_events(&c->tcp, tcp_events(c));
	if (c->dg.fd >= 0)
		ev_fd_events(&c->dg, (short)(c->close_now ? 0 : POLLIN |
					(c->to_daemon.count && attached(c) ? POLLOUT : 0)));
	d = conn_deadline(c);
	if (d)
		ev_timer_at(&c->timer, d, conn_timeout);
	else
		ev_timer_cancel(&c->timer);
}

static void expire_requests(struct conn *c, uint64_t now)
{
	size_t n = queue_expire(&c->to_daemon, now);

	if (!n)
		return;
	udsp_stats.expired += n;
	c->replies += n;	/* owed no more */
	log_limited(&g.rl_expired, LOG_WARNING, "%s: %zu request(s) dropped: %s %s within %d s",
		    c->peer, n, c->t->cfg->path,
		    c->t->state == DAEMON_DEAD ? "refused them (daemon not running?)" : "did not appear",
		    WAIT_DAEMON_MS / 1000);
}

static void conn_timeout(struct ev_timer *t)
{
	struct conn *c = container_of(t, struct conn, timer);
	uint64_t now = ev_now_ms();

	if (c->close_now) {
		conn_free(c);
		return;
	}
	expire_requests(c, now);
	if (c->mode == MODE_DETECT && now >= c->accepted_ms + DETECT_MS) {
		udsp_stats.garbage++;
		log_limited(&g.rl_garbage, LOG_WARNING, "%s: closing: sent nothing within %d s",
			    c->peer, DETECT_MS / 1000);
		conn_kill(c, "silent");
	} else if (c->closing && now >= c->closing_ms + CLOSING_MS) {
		conn_kill(c, "the reset notice could not be sent");
	} else if (c->peer_eof && now >= c->eof_ms + LINGER_MS) {
		conn_kill(c, "no reply before the linger time");
	} else if (c->mode == MODE_RAW && now >= c->last_ms + RAW_IDLE_MS) {
		conn_kill(c, "idle");
	}
	conn_update(c);
}

/* ---- the daemon's socket ---- */

/* Connections that talked to an instance that is gone. A raw monitor's
 * socket is parked rather than closed: it is ATTACHed again to the next
 * instance (see mon_reattach). */
static void target_reset_talkers(struct target *t)
{
	for (struct conn *c = t->conns; c; c = c->next) {
		if (!c->talked || c->closing || c->close_now)
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
	for (struct mon *m = t->mons, *next; m; m = next) {
		next = m->next;
		mon_reattach(m);
	}
	for (struct conn *c = t->conns; c; c = c->next) {
		if (c->closing || c->close_now)
			continue;
		conn_attach(c);
		send_requests(c);
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
static void target_refused(struct target *t)
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

static void rescan_all(void)
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

static void watch_ready(struct ev_fd *f, short revents)
{
	(void)revents;
	if (sys_watch_drain(f->fd, watch_event))
		rescan_all();
}

/* Without inotify: look again while some request waits for a socket. */
static void recheck(struct ev_timer *t)
{
	rescan_all();
	for (size_t i = 0; i < g.n_targets; i++)
		for (struct conn *c = g.targets[i].conns; c; c = c->next)
			if (c->to_daemon.count && g.targets[i].state != DAEMON_LIVE) {
				ev_timer_at(t, ev_now_ms() + RECHECK_MS, recheck);
				return;
			}
}

/* ---- accepting ---- */

static int client_socket(struct conn *c)
{
	int fd;

	for (int tries = 0; tries < 3; tries++) {
		snprintf(c->path, sizeof(c->path), "%s/%u.%u", g.rundir, c->t->cfg->port, ++g.seq);
		fd = sock_unix_dgram_bound(c->path);
		if (fd != -EEXIST && fd != -EADDRINUSE)
			return fd;
	}
	return fd;
}

static void conn_new(struct target *t, int fd, const struct sockaddr_in *peer)
{
	struct conn *c = calloc(1, sizeof(*c));
	int dg;

	if (!c) {
		log_limited(&g.rl_accept, LOG_ERR, "out of memory for a connection");
		close(fd);
		return;
	}
	c->t = t;
	sock_in_text(peer, c->peer, sizeof(c->peer));
	dg = client_socket(c);
	if (dg < 0) {
		log_limited(&g.rl_accept, LOG_ERR, "%s: cannot create client socket %s: %s", c->peer,
			    c->path, strerror(-dg));
		close(fd);
		free(c);
		return;
	}
	sock_tcp_tune(fd);
	queue_init(&c->to_tcp, CONN_QUEUE_LIMIT, &g.budget);
	queue_init(&c->to_daemon, REQUEST_QUEUE_LIMIT, &g.budget);
	c->accepted_ms = c->last_ms = ev_now_ms();
	ev_fd_add(&c->tcp, fd, POLLIN, tcp_ready);
	ev_fd_add(&c->dg, dg, POLLIN, dg_ready);
	c->next = t->conns;
	if (t->conns)
		t->conns->prev = c;
	t->conns = c;
	g.n_conns++;
	udsp_stats.accepted++;
	conn_attach(c);
	conn_update(c);
}

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

static void accept_one(struct target *t, int fd, const struct sockaddr_in *peer)
{
	char text[32];

	if (!sock_in_subnet(peer->sin_addr, g.addr, g.mask)) {
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
		struct sockaddr_in peer;
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
	struct stat st;
	struct dirent *e;
	DIR *d;
	char path[UDSP_MAX_PATH + 1];
	int rc;

	if (strlen(dir) > UDSP_MAX_PATH - 20) {
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

static void on_signal(int signo)
{
	if (signo == SIGUSR1)
		stats_log("statistics");
	else
		ev_quit();
}

static void shut_down(void)
{
	for (size_t i = 0; i < g.n_targets; i++) {
		struct target *t = &g.targets[i];

		while (t->conns)
			conn_free(t->conns);
		target_drop_mons(t);
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
	g.budget.limit = TOTAL_QUEUE_LIMIT;
	g.recheck.cb = recheck;
	signal(SIGPIPE, SIG_IGN);
	/* Client sockets: for the daemons (root) only. */
	umask(077);
	raise_fd_limit();
	rc = resolve_network(o, cfg);
	if (rc)
		return rc;
	if (prepare_rundir(o->rundir) < 0 || ev_signals(sigs, 3, on_signal) < 0)
		return EXIT_SYSTEM;
	g.watch.fd = sys_watch_open();
	if (g.watch.fd >= 0)
		ev_fd_add(&g.watch, g.watch.fd, POLLIN, watch_ready);
	if (open_listeners(cfg) < 0) {
		shut_down();
		return EXIT_SYSTEM;
	}
	rescan_all();
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
