#include "wifi.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "log.h"
#include "paths.h"

typedef enum wifi_state (*wifi_action)(struct wifi *w);

static void note(struct wifi *w, enum wifi_note n)
{
	if (w->notify)
		w->notify(w, n);
}

static void set_problem(struct wifi *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_problem(struct wifi *w, const char *fmt, ...)
{
	char text[sizeof(w->problem)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!strcmp(text, w->problem))
		return;
	strcpy(w->problem, text);
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

/* ---- actions ------------------------------------------------------------ */

static enum wifi_state stay(struct wifi *w)
{
	return w->state;
}

static enum wifi_state arm(struct wifi *w, uint32_t ms, enum wifi_state next)
{
	loop_timer_set(&w->timer, ms);
	return next;
}

static enum wifi_state backoff(struct wifi *w)
{
	uint32_t delay;

	if (w->ready_ms && loop_now_ms() - w->ready_ms >= WIFI_STABLE_MS)
		backoff_reset(&w->backoff);
	w->ready_ms = 0;
	delay = backoff_fail(&w->backoff);
	w->crash_loop = backoff_at_cap(&w->backoff);
	log_notice("%s on %s: restarting in %u ms%s", w->daemon, w->ifname, delay,
		   w->crash_loop ? " (crash loop: retrying at the cap)" : "");
	return arm(w, delay, WS_BACKOFF);
}

static void connect_ctrl(struct wifi *w)
{
	int rc;

	if (!w->ctrl_dir[0]) {
		/* hostapd without ctrl_interface: running is all we can know */
		log_warn("%s has no ctrl_interface: netd cannot follow its state", w->conf);
		wifi_event(w, WE_READY);
		return;
	}
	rc = wpactl_connect(&w->ctl, w->ctrl_dir, w->ifname);
	if (rc < 0)
		log_err("%s control socket %s/%s: %s", w->daemon, w->ctrl_dir, w->ifname, strerror(-rc));
}

static enum wifi_state start(struct wifi *w)
{
	const char *argv[16];

	if (!w->iface_present)
		return WS_WAIT_IFACE;
	w->connected = 0;
	w->ready_ms = 0;
	memset(&w->link, 0, sizeof(w->link));
	if (!w->proc.pid) {
		build_argv(w, argv);
		if (proc_spawn(&w->proc, argv) < 0) {
			set_problem(w, "%s could not be started (see the log)", w->daemon);
			return backoff(w);
		}
		log_info("%s started on %s (pid %d)", w->daemon, w->ifname, (int)w->proc.pid);
	}
	w->started_ms = loop_now_ms();
	loop_timer_set(&w->timer, WIFI_START_MS);
	/* READY may come at once (no control socket): that moves us on */
	w->state = WS_STARTING;
	connect_ctrl(w);
	return w->state;
}

static enum wifi_state running(struct wifi *w)
{
	loop_timer_cancel(&w->timer);
	w->ready_ms = loop_now_ms();
	w->problem[0] = '\0';
	if (w->ctl.ready) {
		wpactl_request(&w->ctl, WREQ_STATUS);
		if (w->mode == MODE_STATION)
			wpactl_request(&w->ctl, WREQ_SIGNAL_POLL);
	}
	log_info("%s on %s is ready (%llu ms after start)", w->daemon, w->ifname,
		 (unsigned long long)(w->ready_ms - w->started_ms));
	return WS_RUNNING;
}

static void lost_link(struct wifi *w)
{
	wpactl_close(&w->ctl);
	if (w->connected) {
		w->connected = 0;
		note(w, WN_DISCONNECTED);
	}
	memset(&w->link, 0, sizeof(w->link));
}

static enum wifi_state crashed(struct wifi *w)
{
	lost_link(w);
	w->restarts++;
	if (w->state == WS_STARTING)
		set_problem(w, "%s exited before it was ready: check its config and the log", w->daemon);
	else if (w->state == WS_RUNNING)
		log_err("%s on %s exited unexpectedly", w->daemon, w->ifname);
	return backoff(w);
}

static enum wifi_state terminate(struct wifi *w, enum wifi_state next)
{
	lost_link(w);
	proc_kill(&w->proc, SIGTERM);
	return arm(w, WIFI_TERM_MS, next);
}

static enum wifi_state hung(struct wifi *w)
{
	log_err("%s on %s does not answer on its control socket: restarting it", w->daemon, w->ifname);
	return terminate(w, WS_RESTARTING);
}

static enum wifi_state stop(struct wifi *w)
{
	log_notice("%s: interface %s went away: stopping %s until it is back", w->daemon,
		   w->ifname, w->daemon);
	return terminate(w, WS_STOPPING);
}

static enum wifi_state force_kill(struct wifi *w)
{
	log_warn("%s (pid %d) did not stop: killing it", w->daemon, (int)w->proc.pid);
	proc_kill(&w->proc, SIGKILL);
	return w->state;
}

static enum wifi_state stopped(struct wifi *w)
{
	loop_timer_cancel(&w->timer);
	return w->iface_present ? start(w) : WS_WAIT_IFACE;
}

static enum wifi_state retry(struct wifi *w)
{
	return w->iface_present ? start(w) : WS_WAIT_IFACE;
}

static enum wifi_state wait_iface(struct wifi *w)
{
	loop_timer_cancel(&w->timer);
	return WS_WAIT_IFACE;
}

static enum wifi_state done(struct wifi *w)
{
	loop_timer_cancel(&w->timer);
	w->state = WS_DONE;
	note(w, WN_DONE);
	return WS_DONE;
}

/* Disconnect, then terminate: the access point sees a clean leave. */
static enum wifi_state shut_down(struct wifi *w)
{
	if (w->ctl.ready && w->mode == MODE_STATION)
		wpactl_request(&w->ctl, WREQ_DISCONNECT);
	if (w->ctl.ready)
		wpactl_request(&w->ctl, WREQ_TERMINATE);
	else
		proc_kill(&w->proc, SIGTERM);
	return arm(w, WIFI_TERM_MS, WS_SHUTTING_DOWN);
}

static const wifi_action table[WS_COUNT][WE_COUNT] = {
	/*                    IFACE_UP IFACE_GONE  READY    EXIT     TIMER       CTRL_LOST SHUTDOWN */
	[WS_OFF]           = { stay,   stay,       stay,    stay,    stay,       stay,     done },
	[WS_WAIT_IFACE]    = { start,  stay,       stay,    stay,    stay,       stay,     done },
	[WS_STARTING]      = { stay,   stop,       running, crashed, hung,       hung,     shut_down },
	[WS_RUNNING]       = { stay,   stop,       stay,    crashed, stay,       hung,     shut_down },
	[WS_BACKOFF]       = { stay,   wait_iface, stay,    stay,    retry,      stay,     done },
	[WS_RESTARTING]    = { stay,   stay,       stay,    backoff, force_kill, stay,     shut_down },
	[WS_STOPPING]      = { stay,   stay,       stay,    stopped, force_kill, stay,     shut_down },
	[WS_SHUTTING_DOWN] = { stay,   stay,       stay,    done,    force_kill, stay,     stay },
	[WS_DONE]          = { stay,   stay,       stay,    stay,    stay,       stay,     stay },
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

void wifi_event(struct wifi *w, enum wifi_event ev)
{
	enum wifi_state before = w->state, after;

	after = table[before][ev](w);
	log_debug("wifi: %s + %s -> %s", wifi_state_name(before), wifi_event_name(ev),
		  wifi_state_name(after));
	w->state = after;
	if (after != before)
		note(w, WN_STATE);
}

/* ---- inputs: the process, the control socket ---------------------------- */

static void proc_exited(struct proc *p, int wstatus)
{
	struct wifi *w = container_of(p, struct wifi, proc);

	if (wstatus == PROC_ADOPTED_STATUS)
		log_notice("%s (adopted) exited", w->daemon);
	else if (WIFEXITED(wstatus))
		log_notice("%s exited with status %d", w->daemon, WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		log_notice("%s was killed by signal %d", w->daemon, WTERMSIG(wstatus));
	wifi_event(w, WE_EXIT);
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
	log_info("%s on %s: %s", w->daemon, w->ifname, up);
	if (w->mode == MODE_STATION)
		wpactl_request(&w->ctl, WREQ_SIGNAL_POLL);
	note(w, WN_CONNECTED);
}

static void ctl_reply(struct wpactl *c, enum wpactl_req r, const char *text, size_t len)
{
	struct wifi *w = container_of(c, struct wifi, ctl);

	switch (r) {
	case WREQ_STATUS:
		wpa_status_parse(text, len, &w->link);
		connected_by_status(w);
		break;
	case WREQ_SIGNAL_POLL:
		wpa_signal_parse(text, len, &w->link);
		break;
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
	w->connected = 1;
	w->connected_ms = loop_now_ms();
	w->problem[0] = w->eap_problem[0] = '\0';
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
	set_problem(w, "%s", w->eap_problem);
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
	if (w->eap_problem[0] && strstr(ev->text, "reason=AUTH_FAILED"))
		set_problem(w, "%s; network paused: %s", w->eap_problem, strstr(ev->text, "auth_failures="));
	else
		set_problem(w, "network paused after failures: %s", ev->text);
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
		set_problem(w, "wrong passphrase for network '%s'", ev.ssid[0] ? ev.ssid : w->link.ssid);
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
		if (!w->connected)
			set_problem(w, "%s", "no configured network is in range");
		return;
	case WEV_ASSOC_REJECT:
		set_problem(w, "association rejected (status %d)", ev.reason);
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

void wifi_init(struct wifi *w, enum netd_mode mode, const struct appconf *app,
	       const char *extra_conf, void (*notify)(struct wifi *, enum wifi_note))
{
	memset(w, 0, sizeof(*w));
	w->mode = mode;
	w->notify = notify;
	w->state = mode == MODE_NONE ? WS_OFF : WS_WAIT_IFACE;
	w->daemon = mode == MODE_AP ? "hostapd" : "wpa_supplicant";
	w->program = mode == MODE_AP ? paths.hostapd : paths.wpa_supplicant;
	w->conf = mode == MODE_AP ? paths.hostapd_conf : paths.wpa_conf;
	w->extra_conf = extra_conf;
	if (app)
		strcpy(w->ctrl_dir, app->ctrl_dir);
	w->proc.name = w->daemon;
	w->proc.exited = proc_exited;
	w->timer.lfd.fd = -1;
	w->timer.cb = timer_fired;
	backoff_init(&w->backoff, WIFI_BACKOFF_MIN_MS, WIFI_BACKOFF_MAX_MS);
	wpactl_init(&w->ctl, &ctl_handlers);
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
	if (w->state == WS_OFF || w->proc.pid)
		return -1;
	return proc_adopt(&w->proc, w->daemon, ifname);
}
