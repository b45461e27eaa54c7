// SRCS: netd/config/relays.c lib/conf.c lib/log.c lib/ipv4.c
/* forwarding.conf's parser on arbitrary bytes. Whatever the input, every
 * relay that comes out is one netd can open as written: a receiving port
 * 1-65535 that no other relay has, a sending port 1-65535, the line it
 * came from, and no more than RELAYS_MAX of them. */
#include "relays.h"
#include "log.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct relay_list out;
	struct conf_reader r;

	log_open("fuzz", 0);
	if (conf_open_mem(&r, "forwarding.conf", data, size) < 0)
		return 0;
	relays_parse(&r, &out);
	conf_close(&r);
	if (out.n > RELAYS_MAX)
		abort();
	for (size_t k = 0; k < out.n; k++) {
		if (!out.r[k].port || !out.r[k].to_port || !out.r[k].line)
			abort();
		for (size_t j = 0; j < k; j++)
			if (out.r[j].port == out.r[k].port)
				abort();
	}
	return 0;
}
