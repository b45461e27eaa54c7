/* Guest mode's insides, shared by its files:
 *   guest.c   listening, accepting, start and stop
 *   conn.c    one TCP connection and its client datagram socket
 *   mon.c     parked monitors (ATTACHed sockets behind socat's host side)
 *   target.c  the daemon's control socket: there, gone, re-created
 */
#ifndef UDSP_GUEST_INT_H
#define UDSP_GUEST_INT_H

#include "evloop.h"
#include "frame.h"
#include "guest.h"
#include "queue.h"
#include "relay.h"
#include "stats.h"

#include <netinet/in.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

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
#define STALL_MS 10000		/* a framed peer with output waiting that reads nothing */
#define CLOSING_MS 2000		/* to flush a reset notice */
#define RECHECK_MS 1000		/* without inotify, while requests wait */
#define PARK_MS 30000		/* wpa_cli and wpa_gui PING every 5 s */
#define MAX_PARKED 8		/* per socket */
#define MON_QUEUE_LIMIT (64 * 1024)
#define RAW_GAP_MS 20		/* between datagrams on one raw connection */
#define SOCAT_WAIT_MS 500	/* socat's host side reads replies that long (its -t) */
#define LATE_REPLY_MS 400	/* ...after sending the request, which takes some of it to arrive */
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
	struct relay r;		/* the TCP connection */
	struct ev_fd dg;	/* fd -1 once closed */
	char path[UDSP_MAX_PATH + 1];
	char peer[32];
	enum conn_mode mode;
	unsigned char hello[HELLO_LEN];
	size_t hello_len;
	struct queue to_daemon;
	unsigned generation;	/* the daemon instance dg is connected to; 0: none */
	int talked;		/* sent a request to that instance */
	uint64_t requests, replies;	/* raw: replies owed = requests - replies */
	int attach_pending, detach_pending;
	int monitor;		/* the daemon sends events to dg */
	int peer_eof, discarding, closing;
	uint64_t accepted_ms, eof_ms, closing_ms, gap_until_ms;
	uint64_t out_moved_ms;	/* to_tcp last became non-empty or was written */
	uint64_t asked_ms;	/* raw: the last request came then */
	char asked[24];		/* raw: its command word, for the log */
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

struct guest_state {
	struct in_addr addr, mask;
	const char *rundir;
	const char *hostaddr_file;
	/* in client socket names: a daemon may still hold an ATTACH of an
	 * earlier instance's socket, whose name must never come back */
	char instance[24];
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
		rl_accept, rl_late;
};

extern struct guest_state g;

/* conn.c */
void conn_new(struct target *t, int fd, const struct sockaddr_in *peer);
void conn_free(struct conn *c);
void conn_kill(struct conn *c, const char *why);
void conn_reset(struct conn *c);
void conn_attach(struct conn *c);
void conn_update(struct conn *c);
void conn_send_requests(struct conn *c);
void conn_close_dgram(struct conn *c);
int conn_attached(const struct conn *c);
void conn_dg_ready(struct ev_fd *f, short revents);

/* mon.c */
void mon_park(struct conn *c);
void mon_claim(struct conn *c);
void mon_reattach_all(struct target *t);
void mon_drop_all(struct target *t);
/* What a raw request means for parked monitors (ATTACH, PING, DETACH). */
void mon_note_command(struct conn *c, const unsigned char *data, size_t len);
/* Events start with "<level>" (or "IFNAME=" on a global socket). */
int is_event(const unsigned char *data, size_t len);
/* For raw queues (no frame header): the chunk is an event, or a reply. */
int chunk_is_event(const struct chunk *ch);
int chunk_is_reply(const struct chunk *ch);

/* target.c */
void target_refused(struct target *t);
void target_rescan_all(void);
void target_watch_ready(struct ev_fd *f, short revents);
void target_recheck(struct ev_timer *t);

#endif
