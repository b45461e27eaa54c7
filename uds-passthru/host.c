#include "host.h"
#include "evloop.h"
#include "exitcodes.h"
#include "frame.h"
#include "fsutil.h"
#include "log.h"
#include "queue.h"
#include "relay.h"
#include "sock.h"
#include "stats.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINKS 256
#define LINK_QUEUE_LIMIT (64 * 1024)
#define PENDING_LIMIT (32 * 1024)
#define TOTAL_QUEUE_LIMIT (4 * 1024 * 1024)
#define CONNECT_MS 5000
#define HELLO_MS 2000		/* a socat guest answers through the daemon, at once */
#define RAW_LINGER_MS 10000	/* as long as wpa_cli waits for a reply */
/* A client that is gone is noticed when something is sent to it, or when
 * its link's room is needed; this only tidies up after one-shot clients,
 * so that an idle bridge stays asleep. */
#define IDLE_CHECK_MS 300000
#define REBIND_GAP_MS 1000	/* one daemon restart resets every link at once */

enum guest_kind { GUEST_UNKNOWN, GUEST_FRAMED, GUEST_RAW };
enum link_state { LINK_CONNECTING, LINK_HELLO, LINK_FRAMED, LINK_RAW };

struct link;

/* One host-side socket path, bridged to one guest port. */
struct listener {
	const struct host_socket *cfg;
	uid_t uid;
	gid_t gid;
	struct ev_fd dg;
	enum guest_kind guest;
	char guest_text[32];
	struct link *links;
	uint64_t rebind_ms;
};

/* One TCP connection to the guest, for one client address. */
struct link {
	struct listener *l;
	struct link *prev, *next;
	struct sockaddr_un client;
	socklen_t client_len;
	struct relay r;		/* the TCP connection to the guest */
	enum link_state state;
	int raw;		/* socat-style: one datagram, then closed */
	int pipelined;		/* hello and frames sent without waiting */
	int shut_wr;
	unsigned char ack[HELLO_LEN];
	size_t ack_len;
	struct queue pending;	/* bare datagrams, until the guest's kind is known */
	uint64_t started_ms, hello_ms;
};

static struct {
	struct listener listeners[UDSP_MAX_SOCKETS];
	size_t n_listeners;
	size_t n_links;
	int raw_only;
	struct queue_budget budget;
	unsigned char buf[64 * 1024];
	struct ratelimit rl_drop, rl_guest, rl_garbage, rl_oversize, rl_client, rl_limit;
} h;

static void link_update(struct link *k);
static void listener_reset(struct listener *l);
static const struct relay_ops link_relay_ops;

static const char *client_name(const struct link *k)
{
	size_t off = offsetof(struct sockaddr_un, sun_path);

	if (k->client_len <= off)
		return "(unnamed)";
	return k->client.sun_path[0] ? k->client.sun_path : "(abstract)";
}

/* ---- links: life and death ---- */

static void link_free(struct link *k)
{
	relay_free(&k->r);
}

/* The relay is gone: the rest of the link goes too. */
static void link_release(struct relay *r)
{
	struct link *k = container_of(r, struct link, r);
	struct listener *l = k->l;

	queue_clear(&k->pending);
	if (k->prev)
		k->prev->next = k->next;
	else
		l->links = k->next;
	if (k->next)
		k->next->prev = k->prev;
	h.n_links--;
	free(k);
}

/* Deferred to the relay's timer (relay.h). */
static void link_kill(struct link *k, const char *why)
{
	if (relay_close_soon(&k->r))
		log_debug("%s -> %s: closed: %s", client_name(k), k->l->guest_text, why);
}

static void drop_pending(struct link *k, const char *why)
{
	if (!k->pending.count)
		return;
	udsp_stats.dropped += k->pending.count;
	log_limited(&h.rl_guest, LOG_WARNING, "%s: %zu datagram(s) from %s dropped: %s",
		    k->l->cfg->s.path, k->pending.count, client_name(k), why);
	queue_clear(&k->pending);
}

static int client_alive(const struct link *k);

