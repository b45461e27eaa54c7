/* The firewall seam's stand-in: remembers what netd asked for. */
#include "fakes.h"

int fake_fw_calls, fake_fw_fail, fake_fw_fail6, fake_fw_saw_forwarding;
struct fw_config fake_fw_last;
static unsigned in_place;

int fw_apply(const struct fw_config *c)
{
	fake_fw_calls++;
	fake_fw_last = *c;
	fake_fw_saw_forwarding += fake_sys_forward4 || fake_sys_forward6;
	in_place = fake_fw_fail ? 0 : FW_IN_PLACE_IPV4 | (c->ipv6 && !fake_fw_fail6 ? FW_IN_PLACE_IPV6 : 0);
	return fake_fw_fail || (c->ipv6 && fake_fw_fail6) ? -1 : 0;
}

unsigned fw_in_place(void)
{
	return in_place;
}

int fw_read_counters(struct fw_counters *out)
{
	out->forwarded_packets = 7;
	out->forwarded_bytes = 700;
	out->dropped_inbound_packets = 1;
	out->dropped_inbound_bytes = 60;
	return 0;
}
