/* wpa_supplicant's and hostapd's events and replies. */
#include "check.h"

#include "wpaev.h"

static struct wpa_ev ev(const char *text)
{
	struct wpa_ev e;

	CHECK_INT(wpa_ev_parse(text, strlen(text), &e), 0);
	return e;
}

TEST(wpaev_connected)
{
	struct wpa_ev e = ev("<3>CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]");

	CHECK_INT(e.type, WEV_CONNECTED);
	CHECK_INT(e.priority, 3);
	CHECK_STR(e.bssid, "02:00:00:00:01:00");
	CHECK_STR(e.text, "CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]");
}

TEST(wpaev_disconnected)
{
	struct wpa_ev e = ev("<3>CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:01:00 reason=3 locally_generated=1");

	CHECK_INT(e.type, WEV_DISCONNECTED);
	CHECK_STR(e.bssid, "02:00:00:00:01:00");
	CHECK_INT(e.reason, 3);
}

TEST(wpaev_wrong_key_both_ways)
{
	struct wpa_ev e = ev("<3>CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"my \\\"net\\\"\" auth_failures=1 duration=10 reason=WRONG_KEY");

	CHECK_INT(e.type, WEV_WRONG_KEY);
	CHECK_STR(e.ssid, "my \\\"net\\\"");
	e = ev("<3>CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"net\" auth_failures=2 duration=20 reason=CONN_FAILED");
	CHECK_INT(e.type, WEV_TEMP_DISABLED);
	e = ev("<3>WPA: 4-Way Handshake failed - pre-shared key may be incorrect");
	CHECK_INT(e.type, WEV_WRONG_KEY);
}

TEST(wpaev_others)
{
	CHECK_INT(ev("<3>CTRL-EVENT-NETWORK-NOT-FOUND").type, WEV_NETWORK_NOT_FOUND);
	CHECK_INT(ev("<3>CTRL-EVENT-ASSOC-REJECT bssid=02:00:00:00:01:00 status_code=17").reason, 17);
	CHECK_INT(ev("<3>CTRL-EVENT-SIGNAL-CHANGE above=0 signal=-71 noise=-95 txrate=6500").signal, -71);
	CHECK_INT(ev("<2>CTRL-EVENT-TERMINATING").type, WEV_TERMINATING);
	CHECK_INT(ev("<3>AP-ENABLED").type, WEV_AP_ENABLED);
	CHECK_INT(ev("<3>AP-DISABLED").type, WEV_AP_DISABLED);
	CHECK_STR(ev("<3>AP-STA-CONNECTED 02:00:00:00:02:00").bssid, "02:00:00:00:02:00");
	CHECK_INT(ev("<3>AP-STA-DISCONNECTED 02:00:00:00:02:00").type, WEV_AP_STA_DISCONNECTED);
	CHECK_INT(ev("<3>CTRL-EVENT-SCAN-RESULTS ").type, WEV_OTHER);
	/* a prefix is a whole word */
	CHECK_INT(ev("<3>AP-ENABLEDX").type, WEV_OTHER);
}

TEST(wpaev_eap)
{
	struct wpa_ev e = ev("<3>CTRL-EVENT-EAP-METHOD EAP vendor 0 method 21 (TTLS) selected");

	CHECK_INT(e.type, WEV_EAP_METHOD);
	CHECK_STR(e.detail, "TTLS");
	e = ev("<3>CTRL-EVENT-EAP-TLS-CERT-ERROR reason=1 depth=0 subject='/O=it's/CN=a' err='Domain mismatch'");
	CHECK_INT(e.type, WEV_EAP_CERT_ERROR);
	CHECK_STR(e.detail, "Domain mismatch");
	e = ev("<3>CTRL-EVENT-EAP-STATUS status='remote TLS alert' parameter='handshake failure'");
	CHECK_INT(e.type, WEV_EAP_TLS_ALERT);
	CHECK_STR(e.detail, "remote TLS alert: handshake failure");
	/* the other statuses are progress, not reasons */
	CHECK_INT(ev("<3>CTRL-EVENT-EAP-STATUS status='started' parameter=''").type, WEV_OTHER);
	e = ev("<4>EAP-MSCHAPV2: failure message: 'FAILED' (retry not allowed, error 691)");
	CHECK_INT(e.type, WEV_EAP_PASSWORD_REFUSED);
	CHECK_INT(e.reason, 691);
	CHECK_INT(ev("<3>CTRL-EVENT-EAP-STARTED EAP authentication started").type, WEV_EAP_STARTED);
	CHECK_INT(ev("<3>CTRL-EVENT-EAP-FAILURE EAP authentication failed").type, WEV_EAP_FAILURE);
}

