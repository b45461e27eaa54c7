/* The text of wpa_supplicant's and hostapd's control interface: the
 * unsolicited events an attached client gets ("<3>CTRL-EVENT-CONNECTED
 * ..."), and the replies to STATUS and SIGNAL_POLL. Pure parsing. */
#ifndef NETD_WPAEV_H
#define NETD_WPAEV_H

#include <stddef.h>

#define WPA_BSSID_LEN 18	/* "02:00:00:00:01:00" + NUL */
#define WPA_SSID_TEXT 132	/* 32 bytes, each printed as \xNN at worst */
#define WPA_TEXT_MAX 128

enum wpa_ev_type {
	WEV_OTHER,
	WEV_CONNECTED,
	WEV_DISCONNECTED,
	WEV_WRONG_KEY,		/* the passphrase is wrong */
	WEV_TEMP_DISABLED,	/* the network is paused for another reason */
	WEV_NETWORK_NOT_FOUND,
	WEV_ASSOC_REJECT,
	WEV_SIGNAL_CHANGE,
	WEV_TERMINATING,
	WEV_AP_ENABLED,
	WEV_AP_DISABLED,
	WEV_AP_STA_CONNECTED,
	WEV_AP_STA_DISCONNECTED,
	/* 802.1X: what an EAP failure's reason is made of */
	WEV_EAP_STARTED,
	WEV_EAP_METHOD,		/* detail: the method's name ("PEAP") */
	WEV_EAP_CERT_ERROR,	/* detail: why the server's certificate failed */
	WEV_EAP_TLS_ALERT,	/* detail: "remote TLS alert: ..." */
	WEV_EAP_PASSWORD_REFUSED,	/* reason: the MSCHAPv2 error (691) */
	WEV_EAP_FAILURE,
};

struct wpa_ev {
	enum wpa_ev_type type;
	int priority;			/* the <N> prefix */
	char bssid[WPA_BSSID_LEN];	/* or the station, for AP-STA-* */
	int reason;			/* DISCONNECTED reason=, ASSOC-REJECT status_code= */
	int signal;			/* SIGNAL-CHANGE signal= (dBm) */
	char ssid[WPA_SSID_TEXT];	/* TEMP-DISABLED ssid="..." */
	char detail[WPA_TEXT_MAX];	/* WEV_EAP_*: see above */
	char text[WPA_TEXT_MAX];	/* the event without its prefix, printable */
};

/* What STATUS and SIGNAL_POLL say about the link. */
struct wpa_link {
	char state[24];			/* wpa_state=, or hostapd's state= */
	char ssid[WPA_SSID_TEXT];
	char bssid[WPA_BSSID_LEN];
	char key_mgmt[24];
	int freq;			/* MHz, 0 = unknown */
	int signal;			/* dBm */
	int has_signal;
	int stations;			/* hostapd: num_sta[0]= */
};

/* 0 if msg is an event (starts with <N>), -1 otherwise. */
int wpa_ev_parse(const char *msg, size_t len, struct wpa_ev *ev);
const char *wpa_ev_name(enum wpa_ev_type t);
/* Update l from a STATUS reply (wpa_supplicant's or hostapd's). */
void wpa_status_parse(const char *reply, size_t len, struct wpa_link *l);
/* Update l from a SIGNAL_POLL reply. */
void wpa_signal_parse(const char *reply, size_t len, struct wpa_link *l);
/* Copies src into dst (size), keeping printable ASCII only. */
void copy_printable(char *dst, size_t size, const char *src, size_t len);

#endif
