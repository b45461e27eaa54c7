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

/* ---- the firewall fails closed (item 7) -------------------------------------- */

/* The built-in policies are ACCEPT: forwarding before netd's rules would
 * route the Wi-Fi side to the host link. */
TEST(hostile_forwarding_waits_for_the_rules_and_stops_when_they_fail)
{
	fresh();
	station_config();
	fake_fw_fail = 1;
	capture_start();
	CHECK_INT(netd_start(), 0);
	capture_end();
	CHECK(fake_fw_calls >= 1);
	CHECK_INT(fake_fw_saw_forwarding, 0);
	CHECK_INT(count_lines(fake_sys_log, "ip_forward 1"), 0);
	CHECK_INT(count_lines(fake_sys_log, "ipv6/conf/all/forwarding 1"), 0);
	CHECK_INT(fake_sys_forward4, 0);
	CHECK_INT(fake_sys_forward6, 0);
	CHECK_STATUS("firewall=failed");
	CHECK_STATUS("forwarding=0");
	CHECK_STATUS("forwarding6=0");
	/* the rules go in: then, and only then, both families forward */
	fake_fw_fail = 0;
	kernel_has_lo_and_eth0();
	capture_start();
	fake_sys_wifi(3, "wlan0", 0);
	capture_end();
	CHECK_INT(fake_sys_forward4, 1);
	CHECK_INT(fake_sys_forward6, 1);
	CHECK_INT(fake_fw_saw_forwarding, 0);
	CHECK_STATUS("forwarding=1");
	CHECK_STATUS("forwarding6=1");
	/* a change whose rules cannot be applied: off again */
	fake_fw_fail = 1;
	capture_start();
	fake_sys_wifi(3, "wlan0", 1);
	capture_end();
	CHECK_INT(fake_sys_forward4, 0);
	CHECK_INT(fake_sys_forward6, 0);
	CHECK_STATUS("forwarding=0");
}

TEST(hostile_ipv6_forwarding_stays_off_without_the_ipv6_rules)
{
	fresh();
	station_config();
	fake_fw_fail6 = 1;
	capture_start();
	CHECK_INT(netd_start(), 0);
	capture_end();
	CHECK_INT(fake_sys_forward4, 1);	/* IPv4 keeps working whatever IPv6 does */
	CHECK_INT(fake_sys_forward6, 0);
	CHECK_INT(count_lines(fake_sys_log, "ipv6/conf/all/forwarding 1"), 0);
	CHECK_STATUS("forwarding=1");
	CHECK_STATUS("forwarding6=0");
}

/* The contract's sysctl.conf says net.ipv4.ip_forward = 1: applied as it
 * stood, it turned forwarding on before any rule. It now waits for the
 * rules; a 0 there keeps the uplink unshared. */
TEST(hostile_users_forwarding_keys_wait_for_the_rules)
{
	fresh();
	station_config();
	fake_sysctl_wish.v4 = 0;
	fake_sysctl_wish.v6 = 1;
	start();
	CHECK_INT(fake_sys_forward4, 0);
	CHECK_INT(fake_sys_forward6, 1);
	CHECK_STATUS("forwarding=0");
}
