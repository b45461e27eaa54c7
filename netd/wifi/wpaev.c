#include "wpaev.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_MAX 4096

struct prefix {
	const char *text;
	enum wpa_ev_type type;
};

/* Longest match first where one prefix starts another. */
static const struct prefix prefixes[] = {
	{ "CTRL-EVENT-CONNECTED", WEV_CONNECTED },
	{ "CTRL-EVENT-DISCONNECTED", WEV_DISCONNECTED },
	{ "CTRL-EVENT-SSID-TEMP-DISABLED", WEV_TEMP_DISABLED },
	{ "CTRL-EVENT-NETWORK-NOT-FOUND", WEV_NETWORK_NOT_FOUND },
	{ "CTRL-EVENT-ASSOC-REJECT", WEV_ASSOC_REJECT },
	{ "CTRL-EVENT-SIGNAL-CHANGE", WEV_SIGNAL_CHANGE },
	{ "CTRL-EVENT-TERMINATING", WEV_TERMINATING },
	{ "WPA: 4-Way Handshake failed", WEV_WRONG_KEY },
	{ "AP-ENABLED", WEV_AP_ENABLED },
	{ "AP-DISABLED", WEV_AP_DISABLED },
	{ "AP-STA-CONNECTED", WEV_AP_STA_CONNECTED },
	{ "AP-STA-DISCONNECTED", WEV_AP_STA_DISCONNECTED },
	{ "CTRL-EVENT-EAP-STARTED", WEV_EAP_STARTED },
	{ "CTRL-EVENT-EAP-METHOD", WEV_EAP_METHOD },
	{ "CTRL-EVENT-EAP-TLS-CERT-ERROR", WEV_EAP_CERT_ERROR },
	{ "CTRL-EVENT-EAP-STATUS", WEV_EAP_TLS_ALERT },
	{ "EAP-MSCHAPV2: failure message:", WEV_EAP_PASSWORD_REFUSED },
	{ "CTRL-EVENT-EAP-FAILURE", WEV_EAP_FAILURE },
};

const char *wpa_ev_name(enum wpa_ev_type t)
{
	switch (t) {
	case WEV_OTHER:
		return "other";
	case WEV_CONNECTED:
		return "connected";
	case WEV_DISCONNECTED:
		return "disconnected";
	case WEV_WRONG_KEY:
		return "wrong-key";
	case WEV_TEMP_DISABLED:
		return "temp-disabled";
	case WEV_NETWORK_NOT_FOUND:
		return "network-not-found";
	case WEV_ASSOC_REJECT:
		return "assoc-reject";
	case WEV_SIGNAL_CHANGE:
		return "signal-change";
	case WEV_TERMINATING:
		return "terminating";
	case WEV_AP_ENABLED:
		return "ap-enabled";
	case WEV_AP_DISABLED:
		return "ap-disabled";
	case WEV_AP_STA_CONNECTED:
		return "ap-sta-connected";
	case WEV_AP_STA_DISCONNECTED:
		return "ap-sta-disconnected";
	case WEV_EAP_STARTED:
		return "eap-started";
	case WEV_EAP_METHOD:
		return "eap-method";
	case WEV_EAP_CERT_ERROR:
		return "eap-cert-error";
	case WEV_EAP_TLS_ALERT:
		return "eap-tls-alert";
	case WEV_EAP_PASSWORD_REFUSED:
		return "eap-password-refused";
	case WEV_EAP_FAILURE:
		return "eap-failure";
	}
	return "?";
}

void copy_printable(char *dst, size_t size, const char *src, size_t len)
{
	size_t n = 0;

	for (size_t k = 0; k < len && src[k] && n + 1 < size; k++)
		if (src[k] >= ' ' && src[k] < 127)
			dst[n++] = src[k];
	dst[n] = '\0';
}