/* One-shot clients (wpa_cli status) exit at once: at the limit, links
 * whose client is gone make room before a new client is refused. */
static void reap_links(void)
{
	for (size_t i = 0; i < h.n_listeners; i++) {
		struct link *k = h.listeners[i].links, *next;

		for (; k; k = next) {
			next = k->next;
			if (!k->raw && !k->r.closing_now && k->state == LINK_FRAMED && !client_alive(k))
				link_free(k);
		}
	}
}

static struct link *link_new(struct listener *l, const struct sockaddr_un *from, socklen_t len,
			     int raw)
{
	struct link *k;
	int fd;

	if (h.n_links >= MAX_LINKS)
		reap_links();
	if (h.n_links >= MAX_LINKS) {
		udsp_stats.over_limit++;
		log_limited(&h.rl_limit, LOG_WARNING, "%s: no connection for %s: already %d open",
			    l->cfg->s.path, from->sun_path, MAX_LINKS);
		return NULL;
	}
	fd = sock_tcp_connect(&l->cfg->guest);
	if (fd < 0) {
		log_limited(&h.rl_guest, LOG_WARNING, "%s: connecting to %s: %s", l->cfg->s.path,
			    l->guest_text, strerror(-fd));
		l->guest = GUEST_UNKNOWN;
		return NULL;
	}
	k = calloc(1, sizeof(*k));
	if (!k) {
		close(fd);
		return NULL;
	}
	k->l = l;
	memcpy(&k->client, from, len);
	k->client_len = len;
	k->raw = raw;
	k->state = LINK_CONNECTING;
	k->started_ms = ev_now_ms();
	queue_init(&k->pending, PENDING_LIMIT, &h.budget);
	relay_start(&k->r, &link_relay_ops, fd, POLLOUT, LINK_QUEUE_LIMIT, &h.budget);
	k->next = l->links;
	if (l->links)
		l->links->prev = k;
	l->links = k;
	h.n_links++;
	udsp_stats.accepted++;
	return k;
}

/* ---- towards the client ---- */

static void to_client(struct link *k, const unsigned char *data, size_t len)
{
	ssize_t n = sendto(k->l->dg.fd, data, len, 0, (struct sockaddr *)&k->client, k->client_len);

	k->r.last_ms = ev_now_ms();
	if (n >= 0) {
		udsp_stats.relayed_down++;
		return;
	}
	if (errno == ENOENT || errno == ECONNREFUSED || errno == EPERM || errno == ENOTDIR) {
		/* The client is gone: its socket in the guest can go too, so
		 * the daemon forgets it (an ATTACH, for one). */
		link_kill(k, "the client is gone");
		return;
	}
	udsp_stats.dropped++;
	log_limited(&h.rl_drop, LOG_WARNING, "%s: %zu bytes for %s dropped: %s", k->l->cfg->s.path,
		    len, client_name(k), strerror(errno));
}

static void on_frame(void *ctx, const struct frame *f)
{
	struct link *k = ctx;

	if (k->r.closing_now)
		return;
	if (f->type == FRAME_DGRAM) {
		to_client(k, f->data, f->len);
		return;
	}
	log_info("%s: the daemon behind %s went away", k->l->cfg->s.path, k->l->guest_text);
	listener_reset(k->l);
}

static void framed_input(struct link *k, const unsigned char *data, size_t len)
{
	int st = framebuf_feed(&k->r.fb, data, len, on_frame, k);

	if (st == FRAME_NEED_MORE)
		return;
	udsp_stats.garbage++;
	log_limited(&h.rl_garbage, LOG_WARNING, "%s: from %s: %s", k->l->cfg->s.path,
		    k->l->guest_text, st < 0 ? "out of memory" : frame_status_text((enum frame_status)st));
	link_kill(k, "protocol error");
}

/* ---- towards the guest ---- */

