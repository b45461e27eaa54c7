/* The Wi-Fi daemon's supervisor: its state table, the control-socket
 * protocol (PING, ATTACH, events), back-off and shutdown, against fake
 * processes and fake control sockets. */
#include "check.h"

#include <signal.h>
#include <sys/wait.h>

#include "fakes.h"
#include "wifi.h"

static struct wifi w;
static int notes[WN_DONE + 1];

static void notify(struct wifi *x, enum wifi_note n)
{
	(void)x;
	notes[n]++;
}

/* hidden: the ids of the networks with scan_ssid=1, n of them */
static void setup_hidden(enum netd_mode mode, const char *ctrl_dir, const int *hidden, unsigned n)
{
	struct appconf app;

	loop_init();
	fake_proc_reset();
	fake_ctrl_reset();
	memset(notes, 0, sizeof(notes));
	memset(&app, 0, sizeof(app));
	snprintf(app.ctrl_dir, sizeof(app.ctrl_dir), "%s", ctrl_dir);
	if (n)
		memcpy(app.hidden, hidden, n * sizeof(hidden[0]));
	app.n_hidden = n;
	wifi_init(&w, mode, &app, NULL, notify);
}

static void setup(enum netd_mode mode, const char *ctrl_dir)
{
	setup_hidden(mode, ctrl_dir, NULL, 0);
}

static void teardown(void)
{
	wpactl_close(&w.ctl);
	loop_timer_free(&w.timer);
	loop_timer_free(&w.ctl.timer);
}

/* The daemon creates its socket and answers PING and ATTACH. */
static void becomes_ready(void)
{
	fake_ctrl_present = 1;
	fake_ctrl_watch_fire(&w.ctl);
	fake_ctrl_reply(&w.ctl, "PONG\n");
	fake_ctrl_event(&w.ctl, "OK\n");
}

/* Ready, its STATUS and SIGNAL_POLL answered; the log cleared. */
static void ready_and_scanning(void)
{
	becomes_ready();
	fake_ctrl_reply(&w.ctl, "wpa_state=SCANNING\n");
	fake_ctrl_reply(&w.ctl, "FAIL\n");
	fake_ctrl_log[0] = '\0';
}

TEST(wifi_station_starts_when_the_interface_appears)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	CHECK_INT(w.state, WS_WAIT_IFACE);
	wifi_set_iface(&w, "wlan0", 1);
	CHECK_INT(w.state, WS_STARTING);
	CHECK_CONTAINS(fake_proc_log, "spawn wpa_supplicant: /usr/sbin/wpa_supplicant -s -D nl80211 -i wlan0 "
				      "-c /etc/wpa_supplicant/wpa_supplicant.conf\n");
	/* watch first, then look */
	CHECK_CONTAINS(fake_ctrl_log, "watch /var/run/wpa_supplicant/wlan0\nopen /var/run/wpa_supplicant/wlan0 (absent)\n");
	becomes_ready();
	CHECK_CONTAINS(fake_ctrl_log, "send 0 PING\nsend 1 ATTACH\nsend 0 STATUS\n");
	CHECK_INT(w.state, WS_RUNNING);
	CHECK(!w.timer.pending);	/* the start timeout is cancelled */
	fake_ctrl_reply(&w.ctl, "wpa_state=SCANNING\n");
	CHECK_STR(w.link.state, "SCANNING");
	CHECK_CONTAINS(fake_ctrl_log, "send 0 SIGNAL_POLL\n");
	teardown();
}

TEST(wifi_events_connected_signal_disconnected)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	ready_and_scanning();
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]");
	CHECK_INT(w.connected, 1);
	CHECK_INT(notes[WN_CONNECTED], 1);
	CHECK_STR(w.link.state, "COMPLETED");
	CHECK_CONTAINS(fake_ctrl_log, "send 0 STATUS\n");
	fake_ctrl_reply(&w.ctl, "bssid=02:00:00:00:01:00\nfreq=2412\nssid=world\nwpa_state=COMPLETED\n");
	fake_ctrl_reply(&w.ctl, "RSSI=-33\nFREQUENCY=2412\n");
	CHECK_STR(w.link.ssid, "world");
	CHECK_INT(w.link.signal, -33);
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-SIGNAL-CHANGE above=0 signal=-70 noise=-95 txrate=6500");
	CHECK_INT(w.link.signal, -70);
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:01:00 reason=4");
	CHECK_INT(w.connected, 0);
	CHECK_INT(notes[WN_DISCONNECTED], 1);
	teardown();
}

