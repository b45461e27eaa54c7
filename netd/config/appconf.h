/* What netd needs from the app config share's wpa_supplicant.conf or
 * hostapd.conf: where the control socket will be, and the country for the
 * regulatory domain. The rest of the file is the daemon's business. */
#ifndef NETD_APPCONF_H
#define NETD_APPCONF_H

#include "conf.h"
#include "plan.h"

#define APPCONF_DIR_MAX 96

struct appconf {
	char ctrl_dir[APPCONF_DIR_MAX];	/* "" when the file sets none */
	char country[3];		/* "" when the file sets none */
};

/* Reads ctrl_interface= and country= (station) or country_code= (AP). */
unsigned appconf_parse(struct conf_reader *r, enum netd_mode mode, struct appconf *out);

#endif
