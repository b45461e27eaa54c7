/* Issue 14: a hostile hotspot (its access point, DHCP server and router
 * advertisements) and faults of the config: netd's core against the
 * fakes, changing nothing it should not. */
#include "check.h"
#include "netd-harness.h"

/* ---- a udhcpd.conf template over 16 KiB (item 3) --------------------------- */

TEST(hostile_template_over_16_kib_serves_the_builtin_settings)
{
	static char text[32768];
	size_t len = 0;
	const char *log;

	fresh();
	station_config();
	for (int k = 0; k < 410; k++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"static_lease 02:00:00:00:%02x:%02x 10.0.0.%d\n", k / 256, k % 256,
					2 + k % 250);
	put("media/etc/udhcpd.conf", text);
	capture_start();
	CHECK_INT(netd_start(), 0);
	kernel_has_lo_and_eth0();
	log = capture_end();
	CHECK_CONTAINS(log, "udhcpd.conf:396: more than 16 KiB of settings");
	CHECK_CONTAINS(netd.last_error, "udhcpd.conf is too large: serving with the built-in settings");
	CHECK_INT(netd.dhcpd.state, SVC_RUNNING);
	CHECK_CONTAINS(get("run/netd/udhcpd.conf"), "interface eth0\nstart 10.0.0.2\nend 10.0.0.254\n");
	CHECK_STATUS("dhcp_server=running");
	CHECK_STATUS("dhcp_server_settings=built-in");
	/* the rest of the start went on: the firewall is in place */
	CHECK_STATUS("firewall=ok");
}