/* The value of "key=" in text (a word, or a "quoted string"), or NULL. */
static const char *field(const char *text, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key), n;
	const char *p = text, *v;

	while ((p = strstr(p, key))) {
		if ((p == text || p[-1] == ' ') && p[klen] == '=')
			break;
		p += klen;
	}
	if (!p)
		return NULL;
	v = p + klen + 1;
	if (*v == '"') {
		const char *end = strrchr(v + 1, '"');

		v++;
		n = end && end > v ? (size_t)(end - v) : strlen(v);
	} else if (*v == '\'') {
		/* EAP events: subject='...' err='...', one after the other */
		v++;
		n = strcspn(v, "'");
	} else {
		n = strcspn(v, " \n");
	}
	copy_printable(out, size, v, n);
	return out;
}

static int int_field(const char *text, const char *key, int dflt)
{
	char buf[16];

	return field(text, key, buf, sizeof(buf)) ? atoi(buf) : dflt;
}

static int is_mac(const char *s)
{
	for (int k = 0; k < 17; k++) {
		if (k % 3 == 2 ? s[k] != ':' : !isxdigit((unsigned char)s[k]))
			return 0;
	}
	return 1;
}

/* "... Connection to 02:00:00:00:01:00 completed ..." or "AP-STA-CONNECTED 02:..." */
static void first_mac(const char *text, char *out)
{
	for (const char *p = text; strlen(p) >= 17; p++) {
		if (is_mac(p) && (p[17] == '\0' || p[17] == ' ')) {
			memcpy(out, p, 17);
			out[17] = '\0';
			return;
		}
	}
}

/* "EAP vendor 0 method 25 (PEAP) selected": PEAP */
static void method_name(const char *text, char *out, size_t size)
{
	const char *open = strchr(text, '('), *close = open ? strchr(open, ')') : NULL;

	if (close)
		copy_printable(out, size, open + 1, (size_t)(close - open - 1));
}

/* CTRL-EVENT-EAP-STATUS status='remote TLS alert' parameter='handshake
 * failure': the alerts are what an EAP failure is made of; the other
 * statuses (started, accept proposed method, ...) are progress. */
static void eap_status(struct wpa_ev *ev, const char *text)
{
	char status[32], param[64];

	if (!field(text, "status", status, sizeof(status)) ||
	    (strcmp(status, "remote TLS alert") && strcmp(status, "local TLS alert"))) {
		ev->type = WEV_OTHER;
		return;
	}
	if (!field(text, "parameter", param, sizeof(param)))
		param[0] = '\0';
	snprintf(ev->detail, sizeof(ev->detail), "%s: %s", status, param);
}

/* "failure message: 'FAILED' (retry not allowed, error 691)": 691 */
static int mschapv2_error(const char *text)
{
	const char *e = strstr(text, ", error ");

	return e ? atoi(e + 8) : 0;
}

static void details(struct wpa_ev *ev, const char *text)
{
	char buf[32];

	switch (ev->type) {
	case WEV_CONNECTED:
	case WEV_AP_STA_CONNECTED:
	case WEV_AP_STA_DISCONNECTED:
		first_mac(text, ev->bssid);
		return;
	case WEV_DISCONNECTED:
		field(text, "bssid", ev->bssid, sizeof(ev->bssid));
		ev->reason = int_field(text, "reason", 0);
		return;
	case WEV_ASSOC_REJECT:
		field(text, "bssid", ev->bssid, sizeof(ev->bssid));
		ev->reason = int_field(text, "status_code", 0);
		return;
	case WEV_TEMP_DISABLED:
		field(text, "ssid", ev->ssid, sizeof(ev->ssid));
		if (field(text, "reason", buf, sizeof(buf)) && !strcmp(buf, "WRONG_KEY"))
			ev->type = WEV_WRONG_KEY;
		return;
	case WEV_SIGNAL_CHANGE:
		ev->signal = int_field(text, "signal", 0);
		return;
	case WEV_EAP_METHOD:
		method_name(text, ev->detail, sizeof(ev->detail));
		return;
	case WEV_EAP_CERT_ERROR:
		field(text, "err", ev->detail, sizeof(ev->detail));
		return;
	case WEV_EAP_TLS_ALERT:
		eap_status(ev, text);
		return;
	case WEV_EAP_PASSWORD_REFUSED:
		ev->reason = mschapv2_error(text);
		return;
	case WEV_EAP_STARTED:
	case WEV_EAP_FAILURE:
	case WEV_OTHER:
	case WEV_WRONG_KEY:
	case WEV_NETWORK_NOT_FOUND:
	case WEV_TERMINATING:
	case WEV_AP_ENABLED:
	case WEV_AP_DISABLED:
		return;
	}
}

