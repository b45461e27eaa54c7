/* The last uplink that worked (issue 18), remembered on the var share in
 * /var/lib/netd/last-uplink so that the next boot (after every resume,
 * the host restarts the guest) looks there first:
 *
 *   ssid=wifibox-demo
 *   bssid=02:00:00:00:01:00
 *   freq_mhz=2412
 *   ip=192.168.50.150
 *
 * The same key=value lines as the status file (status_get reads them).
 * The first scan covers freq_mhz only (wpa_supplicant's
 * initial_freq_list; every later scan covers all channels), and udhcpc
 * asks for ip again (-r) when it joins the same SSID. A hint that is
 * wrong costs one short scan, never the connection. */
#ifndef NETD_HINT_H
#define NETD_HINT_H

#include <netinet/in.h>
#include <stddef.h>

#include "wpaev.h"

#define HINT_TEXT_MAX 512

struct uplink_hint {
	char ssid[WPA_SSID_TEXT];
	char bssid[WPA_BSSID_LEN];
	unsigned freq_mhz;		/* 0: none */
	struct in_addr ip;		/* 0.0.0.0: none */
};

/* The file's text for h; its length, or -1 if it does not fit. */
int hint_format(const struct uplink_hint *h, char *buf, size_t size);
/* Reads text into h. 0, or -1 with *why saying what was wrong (a frequency
 * outside 2400-7200 MHz, an address that is not one, no ssid). Read from
 * a share the host writes: nothing in it is trusted further than that. */
int hint_parse(const char *text, struct uplink_hint *h, const char **why);

#endif
