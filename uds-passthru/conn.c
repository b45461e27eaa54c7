/* One TCP connection of guest mode and its own client datagram socket. */
#include "guest-int.h"
#include "log.h"
#include "sock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- closing ---- */

void conn_close_dgram(struct conn *c)
{
	if (c->dg.fd < 0)
		return;
	ev_fd_del(&c->dg);
	close(c->dg.fd);
	c->dg.fd = -1;
	unlink(c->path);
}

void conn_free(struct conn *c)
{
	relay_free(&c->r);
}

/* The relay is gone: the rest of the connection goes too. */
static void conn_release(struct relay *r)
{
	struct conn *c = container_of(r, struct conn, r);
	struct target *t = c->t;

	conn_close_dgram(c);
	queue_clear(&c->to_daemon);
	if (c->prev)
		c->prev->next = c->next;
	else
		t->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	g.n_conns--;
	free(c);
}

/* Closing is deferred to the relay's timer (relay.h). */
void conn_kill(struct conn *c, const char *why)
{
	if (!relay_close_soon(&c->r))
		return;
	log_debug("%s: closed: %s", c->peer, why);
	if (c->mode == MODE_RAW && c->monitor && conn_attached(c))
		mon_park(c);
	else if (c->mode == MODE_RAW)	/* replies it never wrote: counted */
		udsp_stats.orphan_replies += queue_drop_if(&c->r.to_tcp, chunk_is_reply);
	/* At once: the daemon's next send fails and it forgets this client. */
	conn_close_dgram(c);
}

/* Tells a framed peer that the daemon it talked to is gone, then closes:
 * its ATTACH and everything else that daemon knew about it are lost, and
 * the host side must make its clients reconnect. */
void conn_reset(struct conn *c)
{
	unsigned char hdr[FRAME_HDR];

	if (c->closing || c->r.closing_now)
		return;
	udsp_stats.resets++;
	conn_close_dgram(c);
	queue_clear(&c->to_daemon);
	if (c->mode != MODE_FRAMED) {
		conn_kill(c, "the daemon went away");
		return;
	}
	frame_header(hdr, FRAME_RESET, 0);
	/* Past the queue's limit if need be: it is the last word. */
	c->r.to_tcp.limit = SIZE_MAX;
	if (queue_push(&c->r.to_tcp, hdr, sizeof(hdr), NULL, 0, 0) < 0) {
		conn_kill(c, "the daemon went away");
		return;
	}
	c->closing = 1;
	c->closing_ms = ev_now_ms();
	conn_update(c);
}

/* ---- towards the daemon ---- */

int conn_attached(const struct conn *c)
{
	return c->dg.fd >= 0 && c->t->state == DAEMON_LIVE && c->generation == c->t->generation;
}