static int push_datagram(struct link *k, const unsigned char *data, size_t len)
{
	unsigned char hdr[FRAME_HDR];

	if (k->state == LINK_FRAMED || (k->state == LINK_HELLO && k->pipelined)) {
		frame_header(hdr, FRAME_DGRAM, len);
		return queue_push(&k->r.to_tcp, hdr, sizeof(hdr), data, len, 0);
	}
	if (k->state == LINK_RAW)
		return queue_push(&k->r.to_tcp, NULL, 0, data, len, 0);
	return queue_push(&k->pending, NULL, 0, data, len, 0);
}

static void datagram(struct link *k, const unsigned char *data, size_t len)
{
	int rc = push_datagram(k, data, len);

	k->r.last_ms = ev_now_ms();
	if (rc == 0) {
		udsp_stats.relayed_up++;
		return;
	}
	udsp_stats.dropped++;
	log_limited(&h.rl_drop, LOG_WARNING, "%s: %zu bytes from %s dropped: %s", k->l->cfg->s.path,
		    len, client_name(k), rc == -ENOBUFS ? "too much waiting for the guest" : strerror(-rc));
}

static void flush_pending(struct link *k)
{
	struct chunk *c;

	while ((c = queue_head(&k->pending))) {
		if (push_datagram(k, c->data, c->len) < 0) {
			udsp_stats.dropped++;
			log_limited(&h.rl_drop, LOG_WARNING, "%s: %zu bytes from %s dropped: queue full",
				    k->l->cfg->s.path, c->len, client_name(k));
		}
		queue_pop(&k->pending);
	}
}

/* The guest is socat: each waiting datagram gets a connection of its own,
 * as socat's host side would have given it. */
static void fall_back_to_raw(struct link *k)
{
	struct listener *l = k->l;
	struct chunk *c;
	struct link *r;

	if (l->guest != GUEST_RAW)
		log_notice("%s: %s does not speak framing (socat?): one connection per datagram",
			   l->cfg->s.path, l->guest_text);
	l->guest = GUEST_RAW;
	while ((c = queue_head(&k->pending))) {
		r = link_new(l, &k->client, k->client_len, 1);
		if (r) {
			datagram(r, c->data, c->len);
			link_update(r);
		} else {
			udsp_stats.dropped++;
		}
		queue_pop(&k->pending);
	}
	link_kill(k, "probe done");
}

static void connected(struct link *k)
{
	int err = sock_error(k->r.tcp.fd);

	if (err < 0) {
		log_limited(&h.rl_guest, LOG_WARNING, "%s: connecting to %s: %s", k->l->cfg->s.path,
			    k->l->guest_text, strerror(-err));
		k->l->guest = GUEST_UNKNOWN;
		drop_pending(k, "the guest cannot be reached");
		link_kill(k, "connect failed");
		return;
	}
	sock_tcp_tune(k->r.tcp.fd);
	if (k->raw) {
		k->state = LINK_RAW;
	} else {
		k->state = LINK_HELLO;
		k->hello_ms = ev_now_ms();
		/* A guest known to frame takes the frames right behind the hello. */
		k->pipelined = k->l->guest == GUEST_FRAMED;
		queue_push(&k->r.to_tcp, udsp_hello, HELLO_LEN, NULL, 0, 0);
		if (!k->pipelined)
			return;
	}
	flush_pending(k);
}

static void hello_answer(struct link *k, const unsigned char *data, size_t len)
{
	size_t take = HELLO_LEN - k->ack_len < len ? HELLO_LEN - k->ack_len : len;

	memcpy(k->ack + k->ack_len, data, take);
	k->ack_len += take;
	switch (hello_check(k->ack, k->ack_len)) {
	case HELLO_PARTIAL:
		return;
	case HELLO_YES:
		k->state = LINK_FRAMED;
		k->l->guest = GUEST_FRAMED;
		flush_pending(k);
		if (len > take)
			framed_input(k, data + take, len - take);
		return;
	case HELLO_NO:
		break;
	}
	if (k->pipelined) {
		/* Frames went out to something that does not take them. */
		udsp_stats.garbage++;
		k->l->guest = GUEST_UNKNOWN;
		link_kill(k, "the guest stopped framing");
		return;
	}
	/* What came back is the daemon's answer to the hello (socat passed it
	 * on): thrown away, with this connection. */
	fall_back_to_raw(k);
}

