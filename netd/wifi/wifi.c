#include "wifi.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "paths.h"

static void note(struct wifi *w, enum wifi_note n)
{
	if (w->notify)
		w->notify(w, n);
}

static void set_problem(struct wifi *w, enum netd_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_problem(struct wifi *w, enum netd_err code, const char *fmt, ...)
{
	char text[sizeof(w->problem)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!strcmp(text, w->problem))
		return;
	strcpy(w->problem, text);
	w->problem_code = code;
	log_err("%s", text);
	note(w, WN_PROBLEM);
}

/* ---- the command line -------------------------------------------------- */

static int build_argv(struct wifi *w, const char **argv)
{
	int n = 0;

	argv[n++] = w->program;
	if (w->mode == MODE_STATION) {
		argv[n++] = "-s";
		argv[n++] = "-D";
		argv[n++] = "nl80211";
		argv[n++] = "-i";
		argv[n++] = w->ifname;
		argv[n++] = "-c";
		argv[n++] = w->conf;
		if (w->extra_conf) {
			argv[n++] = "-I";
			argv[n++] = w->extra_conf;
		}
	} else {
		argv[n++] = "-s";
		argv[n++] = "-i";
		argv[n++] = w->ifname;
		argv[n++] = w->conf;
	}
	argv[n] = NULL;
	return n;
}

/* ---- the supervisor's ops: lib/supervisor.c runs the state table ------- */

static const struct sup_params wifi_params = {
	.backoff_min_ms = WIFI_BACKOFF_MIN_MS,
	.backoff_max_ms = WIFI_BACKOFF_MAX_MS,
	.stable_ms = WIFI_STABLE_MS,
	.stop_ms = WIFI_TERM_MS,
	.ready_ms = WIFI_START_MS,
};

static struct wifi *of(struct supervisor *s)
{
	return container_of(s, struct wifi, sup);
}

static void connect_ctrl(struct wifi *w)
{
	int rc;

	if (!w->ctrl_dir[0]) {
		/* hostapd without ctrl_interface: running is all we can know */
		log_warn("%s has no ctrl_interface: netd cannot follow its state", w->conf);
		sup_event(&w->sup, SUP_READY);
		return;
	}
	rc = wpactl_connect(&w->ctl, w->ctrl_dir, w->ifname);
	if (rc < 0)
		log_err("%s control socket %s/%s: %s", w->daemon, w->ctrl_dir, w->ifname, strerror(-rc));
}

/* No interface: it cannot run now (stopped, waiting for one). A daemon an
 * earlier netd left running is taken as it is. */
static pid_t spawn(struct supervisor *s)
{
	struct wifi *w = of(s);
	const char *argv[16];

	if (!w->iface_present)
		return 0;
	w->connected = 0;
	w->ready_ms = 0;
	memset(&w->link, 0, sizeof(w->link));
	if (!w->proc.pid) {
		build_argv(w, argv);
		if (proc_spawn(&w->proc, argv) < 0) {
			set_problem(w, ERR_WIFI_DAEMON_FAILED, "%s could not be started (see the log)", w->daemon);
			return -1;
		}
		log_info("%s started on %s (pid %d)", w->daemon, w->ifname, (int)w->proc.pid);
		w->first_scan_pending = w->first_scan_mhz != 0;
	}
	w->started_ms = loop_now_ms();
	return w->proc.pid;
}

static void lost_link(struct wifi *w)
{
	wpactl_close(&w->ctl);
	w->announced = 0;
	if (w->connected) {
		w->connected = 0;
		note(w, WN_DISCONNECTED);
	}
	memset(&w->link, 0, sizeof(w->link));
}

/* On shutdown, disconnect, then terminate: the access point sees a clean
 * leave. Otherwise (hung, interface gone) the link is over at once. */
static void signal_it(struct supervisor *s, int sig)
{
	struct wifi *w = of(s);

	if (sig == SIGTERM && w->shutting_down && w->ctl.ready) {
		if (w->mode == MODE_STATION)
			wpactl_request(&w->ctl, WREQ_DISCONNECT);
		wpactl_request(&w->ctl, WREQ_TERMINATE);
		return;
	}
	if (sig == SIGTERM && !w->shutting_down)
		lost_link(w);
	proc_kill(&w->proc, sig);
}

static void timer_set(struct supervisor *s, uint32_t ms)
{
	loop_timer_set(&of(s)->timer, ms);
}

static void timer_cancel(struct supervisor *s)
{
	loop_timer_cancel(&of(s)->timer);
}

static void became_ready(struct wifi *w)
{
	w->ready_ms = loop_now_ms();
	w->problem[0] = '\0';
	w->problem_code = ERR_NONE;
	if (w->ctl.ready) {
		wpactl_request(&w->ctl, WREQ_STATUS);
		if (w->mode == MODE_STATION)
			wpactl_request(&w->ctl, WREQ_SIGNAL_POLL);
	}
	log_info("%s on %s is ready (%llu ms after start)", w->daemon, w->ifname,
		 (unsigned long long)(w->ready_ms - w->started_ms));
}

static void exited_unasked(struct wifi *w, enum sup_state before)
{
	lost_link(w);
	if (before == SUP_STARTING)
		set_problem(w, ERR_WIFI_DAEMON_FAILED, "%s exited before it was ready: check its config and the log", w->daemon);
}

/* What netd sees: the supervisor's state, named as netd's status always
 * named it, with netd's own ends (no Wi-Fi at all; shut down). */
static enum wifi_state shown_state(const struct wifi *w)
{
	if (w->off)
		return WS_OFF;
	switch (w->sup.state) {
	case SUP_STOPPED:
	case SUP_FAILED:
		return w->shutting_down ? WS_DONE : WS_WAIT_IFACE;
	case SUP_STARTING:
		return WS_STARTING;
	case SUP_RUNNING:
		return WS_RUNNING;
	case SUP_BACKOFF:
		return WS_BACKOFF;
	case SUP_KILLING:
		return WS_RESTARTING;
	case SUP_STOPPING:
	case SUP_RESTARTING:
		return w->shutting_down ? WS_SHUTTING_DOWN : WS_STOPPING;
	}
	return WS_OFF;
}

static void show_state(struct wifi *w)
{
	enum wifi_state now = shown_state(w);

	if (now == w->state)
		return;
	w->state = now;
	if (now == WS_DONE)
		note(w, WN_DONE);
	note(w, WN_STATE);
}

static void changed(struct supervisor *s, enum sup_state before, enum sup_event ev)
{
	struct wifi *w = of(s);

	if (ev == SUP_EXIT && (before == SUP_STARTING || before == SUP_RUNNING))
		exited_unasked(w, before);
	if (s->state == SUP_RUNNING && before == SUP_STARTING)
		became_ready(w);
	show_state(w);
	/* stopped because the interface went away, and it is back already */
	if (ev == SUP_EXIT && before == SUP_STOPPING && s->state == SUP_STOPPED &&
	    !w->shutting_down && w->iface_present)
		sup_event(s, SUP_START);
	/* READY may come at once (no control socket): that moves us on */
	if (s->state == SUP_STARTING && before != SUP_STARTING)
		connect_ctrl(w);
}

static const struct sup_ops wifi_ops = {
	.spawn = spawn,
	.kill = signal_it,
	.timer_set = timer_set,
	.timer_cancel = timer_cancel,
	.now_ms = loop_now_ms,
	.changed = changed,
};

const char *wifi_state_name(enum wifi_state s)
{
	static const char *const names[WS_COUNT] = {
		"off", "waiting-for-interface", "starting", "running", "backoff",
		"restarting", "stopping", "shutting-down", "done",
	};
	return names[s];
}

const char *wifi_event_name(enum wifi_event e)
{
	static const char *const names[WE_COUNT] = {
		"iface-up", "iface-gone", "ready", "exit", "timer", "ctrl-lost", "shutdown",
	};
	return names[e];
}

static void shut_down(struct wifi *w)
{
	w->shutting_down = 1;
	sup_event(&w->sup, SUP_STOP);
	show_state(w);	/* already stopped: done */
}

static void iface_gone(struct wifi *w)
{
	/* a hung daemon being killed backs off, then finds no interface */
	if (w->sup.state == SUP_KILLING)
		return;
	if (w->sup.state == SUP_STARTING || w->sup.state == SUP_RUNNING)
		log_notice("%s: interface %s went away: stopping %s until it is back", w->daemon,
			   w->ifname, w->daemon);
	sup_event(&w->sup, SUP_STOP);
}

void wifi_event(struct wifi *w, enum wifi_event ev)
{
	static const enum sup_event to_sup[WE_COUNT] = {
		[WE_IFACE_UP] = SUP_START, [WE_READY] = SUP_READY, [WE_EXIT] = SUP_EXIT,
		[WE_TIMER] = SUP_TIMER, [WE_CTRL_LOST] = SUP_HUNG,
	};

	log_debug("wifi: %s + %s", wifi_state_name(w->state), wifi_event_name(ev));
	if (w->off || w->state == WS_DONE) {
		if (ev == WE_SHUTDOWN && w->state != WS_DONE) {
			w->off = 0;
			w->shutting_down = 1;
			show_state(w);
		}
		return;
	}
	/* shutting down, only the daemon's end and the kill timer matter */
	if (w->shutting_down && ev != WE_EXIT && ev != WE_TIMER)
		return;
	if (ev == WE_SHUTDOWN)
		shut_down(w);
	else if (ev == WE_IFACE_GONE)
		iface_gone(w);
	else if (ev != WE_IFACE_UP || w->sup.state == SUP_STOPPED)
		sup_event(&w->sup, to_sup[ev]);
}

/* ---- inputs: the process, the control socket ---------------------------- */

static void proc_exited(struct proc *p, int wstatus)
{
	sup_exited(&container_of(p, struct wifi, proc)->sup, wstatus);
}

static void timer_fired(struct loop_timer *t)
{
	wifi_event(container_of(t, struct wifi, timer), WE_TIMER);
}

static void ctl_ready(struct wpactl *c)
{
	wifi_event(container_of(c, struct wifi, ctl), WE_READY);
}

static void ctl_lost(struct wpactl *c, const char *why)
{
	struct wifi *w = container_of(c, struct wifi, ctl);

	log_warn("%s: %s", w->daemon, why);
	wifi_event(w, WE_CTRL_LOST);
}

/* A daemon that connected before netd attached (hostapd enables at once;
 * an adopted wpa_supplicant is long associated) sent its event to nobody:
 * STATUS tells instead. Disconnection comes through its event. */
static void connected_by_status(struct wifi *w)
{
	const char *up = w->mode == MODE_AP ? "ENABLED" : "COMPLETED";

	if (w->connected || strcmp(w->link.state, up))
		return;
	w->connected = 1;
	w->connected_ms = loop_now_ms();
	w->problem[0] = '\0';
	w->problem_code = ERR_NONE;
	log_info("%s on %s: %s", w->daemon, w->ifname, up);
	if (w->mode == MODE_STATION)
		wpactl_request(&w->ctl, WREQ_SIGNAL_POLL);
	note(w, WN_CONNECTED);
}

/* The network's name comes with the STATUS that follows the event: the
 * console hears of each association once. */
static void announce(struct wifi *w)
{
	if (!w->connected || w->announced || !w->link.ssid[0])
		return;
	w->announced = 1;
	if (w->mode == MODE_AP)
		log_console("access point '%s' up on %s", w->link.ssid, w->ifname);
	else
		log_console("connected to '%s' on %s (%s, %d MHz)", w->link.ssid, w->ifname, w->link.bssid,
			    w->link.freq);
}

static void ctl_reply(struct wpactl *c, enum wpactl_req r, const char *text, size_t len)
{
	struct wifi *w = container_of(c, struct wifi, ctl);

	switch (r) {
	case WREQ_STATUS:
		wpa_status_parse(text, len, &w->link);
		connected_by_status(w);
		announce(w);
		break;
	case WREQ_SIGNAL_POLL:
		wpa_signal_parse(text, len, &w->link);
		break;
	case WREQ_SCAN:
		if (len < 2 || strncmp(text, "OK", 2))
			log_info("%s on %s: %s: %.*s", w->daemon, w->ifname, w->ctl.scan_line,
				 (int)strcspn(text, "\n"), text);
		return;
	case WREQ_PING:
	case WREQ_DISCONNECT:
	case WREQ_TERMINATE:
		return;
	}
	note(w, WN_LINK);
}

static void refresh(struct wifi *w)
{
	wpactl_request(&w->ctl, WREQ_STATUS);
	if (w->mode == MODE_STATION && w->connected)
		wpactl_request(&w->ctl, WREQ_SIGNAL_POLL);
}

static void on_connected(struct wifi *w, const struct wpa_ev *ev)
{
	w->first_scan_pending = 0;
	w->connected = 1;
	w->connected_ms = loop_now_ms();
	w->problem[0] = w->eap_problem[0] = '\0';
	w->problem_code = ERR_NONE;
	strcpy(w->link.bssid, ev->bssid);
	strcpy(w->link.state, w->mode == MODE_AP ? "ENABLED" : "COMPLETED");
	log_info("%s on %s: %s", w->daemon, w->ifname, ev->text);
	refresh(w);
	note(w, WN_CONNECTED);
}

static void on_disconnected(struct wifi *w, const struct wpa_ev *ev)
{
	log_info("%s on %s: %s", w->daemon, w->ifname, ev->text);
	if (!w->connected)
		return;
	w->connected = 0;
	w->announced = 0;
	w->link.has_signal = 0;
	refresh(w);
	note(w, WN_DISCONNECTED);
}

/* 802.1X: an EAP failure is a problem with its reason (the server's
 * certificate, a TLS alert, the refused password), not just a network
 * paused after failures. The first reason of an attempt is the cause. */
static void eap_reason(struct wifi *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void eap_reason(struct wifi *w, const char *fmt, ...)
{
	va_list ap;

	if (w->eap_reason[0])
		return;
	va_start(ap, fmt);
	vsnprintf(w->eap_reason, sizeof(w->eap_reason), fmt, ap);
	va_end(ap);
}

static void on_eap_failure(struct wifi *w)
{
	snprintf(w->eap_problem, sizeof(w->eap_problem), "EAP authentication failed (%s): %.150s",
		 w->eap_method[0] ? w->eap_method : "no method agreed",
		 w->eap_reason[0] ? w->eap_reason : "no reason given (see the log)");
	set_problem(w, ERR_EAP_FAILED, "%s", w->eap_problem);
}

static void on_eap_event(struct wifi *w, const struct wpa_ev *ev)
{
	if (ev->type == WEV_EAP_STARTED) {
		w->eap_method[0] = w->eap_reason[0] = '\0';
	} else if (ev->type == WEV_EAP_METHOD) {
		copy_printable(w->eap_method, sizeof(w->eap_method), ev->detail, strlen(ev->detail));
	} else if (ev->type == WEV_EAP_CERT_ERROR) {
		eap_reason(w, "server certificate rejected: %s", ev->detail);
	} else if (ev->type == WEV_EAP_TLS_ALERT) {
		eap_reason(w, "%s", ev->detail);
	} else if (ev->type == WEV_EAP_PASSWORD_REFUSED) {
		eap_reason(w, "the server refused the %s (MSCHAPv2 error %d)",
			   ev->reason == 691 ? "identity or password" : "password", ev->reason);
	} else if (ev->type == WEV_EAP_FAILURE) {
		on_eap_failure(w);
	}
}

/* wpa_supplicant pauses a network after failures, for longer each time:
 * say so, after the EAP failure's reason when there was one. */
static void on_temp_disabled(struct wifi *w, const struct wpa_ev *ev)
{
	const char *failures = strstr(ev->text, "auth_failures=");

	if (w->eap_problem[0] && strstr(ev->text, "reason=AUTH_FAILED"))
		set_problem(w, ERR_EAP_FAILED, "%s; network paused: %s", w->eap_problem,
			    failures ? failures : ev->text);
	else
		set_problem(w, ERR_NETWORK_PAUSED, "network paused after failures: %s", ev->text);
}

/* The first scan, on the last uplink's channel only, found no network:
 * one channel is no reason to say none is in range. */
static void widen_first_scan(struct wifi *w)
{
	w->first_scan_pending = 0;
	log_info("%s on %s: no network on %u MHz, where the last uplink was: scanning every channel now",
		 w->daemon, w->ifname, w->first_scan_mhz);
	wpactl_scan(&w->ctl, w->scan_ids);
}

static void ctl_event(struct wpactl *c, const char *text, size_t len)
{
	struct wifi *w = container_of(c, struct wifi, ctl);
	struct wpa_ev ev;

	if (wpa_ev_parse(text, len, &ev) < 0)
		return;
	switch (ev.type) {
	case WEV_CONNECTED:
	case WEV_AP_ENABLED:
		on_connected(w, &ev);
		return;
	case WEV_DISCONNECTED:
	case WEV_AP_DISABLED:
		on_disconnected(w, &ev);
		return;
	case WEV_WRONG_KEY:
		set_problem(w, ERR_WRONG_KEY, "wrong passphrase for network '%s'", ev.ssid[0] ? ev.ssid : w->link.ssid);
		return;
	case WEV_TEMP_DISABLED:
		on_temp_disabled(w, &ev);
		return;
	case WEV_EAP_STARTED:
	case WEV_EAP_METHOD:
	case WEV_EAP_CERT_ERROR:
	case WEV_EAP_TLS_ALERT:
	case WEV_EAP_PASSWORD_REFUSED:
	case WEV_EAP_FAILURE:
		on_eap_event(w, &ev);
		return;
	case WEV_NETWORK_NOT_FOUND:
		if (w->connected)
			return;
		if (w->first_scan_pending)
			widen_first_scan(w);
		else
			set_problem(w, ERR_NO_NETWORK, "%s", "no configured network is in range");
		return;
	case WEV_ASSOC_REJECT:
		set_problem(w, ERR_ASSOC_REJECTED, "association rejected (status %d)", ev.reason);
		return;
	case WEV_SIGNAL_CHANGE:
		w->link.signal = ev.signal;
		w->link.has_signal = 1;
		note(w, WN_LINK);
		return;
	case WEV_AP_STA_CONNECTED:
	case WEV_AP_STA_DISCONNECTED:
		log_info("%s on %s: %s", w->daemon, w->ifname, ev.text);
		refresh(w);
		return;
	case WEV_TERMINATING:
	case WEV_OTHER:
		return;
	}
}

static const struct wpactl_handlers ctl_handlers = {
	.ready = ctl_ready,
	.reply = ctl_reply,
	.event = ctl_event,
	.lost = ctl_lost,
};

/* ---- setup ---------------------------------------------------------------- */

/* "scan_id=1,3" for SCAN: wpa_supplicant probes for those networks'
 * SSIDs, as its own scans do for hidden networks; "" when there are none. */
static void scan_ids_of(const struct appconf *app, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < app->n_hidden && n < size; k++)
		n += (size_t)snprintf(buf + n, size - n, "%s%d", k ? "," : "scan_id=", app->hidden[k]);
	if (n >= size)
		buf[0] = '\0';	/* ids past 9999: no probes for names, then */
}

void wifi_init(struct wifi *w, enum netd_mode mode, const struct appconf *app,
	       const char *extra_conf, void (*notify)(struct wifi *, enum wifi_note))
{
	memset(w, 0, sizeof(*w));
	w->mode = mode;
	w->notify = notify;
	w->off = mode == MODE_NONE;
	w->state = w->off ? WS_OFF : WS_WAIT_IFACE;
	w->daemon = mode == MODE_AP ? "hostapd" : "wpa_supplicant";
	w->program = mode == MODE_AP ? paths.hostapd : paths.wpa_supplicant;
	w->conf = mode == MODE_AP ? paths.hostapd_conf : paths.wpa_conf;
	w->extra_conf = extra_conf;
	if (app) {
		strcpy(w->ctrl_dir, app->ctrl_dir);
		scan_ids_of(app, w->scan_ids, sizeof(w->scan_ids));
	}
	w->proc.name = w->daemon;
	w->proc.nice = WIFI_NICE;
	w->proc.exited = proc_exited;
	w->timer.lfd.fd = -1;
	w->timer.cb = timer_fired;
	sup_init(&w->sup, w->daemon, &wifi_params, &wifi_ops);
	wpactl_init(&w->ctl, &ctl_handlers);
}

void wifi_first_scan_on(struct wifi *w, unsigned mhz)
{
	w->first_scan_mhz = mhz;
}

void wifi_set_iface(struct wifi *w, const char *name, int present)
{
	if (present) {
		snprintf(w->ifname, sizeof(w->ifname), "%s", name);
		w->iface_present = 1;
		wifi_event(w, WE_IFACE_UP);
	} else if (w->iface_present && !strcmp(w->ifname, name)) {
		w->iface_present = 0;
		wifi_event(w, WE_IFACE_GONE);
	}
}

int wifi_adopt(struct wifi *w, const char *ifname)
{
	if (w->off || w->proc.pid)
		return -1;
	return proc_adopt(&w->proc, w->daemon, ifname);
}
