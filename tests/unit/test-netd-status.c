/* The status file's format, and its view for a person. */
#include "check.h"

#include <stdlib.h>

#include "status.h"

TEST(status_lines_and_lookup)
{
	static struct status_buf b;
	char v[64];

	status_init(&b);
	status_add(&b, "mode", "%s", "station");
	status_add(&b, "ssid", "%s", "two\nlines\x1b");
	status_add(&b, "signal_dbm", "%d", -40);
	CHECK_STR(b.text, "mode=station\nssid=two?lines?\nsignal_dbm=-40\n");
	CHECK_STR(status_get(b.text, "signal_dbm", v, sizeof(v)), "-40");
	CHECK_STR(status_get(b.text, "ssid", v, sizeof(v)), "two?lines?");
	CHECK(status_get(b.text, "sig", v, sizeof(v)) == NULL);
	CHECK(status_get(b.text, "nope", v, sizeof(v)) == NULL);
	/* cut to the buffer */
	CHECK_STR(status_get(b.text, "mode", v, 4), "sta");
}

TEST(status_overflow_is_marked_and_stays_whole_lines)
{
	static struct status_buf b;
	char big[400];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	status_init(&b);
	for (int k = 0; k < 40; k++)
		status_add(&b, "k", "%s", big);
	CHECK_INT(b.truncated, 1);
	CHECK(b.len < STATUS_MAX);
	CHECK_INT(b.text[b.len - 1], '\n');
}

TEST(status_for_a_person)
{
	static const char text[] =
		"version=1\nnetd_pid=42\nupdated_ms=1234\nstate=running\nmode=station\n"
		"mode_reason=/etc/wpa_supplicant/wpa_supplicant.conf\nhost_link=eth0\nhost_link_state=up\n"
		"host_addr=10.0.0.1/24\nhost_addr6=\nhost_gateway=\ndhcp_server=running\n"
		"dhcp_server_settings=built-in\ndhcp_server_lease_s=\ndhcp_server_restarts=0\n"
		"wifi_iface=wlan0\nwifi_phy=phy0\nwifi_link_state=up\ncountry=DE\n"
		"wifi_daemon=wpa_supplicant\nwifi_daemon_state=running\nwifi_daemon_restarts=1\n"
		"wifi_state=COMPLETED\nssid=world\nbssid=02:00:00:00:01:00\nfreq_mhz=2412\nsignal_dbm=-40\n"
		"uplink=wlan0\nuplink_addr=192.168.1.5/24\nuplink_gateway=192.168.1.1\nlease=bound\nlease_s=3600\n"
		"dns=192.168.1.1\nsearch=\nlast_error=\n"
		"milestone.init.start=5\nmilestone.netd_start=100\nmilestone.dhcp_server=107\n";
	char out[4096];
	FILE *f = fmemopen(out, sizeof(out), "w");

	status_print(text, f);
	fclose(f);
	CHECK_CONTAINS(out, "netd status (written at 1234 ms since boot, pid 42)\n");
	CHECK_CONTAINS(out, "  host link      eth0 up, 10.0.0.1/24\n");
	CHECK_CONTAINS(out, "  Wi-Fi          wlan0 phy0, link up, country DE\n");
	CHECK_CONTAINS(out, "  network        COMPLETED, ssid world, bssid 02:00:00:00:01:00, MHz: 2412, dBm: -40\n");
	CHECK_CONTAINS(out, "  uplink         wlan0 192.168.1.5/24, via 192.168.1.1, lease bound, seconds: 3600\n");
	CHECK_CONTAINS(out, "  milestones     init.start             5 ms\n");
	CHECK_CONTAINS(out, "                 dhcp_server            107 ms\n");
	CHECK(strstr(out, "last error") == NULL);	/* empty rows are left out */
}

TEST(status_print_survives_garbage)
{
	char out[4096];
	FILE *f = fmemopen(out, sizeof(out), "w");

	status_print("milestone.\nmilestone.x\n=\n\nmode\n", f);
	fclose(f);
	CHECK_CONTAINS(out, "netd status (written at ? ms since boot, pid ?)");
}
