/* A client of wpa_supplicant's or hostapd's control interface, inside
 * netd's event loop: two sockets as wpa_cli uses them, one for commands
 * (one in flight at a time, the rest queued) and one ATTACHed for events.
 * Ready when the daemon answered PING and accepted ATTACH. Nothing here
 * blocks: replies and events arrive through the loop. */
#ifndef NETD_WPACTL_H
#define NETD_WPACTL_H

#include <net/if.h>
#include <stddef.h>

#include "ctrl.h"
#include "loop.h"

#define WPACTL_QUEUE 8
#define WPACTL_REPLY_MS 5000
#define WPACTL_PATH_MAX 128

enum wpactl_req {
	WREQ_PING,
	WREQ_STATUS,
	WREQ_SIGNAL_POLL,
	WREQ_DISCONNECT,
	WREQ_TERMINATE,
	WREQ_SCAN,		/* with the arguments wpactl_scan gave */
};

struct wpactl;

struct wpactl_handlers {
	void (*ready)(struct wpactl *c);
	void (*reply)(struct wpactl *c, enum wpactl_req r, const char *text, size_t len);
	void (*event)(struct wpactl *c, const char *text, size_t len);
	/* The daemon stopped answering, or its socket went away. */
	void (*lost)(struct wpactl *c, const char *why);
};

struct wpactl {
	const struct wpactl_handlers *h;
	char path[WPACTL_PATH_MAX];
	struct ctrl *cmd, *mon;
	struct loop_fd cmd_lfd, mon_lfd;
	struct ctrl_watch watch;
	struct loop_timer timer;	/* the reply being waited for */
	enum wpactl_req queue[WPACTL_QUEUE];
	char scan_line[96];		/* WREQ_SCAN's command */
	unsigned qlen;
	int inflight;			/* queue[0] was sent */
	int attaching;
	int ready;
};

void wpactl_init(struct wpactl *c, const struct wpactl_handlers *h);
/* Connects now if the socket dir/ifname exists, else when it appears. */
int wpactl_connect(struct wpactl *c, const char *dir, const char *ifname);
/* Queued until ready; a request already queued is not added twice. */
void wpactl_request(struct wpactl *c, enum wpactl_req r);
/* SCAN now, on every channel: "SCAN", or "SCAN scan_id=1,3" (those
 * networks' SSIDs probed for too: hidden ones). */
void wpactl_scan(struct wpactl *c, const char *args);
void wpactl_close(struct wpactl *c);
const char *wpactl_req_text(enum wpactl_req r);

#endif