TEST(wifi_connected_before_attach_is_learnt_from_status)
{
	setup(MODE_AP, "/var/run/hostapd");
	wifi_set_iface(&w, "wlan0", 1);
	becomes_ready();	/* AP-ENABLED went out before ATTACH */
	CHECK_INT(w.connected, 0);
	fake_ctrl_reply(&w.ctl, "state=ENABLED\nssid[0]=guest\nnum_sta[0]=0\n");
	CHECK_INT(w.connected, 1);
	CHECK_INT(notes[WN_CONNECTED], 1);
	fake_ctrl_reply(&w.ctl, "state=ENABLED\nssid[0]=guest\nnum_sta[0]=0\n");
	CHECK_INT(notes[WN_CONNECTED], 1);
	teardown();
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	becomes_ready();
	fake_ctrl_reply(&w.ctl, "wpa_state=4WAY_HANDSHAKE\n");
	CHECK_INT(w.connected, 0);
	teardown();
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	becomes_ready();
	fake_ctrl_reply(&w.ctl, "bssid=02:00:00:00:01:00\nssid=world\nwpa_state=COMPLETED\n");
	CHECK_INT(w.connected, 1);
	CHECK_STR(w.link.ssid, "world");
	teardown();
}

TEST(wifi_wrong_passphrase_is_a_problem_cleared_by_connecting)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	becomes_ready();
	capture_start();
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"world\" auth_failures=1 duration=10 reason=WRONG_KEY");
	capture_end();
	CHECK_STR(w.problem, "wrong passphrase for network 'world'");
	CHECK_INT(w.problem_code, ERR_WRONG_KEY);
	CHECK_INT(notes[WN_PROBLEM], 1);
	/* the same again is not news */
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"world\" auth_failures=2 duration=20 reason=WRONG_KEY");
	CHECK_INT(notes[WN_PROBLEM], 1);
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]");
	CHECK_STR(w.problem, "");
	teardown();
}

/* Each attempt's events as wpa_supplicant 2.10 sends them (issue 20). */
static void eap_attempt(const char *method, const char *why)
{
	char text[256];

	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-EAP-STARTED EAP authentication started");
	snprintf(text, sizeof(text), "<3>CTRL-EVENT-EAP-METHOD EAP vendor 0 method %s selected", method);
	fake_ctrl_event(&w.ctl, text);
	if (why)
		fake_ctrl_event(&w.ctl, why);
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-EAP-FAILURE EAP authentication failed");
}

TEST(wifi_eap_failure_is_a_problem_with_its_reason)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	becomes_ready();
	capture_start();
	eap_attempt("25 (PEAP)", "<3>CTRL-EVENT-EAP-TLS-CERT-ERROR reason=1 depth=0 "
		    "subject='/O=x/CN=radius.elsewhere.test' err='Domain suffix mismatch'");
	CHECK_STR(w.problem, "EAP authentication failed (PEAP): server certificate rejected: Domain suffix mismatch");
	/* the pause that follows keeps the reason */
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"corp\" auth_failures=1 duration=10 reason=AUTH_FAILED");
	CHECK_STR(w.problem, "EAP authentication failed (PEAP): server certificate rejected: Domain suffix mismatch; "
		  "network paused: auth_failures=1 duration=10 reason=AUTH_FAILED");
	/* a new attempt has its own reason: the password, not the certificate */
	eap_attempt("25 (PEAP)", "<4>EAP-MSCHAPV2: failure message: 'FAILED' "
		    "(retry not allowed, error 691)");
	CHECK_STR(w.problem, "EAP authentication failed (PEAP): the server refused the identity or password (MSCHAPv2 error 691)");
	/* a TLS alert; and no reason at all */
	eap_attempt("13 (TLS)", "<3>CTRL-EVENT-EAP-STATUS status='local TLS alert' parameter='protocol version'");
	CHECK_STR(w.problem, "EAP authentication failed (TLS): local TLS alert: protocol version");
	eap_attempt("21 (TTLS)", "<3>CTRL-EVENT-EAP-STATUS status='accept proposed method' parameter='TTLS'");
	CHECK_STR(w.problem, "EAP authentication failed (TTLS): no reason given (see the log)");
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]");
	CHECK_STR(w.problem, "");
	/* a pause without an EAP failure in this attempt: as before */
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"corp\" auth_failures=1 duration=10 reason=CONN_FAILED");
	CHECK_CONTAINS(w.problem, "network paused after failures: CTRL-EVENT-SSID-TEMP-DISABLED");
	capture_end();
	teardown();
}

