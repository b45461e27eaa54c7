// SRCS: netd/wifi/wpaev.c
/* wpa_supplicant's and hostapd's control-socket text on arbitrary bytes:
 * events, STATUS and SIGNAL_POLL replies. Whatever the input: no crash,
 * and every string kept for the status file is printable ASCII within
 * its bounds. */
#include "wpaev.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n == size)
		abort();
	for (size_t k = 0; k < n; k++)
		if (s[k] < ' ' || s[k] == 127)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wpa_ev ev;
	struct wpa_link l;

	if (wpa_ev_parse((const char *)data, size, &ev) == 0) {
		check_text(ev.text, sizeof(ev.text));
		check_text(ev.ssid, sizeof(ev.ssid));
		check_text(ev.bssid, sizeof(ev.bssid));
	}
	memset(&l, 0, sizeof(l));
	wpa_status_parse((const char *)data, size, &l);
	wpa_signal_parse((const char *)data, size, &l);
	check_text(l.state, sizeof(l.state));
	check_text(l.ssid, sizeof(l.ssid));
	check_text(l.bssid, sizeof(l.bssid));
	check_text(l.key_mgmt, sizeof(l.key_mgmt));
	return 0;
}
