/* The Wi-Fi daemon's supervisor: wpa_supplicant (station) or hostapd
 * (access point) on the interface netd found. The state table is
 * lib/supervisor.h's, with the Wi-Fi daemon's numbers; this file adds
 * what is Wi-Fi's own: the interface it runs on, the control socket, the
 * link, and netd's view of the state (enum wifi_state, in the status).
 *
 * Ready means the control socket answered PING and took ATTACH; a crash
 * restarts with back-off (reset after a stable run), an interface that
 * goes away stops the daemon until it comes back, and shutdown asks the
 * daemon to DISCONNECT and TERMINATE before it is killed. */
#ifndef NETD_WIFI_H
#define NETD_WIFI_H

#include <net/if.h>
#include <stdint.h>

#include "appconf.h"
#include "errcode.h"
#include "loop.h"
#include "plan.h"
#include "proc.h"
#include "supervisor.h"
#include "wpactl.h"
#include "wpaev.h"

#define WIFI_BACKOFF_MIN_MS 100
#define WIFI_BACKOFF_MAX_MS 5000
#define WIFI_START_MS 10000	/* spawn to ready, or it is restarted */
#define WIFI_STABLE_MS 30000	/* a run this long resets the back-off */
#define WIFI_TERM_MS 1500	/* SIGTERM or TERMINATE to SIGKILL */
/* The Wi-Fi daemon is the uplink's critical path after a resume, and it
 * starts while netd, the firewall, dnsmasq and udhcpd do their own start
 * on the same vCPU: it runs ahead of them (nice -10: some nine times
 * their share of the CPU while they compete). */
#define WIFI_NICE (-10)

enum wifi_state {
	WS_OFF,			/* no Wi-Fi config: nothing to run */
	WS_WAIT_IFACE,
	WS_STARTING,		/* spawned, waiting for PING/ATTACH */
	WS_RUNNING,
	WS_BACKOFF,		/* failed; the timer restarts it */
	WS_RESTARTING,		/* hung: killed, then back-off */
	WS_STOPPING,		/* interface gone: killed, then wait for it */
	WS_SHUTTING_DOWN,	/* netd is exiting */
	WS_DONE,
};
#define WS_COUNT (WS_DONE + 1)

enum wifi_event {
	WE_IFACE_UP,
	WE_IFACE_GONE,
	WE_READY,
	WE_EXIT,
	WE_TIMER,
	WE_CTRL_LOST,
	WE_SHUTDOWN,
};
#define WE_COUNT (WE_SHUTDOWN + 1)

/* What the supervisor tells netd's core. */
enum wifi_note {
	WN_STATE,		/* the supervisor's state changed */
	WN_LINK,		/* ssid/bssid/signal/... changed */
	WN_CONNECTED,		/* associated (station) or enabled (AP) */
	WN_DISCONNECTED,
	WN_PROBLEM,		/* w->problem was set */
	WN_DONE,		/* shut down: nothing left running */
};

struct wifi {
	struct supervisor sup;		/* restarts, crash_loop, back-off */
	enum wifi_state state;		/* as netd shows it, kept by wifi.c */
	int off;			/* no Wi-Fi config */
	int shutting_down;
	enum netd_mode mode;
	const char *daemon;		/* "wpa_supplicant" or "hostapd" */
	const char *program;
	const char *conf;
	char ctrl_dir[APPCONF_DIR_MAX];	/* "" = the daemon has no control socket */
	const char *extra_conf;		/* wpa_supplicant -I file, or NULL */
	/* The extra conf narrows wpa_supplicant's first scan to the last
	 * uplink's channel (wifi_first_scan_on). When that scan finds no
	 * network, every channel is scanned at once, not after the daemon's
	 * 5 s scan interval: a changed network is not kept waiting. */
	unsigned first_scan_mhz;	/* 0: the first scan covers every channel */
	int first_scan_pending;		/* spawned with it, no answer yet */
	char scan_ids[88];		/* "scan_id=1,3": the hidden networks */
	char ifname[IF_NAMESIZE];
	int iface_present;
	struct proc proc;
	struct loop_timer timer;
	struct wpactl ctl;
	struct wpa_link link;
	int connected;
	int announced;			/* the console was told of this association */
	char problem[200];		/* what is wrong now, "" if nothing */
	enum netd_err problem_code;	/* the same as a code (status/errcode.h) */
	/* The 802.1X attempt under way: its method and the first reason
	 * given for its failure; the EAP failure's problem, kept when
	 * wpa_supplicant then pauses the network. */
	char eap_method[16];
	char eap_reason[WPA_TEXT_MAX];
	char eap_problem[200];
	uint64_t started_ms, ready_ms, connected_ms;	/* the latest, for milestones */
	void (*notify)(struct wifi *w, enum wifi_note n);
};

/* mode MODE_NONE gives a supervisor that stays off. */
void wifi_init(struct wifi *w, enum netd_mode mode, const struct appconf *app,
	       const char *extra_conf, void (*notify)(struct wifi *, enum wifi_note));
void wifi_event(struct wifi *w, enum wifi_event ev);
/* The daemon's first scan is on this channel only (its extra conf says
 * initial_freq_list=MHZ). */
void wifi_first_scan_on(struct wifi *w, unsigned mhz);
/* The interface to run on appeared (present=1) or went away. */
void wifi_set_iface(struct wifi *w, const char *name, int present);
/* Takes over a daemon an earlier netd left running on ifname. */
int wifi_adopt(struct wifi *w, const char *ifname);
const char *wifi_state_name(enum wifi_state s);
const char *wifi_event_name(enum wifi_event e);

#endif