#define NOT_FOUND "<3>CTRL-EVENT-NETWORK-NOT-FOUND"

TEST(wifi_no_network_found_is_a_problem)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	becomes_ready();
	fake_ctrl_log[0] = '\0';
	fake_ctrl_event(&w.ctl, NOT_FOUND);
	CHECK_STR(w.problem, "no configured network is in range");
	CHECK_INT(w.problem_code, ERR_NO_NETWORK);
	CHECK(!strstr(fake_ctrl_log, "SCAN"));	/* wpa_supplicant scans again itself */
	teardown();
}

/* The first scan, on the last uplink's channel only, finds nothing: every
 * channel at once, the hidden networks probed for, and no problem yet. */
TEST(wifi_a_narrow_first_scan_that_finds_nothing_widens_at_once)
{
	static const int hidden[] = { 1, 3 };

	setup_hidden(MODE_STATION, "/var/run/wpa_supplicant", hidden, 2);
	wifi_first_scan_on(&w, 2412);
	wifi_set_iface(&w, "wlan0", 1);
	ready_and_scanning();
	capture_start();
	fake_ctrl_event(&w.ctl, NOT_FOUND);
	CHECK_CONTAINS(capture_end(), "no network on 2412 MHz, where the last uplink was: scanning every channel now");
	CHECK_STR(fake_ctrl_log, "send 0 SCAN scan_id=1,3\n");
	CHECK_STR(w.problem, "");
	capture_start();
	fake_ctrl_reply(&w.ctl, "FAIL-BUSY\n");
	CHECK_CONTAINS(capture_end(), "SCAN scan_id=1,3: FAIL-BUSY");
	/* the full scan found nothing either: wpa_supplicant's own pace now */
	fake_ctrl_log[0] = '\0';
	fake_ctrl_event(&w.ctl, NOT_FOUND);
	CHECK_STR(w.problem, "no configured network is in range");
	CHECK_STR(fake_ctrl_log, "");
	/* a restarted daemon reads the same extra conf: its first scan is narrow again */
	fake_proc_exit(&w.proc, W_EXITCODE(0, SIGKILL));
	wifi_event(&w, WE_TIMER);
	ready_and_scanning();
	fake_ctrl_event(&w.ctl, NOT_FOUND);
	CHECK_CONTAINS(fake_ctrl_log, " SCAN scan_id=1,3\n");	/* on the new daemon's socket */
	teardown();
}

/* Found on the last channel: a later miss is an ordinary one. */
TEST(wifi_a_narrow_first_scan_that_connects_is_done)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_first_scan_on(&w, 5180);
	wifi_set_iface(&w, "wlan0", 1);
	becomes_ready();
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]");
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:01:00 reason=4");
	fake_ctrl_log[0] = '\0';
	fake_ctrl_event(&w.ctl, NOT_FOUND);
	CHECK(!strstr(fake_ctrl_log, "SCAN"));
	CHECK_STR(w.problem, "no configured network is in range");
	teardown();
}

TEST(wifi_crash_restarts_with_backoff)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	becomes_ready();
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]");
	fake_proc_exit(&w.proc, W_EXITCODE(0, SIGKILL));
	CHECK_INT(w.state, WS_BACKOFF);
	CHECK_INT(w.sup.restarts, 1);
	CHECK_INT(w.connected, 0);
	CHECK_INT(notes[WN_DISCONNECTED], 1);
	CHECK(w.timer.pending);
	CHECK_INT(w.sup.backoff.next_ms, 2 * WIFI_BACKOFF_MIN_MS);
	wifi_event(&w, WE_TIMER);
	CHECK_INT(w.state, WS_STARTING);
	CHECK_INT(count_lines(fake_proc_log, "spawn wpa_supplicant"), 2);
	teardown();
}