TEST(wpaev_not_events)
{
	struct wpa_ev e;

	CHECK_INT(wpa_ev_parse("OK\n", 3, &e), -1);
	CHECK_INT(wpa_ev_parse("<x>FOO", 6, &e), -1);
	CHECK_INT(wpa_ev_parse("<3", 2, &e), -1);
	CHECK_INT(wpa_ev_parse("<33FOO", 6, &e), -1);
}

TEST(wpaev_control_characters_do_not_reach_the_text)
{
	struct wpa_ev e = ev("<3>CTRL-EVENT-DISCONNECTED bssid=\n\x1b[2J reason=1");

	CHECK(strchr(e.text, '\n') == NULL);
	CHECK(strchr(e.text, '\x1b') == NULL);
}

TEST(wpa_status_station)
{
	static const char reply[] = "bssid=02:00:00:00:01:00\nfreq=2412\nssid=world\nid=0\nmode=station\n"
				    "pairwise_cipher=CCMP\nkey_mgmt=WPA2-PSK\nwpa_state=COMPLETED\n"
				    "address=02:00:00:00:00:00\n";
	struct wpa_link l;

	memset(&l, 0, sizeof(l));
	wpa_status_parse(reply, sizeof(reply) - 1, &l);
	CHECK_STR(l.state, "COMPLETED");
	CHECK_STR(l.ssid, "world");
	CHECK_STR(l.bssid, "02:00:00:00:01:00");
	CHECK_STR(l.key_mgmt, "WPA2-PSK");
	CHECK_INT(l.freq, 2412);
	/* disconnected: no ssid or bssid lines, and the old ones go */
	wpa_status_parse("wpa_state=SCANNING\n", 19, &l);
	CHECK_STR(l.state, "SCANNING");
	CHECK_STR(l.ssid, "");
	CHECK_INT(l.freq, 0);
}

TEST(wpa_status_hostapd)
{
	static const char reply[] = "state=ENABLED\nphy=phy0\nfreq=2437\nnum_sta_non_erp=0\nbss[0]=wlan0\n"
				    "bssid[0]=02:00:00:00:00:00\nssid[0]=guestnet\nnum_sta[0]=2\n";
	struct wpa_link l;

	memset(&l, 0, sizeof(l));
	wpa_status_parse(reply, sizeof(reply) - 1, &l);
	CHECK_STR(l.state, "ENABLED");
	CHECK_STR(l.ssid, "guestnet");
	CHECK_INT(l.stations, 2);
	CHECK_INT(l.freq, 2437);
}

TEST(wpa_signal_poll)
{
	static const char reply[] = "RSSI=-42\nLINKSPEED=54\nNOISE=9999\nFREQUENCY=5180\n";
	struct wpa_link l;

	memset(&l, 0, sizeof(l));
	wpa_signal_parse(reply, sizeof(reply) - 1, &l);
	CHECK_INT(l.signal, -42);
	CHECK_INT(l.has_signal, 1);
	CHECK_INT(l.freq, 5180);
	memset(&l, 0, sizeof(l));
	wpa_signal_parse("FAIL\n", 5, &l);
	CHECK_INT(l.has_signal, 0);
}
