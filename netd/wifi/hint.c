#include "hint.h"
#include "status.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipv4.h"

int hint_format(const struct uplink_hint *h, char *buf, size_t size)
{
	char ip[INET_ADDRSTRLEN] = "";
	int n;

	if (h->ip.s_addr)
		inet_ntop(AF_INET, &h->ip, ip, sizeof(ip));
	n = snprintf(buf, size, "ssid=%s\nbssid=%s\nfreq_mhz=%u\nip=%s\n", h->ssid, h->bssid, h->freq_mhz, ip);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

static int parse_freq(const char *s, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v < 2400 || v > 7200)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int hint_parse(const char *text, struct uplink_hint *h, const char **why)
{
	char v[WPA_SSID_TEXT];

	memset(h, 0, sizeof(*h));
	if (!status_get(text, "ssid", h->ssid, sizeof(h->ssid)) || !h->ssid[0]) {
		*why = "no ssid= line";
		return -1;
	}
	status_get(text, "bssid", h->bssid, sizeof(h->bssid));
	if (!status_get(text, "freq_mhz", v, sizeof(v)) || parse_freq(v, &h->freq_mhz) < 0) {
		*why = "freq_mhz= is not a frequency from 2400 to 7200 MHz";
		return -1;
	}
	if (status_get(text, "ip", v, sizeof(v)) && v[0] && parse_ipv4(v, &h->ip) < 0) {
		*why = "ip= is not an IPv4 address";
		return -1;
	}
	return 0;
}