TEST(wifi_crash_loop_reaches_the_cap_and_keeps_trying)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	capture_start();
	for (int k = 0; k < 10; k++) {
		fake_proc_exit(&w.proc, W_EXITCODE(1, 0));	/* exits before it is ready */
		CHECK_INT(w.state, WS_BACKOFF);
		wifi_event(&w, WE_TIMER);
		CHECK_INT(w.state, WS_STARTING);
	}
	capture_end();
	CHECK_INT(w.sup.crash_loop, 1);
	CHECK_INT(w.sup.backoff.next_ms, WIFI_BACKOFF_MAX_MS);
	CHECK_INT(w.sup.restarts, 10);
	CHECK_CONTAINS(w.problem, "wpa_supplicant exited before it was ready");
	teardown();
}

TEST(wifi_stable_run_resets_the_backoff)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	for (int k = 0; k < 4; k++) {
		fake_proc_exit(&w.proc, W_EXITCODE(1, 0));
		wifi_event(&w, WE_TIMER);
	}
	becomes_ready();
	w.sup.running_ms -= WIFI_STABLE_MS + 1;
	fake_proc_exit(&w.proc, W_EXITCODE(0, SIGKILL));
	CHECK_INT(w.sup.backoff.failures, 1);
	CHECK_INT(w.sup.crash_loop, 0);
	teardown();
}

TEST(wifi_not_ready_in_time_is_restarted)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	capture_start();
	wifi_event(&w, WE_TIMER);	/* the start timeout */
	capture_end();
	CHECK_INT(w.state, WS_RESTARTING);
	CHECK_CONTAINS(fake_proc_log, "kill wpa_supplicant 15\n");
	wifi_event(&w, WE_TIMER);	/* it did not stop either */
	CHECK_CONTAINS(fake_proc_log, "kill wpa_supplicant 9\n");
	fake_proc_exit(&w.proc, W_EXITCODE(0, SIGKILL));
	CHECK_INT(w.state, WS_BACKOFF);
	teardown();
}

TEST(wifi_control_socket_lost_restarts_the_daemon)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	becomes_ready();
	fake_ctrl_reply(&w.ctl, "wpa_state=SCANNING\n");
	fake_ctrl_reply(&w.ctl, "FAIL\n");
	fake_ctrl_set_send_error(111);
	capture_start();
	fake_ctrl_event(&w.ctl, "<3>CTRL-EVENT-DISCONNECTED bssid=00:00:00:00:00:00 reason=3");
	wpactl_request(&w.ctl, WREQ_STATUS);
	capture_end();
	CHECK_INT(w.state, WS_RESTARTING);
	CHECK_CONTAINS(fake_proc_log, "kill wpa_supplicant 15\n");
	teardown();
}

TEST(wifi_interface_gone_stops_and_waits)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	becomes_ready();
	capture_start();
	wifi_set_iface(&w, "wlan0", 0);
	capture_end();
	CHECK_INT(w.state, WS_STOPPING);
	CHECK_CONTAINS(fake_proc_log, "kill wpa_supplicant 15\n");
	fake_proc_exit(&w.proc, W_EXITCODE(0, SIGTERM));
	CHECK_INT(w.state, WS_WAIT_IFACE);
	CHECK_INT(w.sup.restarts, 0);
	/* another interface's disappearance is not ours */
	wifi_set_iface(&w, "wlan1", 0);
	CHECK_INT(w.state, WS_WAIT_IFACE);
	wifi_set_iface(&w, "wlan0", 1);
	CHECK_INT(w.state, WS_STARTING);
	CHECK_INT(count_lines(fake_proc_log, "spawn"), 2);
	teardown();
}

TEST(wifi_interface_back_before_the_daemon_stopped)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	capture_start();
	wifi_set_iface(&w, "wlan0", 0);
	capture_end();
	wifi_set_iface(&w, "wlan0", 1);
	CHECK_INT(w.state, WS_STOPPING);
	fake_proc_exit(&w.proc, W_EXITCODE(0, SIGTERM));
	CHECK_INT(w.state, WS_STARTING);
	teardown();
}

