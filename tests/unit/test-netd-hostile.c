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

/* ---- what the uplink taught outlives nothing (item 1) ----------------------- */

/* An RDNSS option: lifetime, then up to three servers. */
static void rdnss(uint32_t lifetime, const char *a, const char *b, const char *c)
{
	const char *addrs[] = { a, b, c };
	uint8_t opt[8 + 3 * 16] = { 25, 0, 0, 0, (uint8_t)(lifetime >> 24), (uint8_t)(lifetime >> 16),
				     (uint8_t)(lifetime >> 8), (uint8_t)lifetime };
	unsigned n = 0;

	for (unsigned k = 0; k < 3; k++)
		if (addrs[k])
			inet_pton(AF_INET6, addrs[k], opt + 8 + 16 * n++);
	opt[1] = (uint8_t)(1 + 2 * n);
	capture_start();
	fake_sys->ndopt(3, opt, 8 + 16 * n);
	capture_end();
}

static void associated_with_ipv6(void)
{
	fresh();
	station_config();
	start();
	eth0_ready_for_ipv6();
	ra_due();
	wifi_up_and_associated();
	uplink_has_ipv6();
}

static void disassociated(void)
{
	capture_start();
	fake_ctrl_event(&netd.sup.ctl, "<3>CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:01:00 reason=3");
	capture_end();
}

static void associated_again(void)
{
	capture_start();
	fake_ctrl_event(&netd.sup.ctl, "<3>CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:02:00 completed [id=1 id_str=]");
	capture_end();
}

TEST(hostile_infinite_rdnss_lifetime_is_capped)
{
	associated_with_ipv6();
	rdnss(0xffffffffu, "2001:db8:53::1", NULL, NULL);
	CHECK_INT(netd.ipv6.n_dns, 1);
	/* believed an hour at most: it expires, on a timer */
	CHECK(netd.ipv6.dns_expires_ms[0] <= loop_now_ms() + 3600 * 1000ull);
	CHECK(netd.ipv6.dns_timer.pending);
	/* and so in the file a restarted netd reads */
	CHECK(strtoull(strchr(get("run/netd/dns6"), ' ') + 1, NULL, 10) <= loop_now_ms() + 3600 * 1000ull);
	/* a day is capped too */
	rdnss(86400, "2001:db8:53::2", NULL, NULL);
	CHECK(netd.ipv6.dns_expires_ms[1] <= loop_now_ms() + 3600 * 1000ull);
}

TEST(hostile_restarted_netd_caps_what_an_older_one_saved)
{
	char text[96];

	fresh();
	station_config();
	snprintf(text, sizeof(text), "2001:db8:53::1 %llu\n", (unsigned long long)UINT64_MAX);
	put("run/netd/dns6", text);
	start();
	CHECK_INT(netd.ipv6.n_dns, 1);
	CHECK(netd.ipv6.dns_expires_ms[0] <= loop_now_ms() + 3600 * 1000ull);
	CHECK(netd.ipv6.dns_timer.pending);
}

/* The hotspot fills the three slots with "infinite" servers; then the
 * guest moves to another network, whose own servers must take over. */
TEST(hostile_ipv6_dns_forgotten_when_the_association_ends)
{
	associated_with_ipv6();
	rdnss(0xffffffffu, "2001:db8:66::1", "2001:db8:66::2", "2001:db8:66::3");
	ra_due();
	CHECK_INT(ra_dns_lifetime("2001:db8:66::1"), RA_DNS_LIFETIME_S);
	CHECK_STATUS("dns6=2001:db8:66::1 2001:db8:66::2 2001:db8:66::3");
	disassociated();
	CHECK_INT(netd.ipv6.n_dns, 0);
	CHECK_STATUS("dns6=");
	CHECK_STR(get("run/netd/dns6"), "");
	/* the host is told at once that they are gone */
	ra_due();
	CHECK_INT(ra_dns_lifetime("2001:db8:66::1"), 0);
	associated_again();
	rdnss(1800, "2001:db8:77::1", "2001:db8:77::2", NULL);
	CHECK_STATUS("dns6=2001:db8:77::1 2001:db8:77::2");
	ra_due();
	CHECK_INT(ra_dns_lifetime("2001:db8:77::1"), RA_DNS_LIFETIME_S);
	CHECK_INT(ra_dns_lifetime("2001:db8:66::1"), -1);
}

TEST(hostile_ipv6_dns_forgotten_when_another_router_takes_over)
{
	associated_with_ipv6();
	rdnss(0xffffffffu, "2001:db8:66::1", NULL, NULL);
	CHECK_INT(netd.ipv6.n_dns, 1);
	/* the same router again: nothing forgotten */
	fake_sys_route6(3, "fe80::50", 0);
	CHECK_INT(netd.ipv6.n_dns, 1);
	capture_start();
	fake_sys_route6(3, "fe80::66", 0);
	capture_end();
	CHECK_INT(netd.ipv6.n_dns, 0);
	CHECK_STATUS("dns6=");
}

TEST(hostile_ipv4_dns_of_the_last_network_does_not_linger)
{
	fresh();
	station_config();
	start();
	kernel_has_lo_and_eth0();
	wifi_up_and_associated();
	lease(BOUND);
	fake_proc_exit(&netd.dhcpd.proc, W_EXITCODE(0, SIGTERM));
	CHECK_CONTAINS(get("run/netd/udhcpd.conf"), "opt dns 192.168.1.1 1.1.1.1 8.8.8.8 8.8.4.4\nopt domain lan\n");
	/* the next network's lease has no DNS option (and no domain) */
	disassociated();
	associated_again();
	lease("event=bound\ninterface=wlan0\nip=192.168.60.23\nmask=24\nrouter=192.168.60.1\nlease=3600\n");
	fake_proc_exit(&netd.dhcpd.proc, W_EXITCODE(0, SIGTERM));
	CHECK_CONTAINS(get("run/netd/udhcpd.conf"), "opt dns 8.8.8.8 8.8.4.4\n");
	CHECK(!strstr(get("run/netd/udhcpd.conf"), "192.168.1.1"));
	CHECK(!strstr(get("run/netd/udhcpd.conf"), "opt domain"));
	CHECK(!strstr(get("run/resolv.conf"), "nameserver"));
	CHECK(!strstr(get("run/resolv.conf"), "search lan"));
	CHECK_STATUS("dns=");
	CHECK_STATUS("domain=");
	/* what the host gets is final: not the short lease */
	CHECK_CONTAINS(get("run/netd/udhcpd.conf"), "opt lease 864000\n");
}