int wpa_ev_parse(const char *msg, size_t len, struct wpa_ev *ev)
{
	char text[MSG_MAX + 1];
	const char *p;
	size_t k;

	memset(ev, 0, sizeof(*ev));
	if (len < 3 || msg[0] != '<')
		return -1;
	if (len > MSG_MAX)
		len = MSG_MAX;
	memcpy(text, msg, len);
	text[len] = '\0';
	p = text + 1;
	if (!isdigit((unsigned char)*p))
		return -1;
	ev->priority = atoi(p);
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != '>')
		return -1;
	p++;
	copy_printable(ev->text, sizeof(ev->text), p, strlen(p));
	for (k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
		size_t n = strlen(prefixes[k].text);

		if (!strncmp(p, prefixes[k].text, n) && (p[n] == '\0' || p[n] == ' ')) {
			ev->type = prefixes[k].type;
			break;
		}
	}
	details(ev, p);
	return 0;
}

/* Calls take(key, value) for every key=value line of a reply. */
static void each_line(const char *reply, size_t len, struct wpa_link *l,
		      void (*take)(struct wpa_link *l, const char *key, const char *v, size_t vlen))
{
	const char *p = reply, *end = reply + len, *nl, *eq;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		eq = memchr(p, '=', (size_t)(nl - p));
		if (eq && eq - p < 32) {
			char key[32];

			memcpy(key, p, (size_t)(eq - p));
			key[eq - p] = '\0';
			take(l, key, eq + 1, (size_t)(nl - eq - 1));
		}
		p = nl + 1;
	}
}

static int to_int(const char *v, size_t vlen)
{
	char buf[16];

	copy_printable(buf, sizeof(buf), v, vlen);
	return atoi(buf);
}

static void take_status(struct wpa_link *l, const char *key, const char *v, size_t vlen)
{
	if (!strcmp(key, "wpa_state") || !strcmp(key, "state"))
		copy_printable(l->state, sizeof(l->state), v, vlen);
	else if (!strcmp(key, "ssid") || !strcmp(key, "ssid[0]"))
		copy_printable(l->ssid, sizeof(l->ssid), v, vlen);
	else if (!strcmp(key, "bssid") || !strcmp(key, "bssid[0]"))
		copy_printable(l->bssid, sizeof(l->bssid), v, vlen);
	else if (!strcmp(key, "key_mgmt"))
		copy_printable(l->key_mgmt, sizeof(l->key_mgmt), v, vlen);
	else if (!strcmp(key, "freq"))
		l->freq = to_int(v, vlen);
	else if (!strcmp(key, "num_sta[0]"))
		l->stations = to_int(v, vlen);
}

void wpa_status_parse(const char *reply, size_t len, struct wpa_link *l)
{
	/* a station that is not associated has no ssid= or bssid= lines */
	l->ssid[0] = l->bssid[0] = l->key_mgmt[0] = '\0';
	l->freq = 0;
	each_line(reply, len, l, take_status);
}

static void take_signal(struct wpa_link *l, const char *key, const char *v, size_t vlen)
{
	if (!strcmp(key, "RSSI")) {
		l->signal = to_int(v, vlen);
		l->has_signal = 1;
	} else if (!strcmp(key, "FREQUENCY")) {
		l->freq = to_int(v, vlen);
	}
}

void wpa_signal_parse(const char *reply, size_t len, struct wpa_link *l)
{
	if (len >= 4 && !strncmp(reply, "FAIL", 4))
		return;
	each_line(reply, len, l, take_signal);
}