TEST(wifi_shutdown_disconnects_then_terminates)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	becomes_ready();
	fake_ctrl_reply(&w.ctl, "wpa_state=COMPLETED\n");
	fake_ctrl_reply(&w.ctl, "RSSI=-40\n");
	fake_ctrl_log[0] = '\0';
	wifi_event(&w, WE_SHUTDOWN);
	CHECK_INT(w.state, WS_SHUTTING_DOWN);
	CHECK_STR(fake_ctrl_log, "send 0 DISCONNECT\n");
	fake_ctrl_reply(&w.ctl, "OK\n");
	CHECK_STR(fake_ctrl_log, "send 0 DISCONNECT\nsend 0 TERMINATE\n");
	CHECK_INT(count_lines(fake_proc_log, "kill"), 0);
	fake_proc_exit(&w.proc, 0);
	CHECK_INT(w.state, WS_DONE);
	CHECK_INT(notes[WN_DONE], 1);
	teardown();
}

TEST(wifi_shutdown_without_control_socket_signals)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_set_iface(&w, "wlan0", 1);
	wifi_event(&w, WE_SHUTDOWN);
	CHECK_CONTAINS(fake_proc_log, "kill wpa_supplicant 15\n");
	capture_start();
	wifi_event(&w, WE_TIMER);
	capture_end();
	CHECK_CONTAINS(fake_proc_log, "kill wpa_supplicant 9\n");
	fake_proc_exit(&w.proc, W_EXITCODE(0, SIGKILL));
	CHECK_INT(w.state, WS_DONE);
	/* nothing to stop at all */
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	wifi_event(&w, WE_SHUTDOWN);
	CHECK_INT(w.state, WS_DONE);
	CHECK_INT(notes[WN_DONE], 1);
	teardown();
}

TEST(wifi_access_point_command_line_and_no_ctrl_interface)
{
	setup(MODE_AP, "");
	capture_start();
	wifi_set_iface(&w, "wlp2s0", 1);
	capture_end();
	CHECK_CONTAINS(fake_proc_log, "spawn hostapd: /usr/sbin/hostapd -s -i wlp2s0 /etc/hostapd/hostapd.conf\n");
	/* without a control socket, running is all that can be known */
	CHECK_INT(w.state, WS_RUNNING);
	teardown();
}

TEST(wifi_access_point_events)
{
	setup(MODE_AP, "/var/run/hostapd");
	wifi_set_iface(&w, "wlan0", 1);
	becomes_ready();
	fake_ctrl_reply(&w.ctl, "state=ENABLED\nssid[0]=guest\nnum_sta[0]=0\n");
	fake_ctrl_event(&w.ctl, "<3>AP-ENABLED");
	CHECK_INT(w.connected, 1);
	CHECK_STR(w.link.state, "ENABLED");
	fake_ctrl_event(&w.ctl, "<3>AP-STA-CONNECTED 02:00:00:00:02:00");
	fake_ctrl_reply(&w.ctl, "state=ENABLED\nssid[0]=guest\nnum_sta[0]=1\n");
	CHECK_INT(w.link.stations, 1);
	CHECK_INT(count_lines(fake_ctrl_log, "SIGNAL_POLL"), 0);
	teardown();
}

TEST(wifi_extra_config_for_a_missing_ctrl_interface)
{
	struct appconf app = { .ctrl_dir = "/var/run/wpa_supplicant" };

	loop_init();
	fake_proc_reset();
	fake_ctrl_reset();
	wifi_init(&w, MODE_STATION, &app, "/run/netd/wpa_supplicant-ctrl.conf", notify);
	wifi_set_iface(&w, "wlan0", 1);
	CHECK_CONTAINS(fake_proc_log, " -I /run/netd/wpa_supplicant-ctrl.conf\n");
	teardown();
}

TEST(wifi_adopts_a_running_daemon_without_spawning)
{
	setup(MODE_STATION, "/var/run/wpa_supplicant");
	fake_proc_adopt_ok = 1;
	CHECK_INT(wifi_adopt(&w, "wlan0"), 0);
	CHECK_CONTAINS(fake_proc_log, "adopt wpa_supplicant wlan0\n");
	wifi_set_iface(&w, "wlan0", 1);
	CHECK_INT(count_lines(fake_proc_log, "spawn"), 0);
	becomes_ready();
	CHECK_INT(w.state, WS_RUNNING);
	teardown();
}

/* netd/wifi/wifi.c's table written out again, as the specification: the state
 * each event leads to from each state, with the daemon running (pid 4242)
 * and its interface present. STAY: nothing at all happens (no process
 * started or signalled, no control-socket traffic, no timer, no note). */