static void input(struct link *k, const unsigned char *data, size_t len)
{
	switch (k->state) {
	case LINK_CONNECTING:
		break;
	case LINK_HELLO:
		hello_answer(k, data, len);
		break;
	case LINK_FRAMED:
		framed_input(k, data, len);
		break;
	case LINK_RAW:
		/* As socat does: one read, one datagram. */
		to_client(k, data, len);
		break;
	}
}

static void guest_closed(struct link *k)
{
	switch (k->state) {
	case LINK_CONNECTING:
	case LINK_HELLO:
		/* socat's guest side closes at once when the daemon's socket is
		 * missing: nothing to learn about framing from that. */
		drop_pending(k, "the guest closed the connection (daemon not running?)");
		link_kill(k, "closed during the hello");
		break;
	case LINK_FRAMED:
		/* The guest side is gone, with whatever the daemon knew of this
		 * client: make the host's clients start over. */
		link_kill(k, "closed by the guest");
		listener_reset(k->l);
		break;
	case LINK_RAW:
		link_kill(k, "done");
		break;
	}
}

static void read_tcp(struct link *k)
{
	size_t want = k->state == LINK_RAW ? UDSP_DGRAM_MAX + 1 : sizeof(h.buf);
	ssize_t n = relay_read(&k->r, h.buf, want);

	if (n > 0) {
		if (k->state == LINK_RAW && (size_t)n > UDSP_DGRAM_MAX) {
			udsp_stats.oversize++;
			log_limited(&h.rl_oversize, LOG_WARNING, "%s: reply for %s dropped: over %d bytes",
				    k->l->cfg->s.path, client_name(k), UDSP_DGRAM_MAX);
			return;
		}
		input(k, h.buf, (size_t)n);
	} else if (n == 0) {
		guest_closed(k);
	} else if (!relay_would_block(n)) {
		if (k->state == LINK_FRAMED)
			listener_reset(k->l);
		link_kill(k, strerror((int)-n));
	}
}

static void write_tcp(struct link *k)
{
	ssize_t n = relay_write(&k->r, 0);

	if (n < 0 && !relay_would_block(n)) {
		link_kill(k, strerror((int)-n));
		return;
	}
	/* socat's host side shuts its sending side after the datagram; a
	 * socat guest waits for that before it gives up on the reply. */
	if (k->state == LINK_RAW && !k->r.to_tcp.count && !k->shut_wr) {
		shutdown(k->r.tcp.fd, SHUT_WR);
		k->shut_wr = 1;
	}
}

static void tcp_ready(struct relay *r, short revents)
{
	struct link *k = container_of(r, struct link, r);

	if (k->state == LINK_CONNECTING) {
		connected(k);
		link_update(k);
		return;
	}
	if (revents & POLLOUT)
		write_tcp(k);
	if (!k->r.closing_now && (revents & (POLLIN | POLLHUP | POLLERR)))
		read_tcp(k);
	link_update(k);
}

/* ---- bookkeeping ---- */

static uint64_t link_deadline(const struct link *k)
{
	switch (k->state) {
	case LINK_CONNECTING:
		return k->started_ms + CONNECT_MS;
	case LINK_HELLO:
		return k->hello_ms + HELLO_MS;
	case LINK_FRAMED:
		return k->r.last_ms + IDLE_CHECK_MS;
	case LINK_RAW:
		return k->started_ms + RAW_LINGER_MS;
	}
	return 0;
}

static void link_update(struct link *k)
{
	short ev = 0;

	if (k->state == LINK_CONNECTING)
		ev = POLLOUT;
	else {
		ev = POLLIN;
		if (k->r.to_tcp.count || (k->state == LINK_RAW && !k->shut_wr))
			ev |= POLLOUT;
	}
	relay_arm(&k->r, ev, link_deadline(k));
}

