/* The last uplink (hint.h) in netd: read at start in station mode, used
 * for wpa_supplicant's first scan and udhcpc's first request, and written
 * each time the uplink gets a lease (what worked last). */
#include "remember.h"
#include "hint.h"
#include "netd.h"
#include "events.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "fsutil.h"
#include "log.h"
#include "paths.h"

static struct {
	struct uplink_hint h;
	int have;
	char written[HINT_TEXT_MAX];
} rem;

void remember_load(void)
{
	char text[HINT_TEXT_MAX];
	const char *why;
	ssize_t n;

	memset(&rem, 0, sizeof(rem));
	if (netd.mode != MODE_STATION)
		return;
	n = read_small_file(paths.uplink_hint, text, sizeof(text));
	if (n < 0) {
		if (n != -ENOENT)
			log_warn("%s: %s: no hint for the first scan", paths.uplink_hint, strerror((int)-n));
		return;
	}
	if (hint_parse(text, &rem.h, &why) < 0) {
		log_warn("%s: %s: ignored (the first scan covers every channel)", paths.uplink_hint, why);
		return;
	}
	rem.have = 1;
	memcpy(rem.written, text, (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1);
	log_info("first scan on %u MHz, where '%s' was last (%s); then every channel", rem.h.freq_mhz,
		 rem.h.ssid, paths.uplink_hint);
}

unsigned remember_first_freq(void)
{
	return rem.have ? rem.h.freq_mhz : 0;
}

int remember_ip_for(const struct wpa_link *now, struct in_addr *ip)
{
	int same_ssid = now->ssid[0] && !strcmp(now->ssid, rem.h.ssid);
	int same_ap = now->bssid[0] && !strcasecmp(now->bssid, rem.h.bssid);

	if (!rem.have || !rem.h.ip.s_addr || !(same_ssid || same_ap))
		return 0;
	*ip = rem.h.ip;
	return 1;
}

/* The uplink has a lease: what it is on now is what worked last. */
static void remember_now(void)
{
	const struct wpa_link *w = &netd.sup.link;
	struct uplink_hint h;
	char text[HINT_TEXT_MAX];
	int n, rc;

	if (netd.mode != MODE_STATION || !w->freq || !w->ssid[0] || !netd.have_lease)
		return;
	memset(&h, 0, sizeof(h));
	snprintf(h.ssid, sizeof(h.ssid), "%s", w->ssid);
	snprintf(h.bssid, sizeof(h.bssid), "%s", w->bssid);
	h.freq_mhz = (unsigned)w->freq;
	h.ip = netd.lease.ip;
	n = hint_format(&h, text, sizeof(text));
	if (n < 0 || !strcmp(text, rem.written))
		return;
	rc = write_file_atomic(paths.uplink_hint, text, (size_t)n, 0644);
	if (rc < 0) {
		log_warn("writing %s: %s", paths.uplink_hint, strerror(-rc));
		return;
	}
	memcpy(rem.written, text, (size_t)n + 1);
}

void remember_on_event(const struct netd_ev *ev)
{
	switch (ev->type) {
	case EV_LEASE:
		remember_now();
		break;
	case EV_LINK_FOUND:
	case EV_LINK_CHANGED:
	case EV_LINK_CONFIGURED:
	case EV_LINK_GONE:
	case EV_ADDR:
	case EV_WIFI_FOUND:
	case EV_WIFI_GONE:
	case EV_ASSOCIATED:
	case EV_DISASSOCIATED:
	case EV_LEASE_LOST:
	case EV_DNS6:
	case EV_COUNT:
		break;
	}
}
