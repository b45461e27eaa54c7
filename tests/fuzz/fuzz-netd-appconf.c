// SRCS: netd/config/appconf.c lib/conf.c lib/log.c
/* What netd reads from wpa_supplicant.conf and hostapd.conf, on arbitrary
 * bytes: the control-socket directory is absolute or empty, the country
 * two capital letters or empty. */
#include "appconf.h"
#include "log.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_reader r;
	struct appconf a;

	log_open("fuzz", 0);
	for (int m = MODE_STATION; m <= MODE_AP; m++) {
		if (conf_open_mem(&r, "app.conf", data, size) < 0)
			return 0;
		appconf_parse(&r, (enum netd_mode)m, &a);
		conf_close(&r);
		if (a.ctrl_dir[0] && (a.ctrl_dir[0] != '/' || strpbrk(a.ctrl_dir, " \t")))
			abort();
		if (a.country[0] && (strlen(a.country) != 2 || !isupper((unsigned char)a.country[0]) ||
				     !isupper((unsigned char)a.country[1])))
			abort();
	}
	return 0;
}