/* Whether anything is still bound at the client's address. */
static int client_alive(const struct link *k)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0), rc;

	if (fd < 0)
		return 1;
	rc = connect(fd, (const struct sockaddr *)&k->client, k->client_len);
	rc = rc == 0 || (errno != ECONNREFUSED && errno != ENOENT);
	close(fd);
	return rc;
}

static void link_timeout(struct relay *r)
{
	struct link *k = container_of(r, struct link, r);

	switch (k->state) {
	case LINK_CONNECTING:
		log_limited(&h.rl_guest, LOG_WARNING, "%s: connecting to %s: no answer in %d s",
			    k->l->cfg->s.path, k->l->guest_text, CONNECT_MS / 1000);
		drop_pending(k, "the guest cannot be reached");
		link_kill(k, "connect timeout");
		break;
	case LINK_HELLO:
		if (k->pipelined) {
			link_kill(k, "no hello from a framing guest");
			break;
		}
		fall_back_to_raw(k);	/* something that answers nothing: treat as raw */
		break;
	case LINK_FRAMED:
		if (!client_alive(k))
			link_kill(k, "the client is gone");
		k->r.last_ms = ev_now_ms();
		break;
	case LINK_RAW:
		link_kill(k, "linger time over");
		break;
	}
	link_update(k);
}

static const struct relay_ops link_relay_ops = {
	.ready = tcp_ready,
	.timeout = link_timeout,
	.release = link_release,
};

/* ---- the host-side sockets ---- */

static struct link *find_link(struct listener *l, const struct sockaddr_un *from, socklen_t len)
{
	for (struct link *k = l->links; k; k = k->next)
		if (!k->raw && !k->r.closing_now && k->client_len == len &&
		    memcmp(&k->client, from, len) == 0)
			return k;
	return NULL;
}

static void from_client(struct listener *l, const struct sockaddr_un *from, socklen_t len,
			const unsigned char *data, size_t n)
{
	struct link *k = find_link(l, from, len);

	if (!k) {
		int raw = h.raw_only || l->guest == GUEST_RAW;

		k = link_new(l, from, len, raw);
		if (!k) {
			udsp_stats.dropped++;
			return;
		}
	}
	datagram(k, data, n);
	link_update(k);
}

static void dg_ready(struct ev_fd *f, short revents)
{
	struct listener *l = container_of(f, struct listener, dg);
	struct sockaddr_un from;
	socklen_t len;
	ssize_t n;

	(void)revents;
	for (int i = 0; i < 64; i++) {
		n = sock_recv_dgram(f->fd, h.buf, UDSP_DGRAM_MAX + 1, &from, &len);
		if (n == -EMSGSIZE) {
			udsp_stats.oversize++;
			log_limited(&h.rl_oversize, LOG_WARNING, "%s: datagram dropped: over %d bytes",
				    l->cfg->s.path, UDSP_DGRAM_MAX);
			continue;
		}
		if (n < 0)
			return;
		if (len <= offsetof(struct sockaddr_un, sun_path)) {
			udsp_stats.dropped++;
			log_limited(&h.rl_client, LOG_WARNING,
				    "%s: datagram from an unbound socket dropped: a reply could not reach it",
				    l->cfg->s.path);
			continue;
		}
		from_client(l, &from, len, h.buf, (size_t)n);
	}
}

static int listener_bind(struct listener *l)
{
	const struct udsp_socket *s = &l->cfg->s;
	int fd = sock_unix_dgram_bound(s->path);

	if (fd < 0) {
		log_err("%s: cannot create the socket: %s", s->path, strerror(-fd));
		return -1;
	}
	/* Created with umask 077, then opened up as configured: never wider
	 * than asked, even for a moment. */
	if ((s->user[0] || s->group[0]) && chown(s->path, l->uid, l->gid) < 0)
		log_warn("%s: chown: %s", s->path, strerror(errno));
	if (s->mode >= 0 && chmod(s->path, (mode_t)s->mode) < 0)
		log_warn("%s: chmod: %s", s->path, strerror(errno));
	ev_fd_add(&l->dg, fd, POLLIN, dg_ready);
	return 0;
}

