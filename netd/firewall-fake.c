/* The firewall seam's stand-in: remembers what netd asked for. */
#include "fakes.h"

int fake_fw_calls, fake_fw_fail;
struct fw_config fake_fw_last;

int fw_apply(const struct fw_config *c)
{
	fake_fw_calls++;
	fake_fw_last = *c;
	return fake_fw_fail ? -1 : 0;
}

int fw_read_counters(struct fw_counters *out)
{
	out->forwarded_packets = 7;
	out->forwarded_bytes = 700;
	out->dropped_inbound_packets = 1;
	out->dropped_inbound_bytes = 60;
	return 0;
}