#define STAY (-1)
static const int wifi_spec[WS_COUNT][WE_COUNT] = {
	/*                   IFACE_UP     IFACE_GONE     READY       EXIT         TIMER            CTRL_LOST      SHUTDOWN */
	[WS_OFF]           = { STAY,        STAY,          STAY,       STAY,        STAY,            STAY,          WS_DONE },
	[WS_WAIT_IFACE]    = { WS_STARTING, STAY,          STAY,       STAY,        STAY,            STAY,          WS_DONE },
	[WS_STARTING]      = { STAY,        WS_STOPPING,   WS_RUNNING, WS_BACKOFF,  WS_RESTARTING,   WS_RESTARTING, WS_SHUTTING_DOWN },
	[WS_RUNNING]       = { STAY,        WS_STOPPING,   STAY,       WS_BACKOFF,  STAY,            WS_RESTARTING, WS_SHUTTING_DOWN },
	[WS_BACKOFF]       = { STAY,        WS_WAIT_IFACE, STAY,       STAY,        WS_STARTING,     STAY,          WS_DONE },
	[WS_RESTARTING]    = { STAY,        STAY,          STAY,       WS_BACKOFF,  WS_RESTARTING,   STAY,          WS_SHUTTING_DOWN },
	[WS_STOPPING]      = { STAY,        STAY,          STAY,       WS_STARTING, WS_STOPPING,     STAY,          WS_SHUTTING_DOWN },
	[WS_SHUTTING_DOWN] = { STAY,        STAY,          STAY,       WS_DONE,     WS_SHUTTING_DOWN, STAY,         STAY },
	[WS_DONE]          = { STAY,        STAY,          STAY,       STAY,        STAY,            STAY,          STAY },
};

/* Places the supervisor in the state netd shows as s (wifi.c's
 * shown_state, read backwards). */
static void put_in(enum wifi_state s)
{
	static const enum sup_state sup_of[WS_COUNT] = {
		[WS_OFF] = SUP_STOPPED, [WS_WAIT_IFACE] = SUP_STOPPED, [WS_STARTING] = SUP_STARTING,
		[WS_RUNNING] = SUP_RUNNING, [WS_BACKOFF] = SUP_BACKOFF, [WS_RESTARTING] = SUP_KILLING,
		[WS_STOPPING] = SUP_STOPPING, [WS_SHUTTING_DOWN] = SUP_STOPPING, [WS_DONE] = SUP_STOPPED,
	};

	w.state = s;
	w.off = s == WS_OFF;
	w.shutting_down = s == WS_SHUTTING_DOWN || s == WS_DONE;
	w.sup.state = sup_of[s];
	w.sup.pid = 4242;
}

static int notes_taken(void)
{
	int n = 0;

	for (int k = 0; k <= WN_DONE; k++)
		n += notes[k];
	return n;
}

/* Every cell of the table leads where the specification says, and the
 * cells that do nothing do nothing. */
TEST(wifi_table_is_complete)
{
	for (int s = 0; s < WS_COUNT; s++) {
		for (int e = 0; e < WE_COUNT; e++) {
			int want = wifi_spec[s][e] == STAY ? s : wifi_spec[s][e];

			setup(MODE_STATION, "/var/run/wpa_supplicant");
			put_in((enum wifi_state)s);
			w.proc.pid = 4242;
			w.iface_present = 1;
			strcpy(w.ifname, "wlan0");
			fake_proc_log[0] = fake_ctrl_log[0] = '\0';
			capture_start();
			wifi_event(&w, (enum wifi_event)e);
			capture_end();
			if ((int)w.state != want)
				CHECK_FAIL("%s + %s -> %s, expected %s", wifi_state_name((enum wifi_state)s),
					   wifi_event_name((enum wifi_event)e), wifi_state_name(w.state),
					   wifi_state_name((enum wifi_state)want));
			if (wifi_spec[s][e] == STAY && (fake_proc_log[0] || fake_ctrl_log[0] ||
							w.timer.pending || notes_taken()))
				CHECK_FAIL("%s + %s should do nothing; it did: proc '%s', ctrl '%s', "
					   "timer %d, %d note(s)", wifi_state_name((enum wifi_state)s),
					   wifi_event_name((enum wifi_event)e), fake_proc_log, fake_ctrl_log,
					   w.timer.pending, notes_taken());
			teardown();
		}
	}
}