static void listener_close(struct listener *l)
{
	ev_fd_del(&l->dg);
	close(l->dg.fd);
	unlink(l->cfg->s.path);
}

/* Re-creates the socket: clients connected to the old one get
 * ECONNREFUSED, as they would from the daemon itself, and reconnect (and
 * ATTACH again). */
static void listener_reset(struct listener *l)
{
	uint64_t now = ev_now_ms();

	if (l->rebind_ms && now - l->rebind_ms < REBIND_GAP_MS)
		return;
	l->rebind_ms = now;
	udsp_stats.resets++;
	log_info("%s: re-creating the socket so that its clients reconnect", l->cfg->s.path);
	for (struct link *k = l->links; k; k = k->next)
		link_kill(k, "reset");
	listener_close(l);
	if (listener_bind(l) < 0)
		ev_quit();
}

static int parse_id(const char *s, unsigned long *id)
{
	char *end;

	errno = 0;
	*id = strtoul(s, &end, 10);
	return *s && !*end && !errno ? 0 : -1;
}

static int resolve_user(const char *path, const char *name, uid_t *uid)
{
	struct passwd *pw = getpwnam(name);
	unsigned long id;

	if (pw)
		*uid = pw->pw_uid;
	else if (parse_id(name, &id) == 0)
		*uid = (uid_t)id;
	else {
		log_err("%s: user %s does not exist", path, name);
		return -1;
	}
	return 0;
}

static int resolve_group(const char *path, const char *name, gid_t *gid)
{
	struct group *gr = getgrnam(name);
	unsigned long id;

	if (gr)
		*gid = gr->gr_gid;
	else if (parse_id(name, &id) == 0)
		*gid = (gid_t)id;
	else {
		log_err("%s: group %s does not exist", path, name);
		return -1;
	}
	return 0;
}

static int resolve_owner(struct listener *l)
{
	const struct udsp_socket *s = &l->cfg->s;

	l->uid = (uid_t)-1;
	l->gid = (gid_t)-1;
	if (s->user[0] && resolve_user(s->path, s->user, &l->uid) < 0)
		return -1;
	if (s->group[0] && resolve_group(s->path, s->group, &l->gid) < 0)
		return -1;
	return 0;
}

static int open_listener(struct listener *l, const struct host_socket *cfg)
{
	char dir[UDSP_MAX_PATH + 1], *slash;

	l->cfg = cfg;
	sock_in_text(&cfg->guest, l->guest_text, sizeof(l->guest_text));
	if (resolve_owner(l) < 0)
		return EXIT_CONFIG;
	strcpy(dir, cfg->s.path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		/* Like /var/run/wpa_supplicant: clients must reach the socket. */
		mode_t old = umask(022);

		*slash = '\0';
		mkdir_p(dir, 0755);
		umask(old);
	}
	if (listener_bind(l) < 0)
		return EXIT_SYSTEM;
	log_info("%s: bridged to %s", cfg->s.path, l->guest_text);
	return 0;
}

static void shut_down(void)
{
	for (size_t i = 0; i < h.n_listeners; i++) {
		struct listener *l = &h.listeners[i];

		while (l->links)
			link_free(l->links);
		listener_close(l);
	}
	stats_log("stopping");
}

int host_run(const struct host_opts *o)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGUSR1 };
	int rc = 0;

	h.raw_only = o->raw_only;
	h.budget.limit = TOTAL_QUEUE_LIMIT;
	signal(SIGPIPE, SIG_IGN);
	umask(077);
	if (ev_signals(sigs, 3, stats_on_signal) < 0) {
		log_err("signal handling: %s", strerror(errno));
		return EXIT_SYSTEM;
	}
	for (size_t i = 0; i < o->n_sockets && !rc; i++) {
		rc = open_listener(&h.listeners[i], &o->sockets[i]);
		if (!rc)
			h.n_listeners++;
	}
	if (!rc && ev_run() < 0) {
		log_err("poll: %s", strerror(errno));
		rc = EXIT_SYSTEM;
	}
	shut_down();
	return rc;
}
