// SRCS: init/modconf.c lib/conf.c lib/log.c
/* init's modules.conf parser: never crashes, and whatever it accepts
 * renders into modprobe.conf lines that hold only what was validated. */
#include "conf.h"
#include "log.h"
#include "../../init/modconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct modconf mc;
	static char out[MODCONF_MAX_ENTRIES * (MODCONF_NAME_MAX + MODCONF_PARAMS_MAX + 16)];
	struct conf_reader r;
	int len;

	log_open("fuzz", 0);
	memset(&mc, 0, sizeof(mc));
	if (conf_open_mem(&r, "modules.conf", data, size) < 0)
		return 0;
	modconf_parse(&r, &mc);
	conf_close(&r);
	len = modconf_render_modprobe(&mc, out, sizeof(out));
	if (len < 0)
		abort();	/* the buffer is sized for the maximum */
	for (int i = 0; i < len; i++)
		if (out[i] != '\n' && (out[i] < 0x20 || out[i] > 0x7e))
			abort();	/* nothing unvalidated may reach modprobe */
	return 0;
}
