/* What netd needs from the app config share's wpa_supplicant.conf or
 * hostapd.conf: where the control socket will be, the country for the
 * regulatory domain, and which networks are hidden. The rest of the file
 * is the daemon's business. */
#ifndef NETD_APPCONF_H
#define NETD_APPCONF_H

#include "conf.h"
#include "plan.h"

#define APPCONF_DIR_MAX 96
#define APPCONF_HIDDEN_MAX 16	/* what wpa_supplicant's SCAN scan_id= takes */

struct appconf {
	char ctrl_dir[APPCONF_DIR_MAX];	/* "" when the file sets none */
	char country[3];		/* "" when the file sets none */
	/* Station: the networks with scan_ssid=1, which only a probe for
	 * their name finds, by wpa_supplicant's id (the order of the
	 * network={} blocks, from 0); the first APPCONF_HIDDEN_MAX. */
	int hidden[APPCONF_HIDDEN_MAX];
	unsigned n_hidden;
};

/* Reads ctrl_interface= and country= (station) or country_code= (AP), and
 * each network={} block's scan_ssid=. */
unsigned appconf_parse(struct conf_reader *r, enum netd_mode mode, struct appconf *out);

#endif