void conn_attach(struct conn *c)
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
void conn_send_requests(struct conn *c)
{
	struct chunk *ch;
	ssize_t n;

	while (conn_attached(c) && (ch = queue_head(&c->to_daemon))) {
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
	conn_send_requests(c);
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
	int st = framebuf_feed(&c->r.fb, data, len, on_frame, c);

	if (st == FRAME_NEED_MORE)
		return;
	udsp_stats.garbage++;
	log_limited(&g.rl_garbage, LOG_WARNING, "%s: closing: %s", c->peer,
		    st < 0 ? "out of memory" : frame_status_text((enum frame_status)st));
	conn_kill(c, "protocol error");
}

/* The command word of a raw request, printable, for the late-reply line. */
static void note_asked(struct conn *c, const unsigned char *data, size_t len)
{
	size_t n = 0;

	while (n < len && n < sizeof(c->asked) - 1 && data[n] > ' ' && data[n] < 0x7f) {
		c->asked[n] = (char)data[n];
		n++;
	}
	c->asked[n] = 0;
	c->asked_ms = ev_now_ms();
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
		mon_note_command(c, data, len);
	note_asked(c, data, len);
	request(c, data, len);
}

static void start_framed(struct conn *c, const unsigned char *rest, size_t len)
{
	c->mode = MODE_FRAMED;
	c->out_moved_ms = ev_now_ms();
	if (queue_push(&c->r.to_tcp, udsp_hello, HELLO_LEN, NULL, 0, 0) < 0) {
		conn_kill(c, "no memory for the hello");
		return;
	}
	if (len)
		framed_input(c, rest, len);
}

/* What came while the peer was being told apart, and the rest of the same
 * read after it, is one raw datagram: pass it on as socat would. */
static void pass_detected_as_raw(struct conn *c, const unsigned char *rest, size_t len)
{
	c->mode = MODE_RAW;
	memcpy(g.joined, c->hello, c->hello_len);
	if (len)
		memcpy(g.joined + c->hello_len, rest, len);
	raw_input(c, g.joined, c->hello_len + len);
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
	case HELLO_NO:	/* a datagram that starts with NUL */
		pass_detected_as_raw(c, data + take, len - take);
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
	/* A datagram that starts like the hello ("\0", "\0uds") and ends
	 * before the hello could is socat's: a framed peer does not stop
	 * halfway through its hello. */
	if (c->mode == MODE_DETECT && c->hello_len)
		pass_detected_as_raw(c, NULL, 0);
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
	ssize_t n = relay_read(&c->r, g.buf, want);

	if (n > 0)
		input(c, g.buf, (size_t)n);
	else if (n == 0)
		peer_eof(c);
	else if (!relay_would_block(n))
		conn_kill(c, strerror((int)-n));
}

/* Raw: one datagram at a time, with a gap before the next, so that
 * socat's host side reads each on its own (it takes one read as one
 * datagram); an event and a reply run together would garble both. */
static void write_tcp(struct conn *c)
{
	size_t before = c->r.to_tcp.count;
	ssize_t n = relay_write(&c->r, c->mode == MODE_RAW);

	if (n < 0 && !relay_would_block(n)) {
		conn_kill(c, strerror((int)-n));
		return;
	}
	if (n > 0)
		c->out_moved_ms = ev_now_ms();
	if (c->mode == MODE_RAW && c->r.to_tcp.count < before && c->r.to_tcp.count)
		c->gap_until_ms = ev_now_ms() + RAW_GAP_MS;
}

static void tcp_ready(struct relay *r, short revents)
{
	struct conn *c = container_of(r, struct conn, r);

	if (revents & POLLOUT)
		write_tcp(c);
	if (c->r.closing_now)
		return;
	if (!c->peer_eof && (revents & (POLLIN | POLLHUP | POLLERR)))
		read_tcp(c);
	else if (revents & (POLLHUP | POLLERR))
		conn_kill(c, "connection lost");	/* after EOF: reported again and again */
	conn_update(c);
}

/* ---- from the daemon ---- */

/* socat's host side stops reading half a second after it sent the
 * request, so a slower reply never reaches the client, which then says
 * its command "timed out". The bridge cannot help it, but says so, and
 * counts it. The half second started before the request arrived here,
 * by a transit the bridge cannot see: replies from LATE_REPLY_MS on
 * count as late. */
static void note_late_reply(const struct conn *c)
{
	uint64_t took = ev_now_ms() - c->asked_ms;

	if (c->mode != MODE_RAW || !c->asked_ms || took < LATE_REPLY_MS)
		return;
	udsp_stats.late_replies++;
	log_limited(&g.rl_late, LOG_NOTICE,
		    "%s: %s's reply from %s came %llu ms after the request: socat's host side "
		    "stops reading %d ms after sending it, so its client may not see it",
		    c->peer, c->asked[0] ? c->asked : "(empty)", c->t->cfg->path,
		    (unsigned long long)took, SOCAT_WAIT_MS);
}

static void reply(struct conn *c, const unsigned char *data, size_t len)
{
	unsigned char hdr[FRAME_HDR];
	int rc;

	if (!is_event(data, len)) {
		c->replies++;
		udsp_stats.answered++;
		note_late_reply(c);
		if (c->attach_pending && len >= 2 && memcmp(data, "OK", 2) == 0)
			c->monitor = 1;
		if (c->detach_pending && len >= 2 && memcmp(data, "OK", 2) == 0)
			c->monitor = 0;
		c->attach_pending = c->detach_pending = 0;
	}
	udsp_stats.relayed_down++;
	if (c->closing || c->r.closing_now)
		return;
	frame_header(hdr, FRAME_DGRAM, len);
	if (!c->r.to_tcp.count)
		c->out_moved_ms = ev_now_ms();
	if (c->mode == MODE_FRAMED)
		rc = queue_push(&c->r.to_tcp, hdr, sizeof(hdr), data, len, 0);
	else if (!is_event(data, len))
		/* Raw, one datagram per 20 ms: behind a burst of events (a
		 * claimed monitor's, a scan's), the reply would come after
		 * socat's host side had closed, half a second after the
		 * request, and the client would wait in vain. It overtakes. */
		rc = queue_push_ahead(&c->r.to_tcp, data, len, chunk_is_event);
	else
		rc = queue_push(&c->r.to_tcp, NULL, 0, data, len, 0);
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

void conn_dg_ready(struct ev_fd *f, short revents)
{
	struct conn *c = container_of(f, struct conn, dg);

	if (c->r.closing_now)
		return;
	if (revents & (POLLIN | POLLERR | POLLHUP))
		read_dgrams(c);
	if ((revents & POLLOUT) && c->dg.fd >= 0)
		conn_send_requests(c);
	conn_update(c);
}

/* ---- bookkeeping ---- */

/* A raw peer that shut its side is done once every request has had its
 * reply delivered. */
static int raw_done(const struct conn *c)
{
	return c->mode == MODE_RAW && c->peer_eof && !c->to_daemon.count &&
	       c->replies >= c->requests && !c->r.to_tcp.count;
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

static uint64_t conn_deadline(const struct conn *c)
{
	uint64_t d = queue_next_deadline(&c->to_daemon);

	if (c->closing)
		d = earliest(d, c->closing_ms + CLOSING_MS);
	if (c->mode == MODE_DETECT)
		d = earliest(d, c->accepted_ms + DETECT_MS);
	if (c->mode == MODE_RAW)
		d = earliest(d, c->r.last_ms + RAW_IDLE_MS);
	if (c->mode == MODE_FRAMED && c->r.to_tcp.count)
		d = earliest(d, c->out_moved_ms + STALL_MS);
	if (c->peer_eof)
		d = earliest(d, c->eof_ms + LINGER_MS);
	if (c->r.to_tcp.count && c->gap_until_ms > ev_now_ms())
		d = earliest(d, c->gap_until_ms);
	return d;
}

/* Raw: while a request waits for its reply, the events queued ahead of
 * it (a claimed monitor's) wait too, and the reply overtakes them
 * (queue_push_ahead). A PING through socat's host side claims a parked
 * monitor whoever sent it: a one-shot `wpa_cli ping` then gets its PONG
 * and leaves, and none of the monitor's events reaches it first. */
static int raw_holds_events(const struct conn *c)
{
	const struct chunk *head = queue_head(&c->r.to_tcp);

	return c->mode == MODE_RAW && c->replies < c->requests && head && head->off == 0 &&
	       chunk_is_event(head);
}

static short tcp_events(const struct conn *c)
{
	short ev = 0;

	/* Back-pressure: a peer whose requests pile up is not read. */
	if (!c->peer_eof && !c->closing && c->to_daemon.bytes < REQUEST_QUEUE_LIMIT / 2)
		ev |= POLLIN;
	if (c->r.to_tcp.count && (c->mode != MODE_RAW || ev_now_ms() >= c->gap_until_ms) &&
	    !raw_holds_events(c))
		ev |= POLLOUT;
	return ev;
}

void conn_update(struct conn *c)
{
	if (c->r.closing_now)
		return;
	if (raw_done(c)) {
		conn_kill(c, "request answered");
		return;
	}
	if (c->closing && !c->r.to_tcp.count) {
		conn_kill(c, "reset sent");
		return;
	}
	if (c->dg.fd >= 0)
		ev_fd_events(&c->dg, (short)(POLLIN |
					(c->to_daemon.count && conn_attached(c) ? POLLOUT : 0)));
	relay_arm(&c->r, tcp_events(c), conn_deadline(c));
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

static void conn_timeout(struct relay *r)
{
	struct conn *c = container_of(r, struct conn, r);
	uint64_t now = ev_now_ms();

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
	} else if (c->mode == MODE_RAW && now >= c->r.last_ms + RAW_IDLE_MS) {
		conn_kill(c, "idle");
	} else if (c->mode == MODE_FRAMED && c->r.to_tcp.count && now >= c->out_moved_ms + STALL_MS) {
		/* Its queue would hold up to 64 KiB of the budget all
		 * connections share, for as long as it liked. */
		udsp_stats.stalled++;
		log_limited(&g.rl_drop, LOG_WARNING, "%s: closing: it has read nothing for %d s with %zu bytes waiting",
			    c->peer, STALL_MS / 1000, c->r.to_tcp.bytes);
		conn_kill(c, "stalled");
	}
	conn_update(c);
}

static const struct relay_ops conn_relay_ops = {
	.ready = tcp_ready,
	.timeout = conn_timeout,
	.release = conn_release,
};

static int client_socket(struct conn *c)
{
	int fd;

	for (int tries = 0; tries < 3; tries++) {
		snprintf(c->path, sizeof(c->path), "%s/%u.%s.%u", g.rundir, c->t->cfg->port, g.instance,
			 ++g.seq);
		fd = sock_unix_dgram_bound(c->path);
		if (fd != -EEXIST && fd != -EADDRINUSE)
			return fd;
	}
	return fd;
}

void conn_new(struct target *t, int fd, const struct sockaddr_in *peer)
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
	relay_start(&c->r, &conn_relay_ops, fd, POLLIN, CONN_QUEUE_LIMIT, &g.budget);
	queue_init(&c->to_daemon, REQUEST_QUEUE_LIMIT, &g.budget);
	c->accepted_ms = ev_now_ms();
	ev_fd_add(&c->dg, dg, POLLIN, conn_dg_ready);
	c->next = t->conns;
	if (t->conns)
		t->conns->prev = c;
	t->conns = c;
	g.n_conns++;
	udsp_stats.accepted++;
	conn_attach(c);
	conn_update(c);
}

