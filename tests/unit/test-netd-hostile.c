/* Issue 14: a hostile hotspot (its access point, DHCP server and router
 * advertisements) and faults of the config: netd's core against the
 * fakes, changing nothing it should not. */
#include "check.h"
#include "netd-harness.h"

#include "log.h"

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
	CHECK_STR(netd_err_name(netd.last_error_code), "CONFIG_TOO_LARGE");
	CHECK_INT(netd.dhcpd.sup.state, SUP_RUNNING);
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
	/* a change whose rules cannot be applied (the card comes back under
	 * another name): off again */
	fake_fw_fail = 1;
	capture_start();
	fake_sys_wifi(3, "wlan0", 1);
	fake_sys_wifi(4, "wlp2s0", 0);
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

/* An RDNSS option: lifetime, then up to three servers. Returns for how
 * long netd says the same option again would change nothing. */
static unsigned rdnss(uint32_t lifetime, const char *a, const char *b, const char *c)
{
	const char *addrs[] = { a, b, c };
	uint8_t opt[8 + 3 * 16] = { 25, 0, 0, 0, (uint8_t)(lifetime >> 24), (uint8_t)(lifetime >> 16),
				     (uint8_t)(lifetime >> 8), (uint8_t)lifetime };
	unsigned n = 0;

	for (unsigned k = 0; k < 3; k++)
		if (addrs[k])
			inet_pton(AF_INET6, addrs[k], opt + 8 + 16 * n++);
	unsigned quiet;

	opt[1] = (uint8_t)(1 + 2 * n);
	capture_start();
	quiet = fake_sys->ndopt(3, opt, 8 + 16 * n);
	capture_end();
	return quiet;
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
	/* and its repeats are spared netd for half of that */
	CHECK_INT(rdnss(0xffffffffu, "2001:db8:53::1", NULL, NULL), 1800);
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

/* The seam drops an option that repeats for as long as netd says it
 * changes nothing (issue 18: a router advertising every 10 s must not
 * wake netd): half the shortest lifetime, so that the next one after that
 * renews the servers before they expire. */
TEST(hostile_ipv6_repeated_dns_is_spared_only_while_it_changes_nothing)
{
	static const uint8_t dnssl[] = { 31, 2, 0, 0, 0, 0, 0x07, 0x08, 4, 't', 'e', 's', 't', 0, 0, 0 };

	associated_with_ipv6();
	CHECK_INT(rdnss(1800, "2001:db8:53::1", NULL, NULL), 900);
	CHECK_INT(rdnss(1800, "2001:db8:53::1", "2001:db8:53::2", NULL), 900);
	CHECK_INT(rdnss(600, "2001:db8:53::3", NULL, NULL), 300);
	/* a withdrawal is passed on every time */
	CHECK_INT(rdnss(0, "2001:db8:53::3", NULL, NULL), 0);
	/* what netd does not read (a domain list): as long as a server is believed */
	CHECK_INT(fake_sys->ndopt(3, dnssl, sizeof(dnssl)), 1800);
	/* another link's are not the uplink's: each one passed */
	CHECK_INT(fake_sys->ndopt(2, dnssl, sizeof(dnssl)), 0);
	/* forgetting the servers lets the next ones through, even the same */
	CHECK_INT(count_lines(fake_sys_log, "ndopt_forgotten"), 0);
	disassociated();
	CHECK_INT(count_lines(fake_sys_log, "ndopt_forgotten"), 1);
}

TEST(hostile_ipv6_dns_forgotten_when_another_router_takes_over)
{
	associated_with_ipv6();
	rdnss(0xffffffffu, "2001:db8:66::1", NULL, NULL);
	CHECK_INT(netd.ipv6.n_dns, 1);
	/* the same router again: nothing forgotten */
	fake_sys_route6(3, "fe80::50", 0);
	CHECK_INT(netd.ipv6.n_dns, 1);
	CHECK_INT(count_lines(fake_sys_log, "ndopt_forgotten"), 0);
	capture_start();
	fake_sys_route6(3, "fe80::66", 0);
	capture_end();
	CHECK_INT(netd.ipv6.n_dns, 0);
	CHECK_INT(count_lines(fake_sys_log, "ndopt_forgotten"), 1);
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
	CHECK_CONTAINS(get("run/netd/udhcpd.conf"), "opt dns 10.0.0.1 8.8.8.8 8.8.4.4\nopt domain lan\n");
	CHECK_CONTAINS(get("run/netd/dns-upstream"), "nameserver 192.168.1.1\n");
	/* the next network's lease has no DNS option (and no domain) */
	disassociated();
	associated_again();
	lease("event=bound\ninterface=wlan0\nip=192.168.60.23\nmask=24\nrouter=192.168.60.1\nlease=3600\n");
	fake_proc_exit(&netd.dhcpd.proc, W_EXITCODE(0, SIGTERM));
	CHECK_CONTAINS(get("run/netd/udhcpd.conf"), "opt dns 10.0.0.1 8.8.8.8 8.8.4.4\n");
	CHECK(!strstr(get("run/netd/udhcpd.conf"), "192.168.1.1"));
	/* the guest's forwarder asks nobody: refused at once, not a timeout */
	CHECK(!strstr(get("run/netd/dns-upstream"), "nameserver"));
	CHECK(!strstr(get("run/netd/udhcpd.conf"), "opt domain"));
	CHECK(!strstr(get("run/resolv.conf"), "nameserver"));
	CHECK(!strstr(get("run/resolv.conf"), "search lan"));
	CHECK_STATUS("dns=");
	CHECK_STATUS("domain=");
	/* what the host gets is final: not the short lease */
	CHECK_CONTAINS(get("run/netd/udhcpd.conf"), "opt lease 864000\n");
}

/* ---- an uplink inside the host's network (item 2) --------------------------- */

static void associated(void)
{
	fresh();
	station_config();
	start();
	kernel_has_lo_and_eth0();
	fake_sys_link(2, "eth0", UP, 0);
	fake_sys_addr4(2, "10.0.0.1/24", 0);
	wifi_up_and_associated();
	fake_proc_log[0] = fake_sys_log[0] = '\0';
	netd.last_error[0] = '\0';
	netd.last_error_code = ERR_NONE;
}

/* What must not have happened to the host link: no address or route
 * on the Wi-Fi side, eth0 and udhcpd left alone. */
static void host_link_untouched(void)
{
	CHECK_INT(count_lines(fake_sys_log, "addr_add 3"), 0);
	CHECK_INT(count_lines(fake_sys_log, "route_add"), 0);
	CHECK_INT(count_lines(fake_sys_log, " 2 "), 0);
	CHECK_INT(count_lines(fake_proc_log, "udhcpd"), 0);
	CHECK_INT(netd.dhcpd.sup.state, SUP_RUNNING);
	CHECK_STATUS("host_addr=10.0.0.1/24");
}

TEST(hostile_lease_inside_the_host_subnet_is_refused)
{
	static const char *const leases[] = {
		/* the issue's: a /28 of the host's /24, router = the guest */
		"event=bound\ninterface=wlan0\nip=10.0.0.14\nmask=28\nrouter=10.0.0.1\ndns=10.0.0.1\nlease=3600\n",
		/* the host's own network, handed out whole */
		"event=bound\ninterface=wlan0\nip=10.0.0.77\nmask=24\nrouter=10.0.0.1\ndns=9.9.9.9\nlease=3600\n",
		/* a wider one holding it */
		"event=bound\ninterface=wlan0\nip=10.9.9.9\nmask=8\nrouter=10.9.0.1\ndns=9.9.9.9\nlease=3600\n",
		/* an address of its own, a router on the host link */
		"event=bound\ninterface=wlan0\nip=192.168.7.2\nmask=24\nrouter=10.0.0.2\ndns=9.9.9.9\nlease=3600\n",
	};

	for (size_t k = 0; k < sizeof(leases) / sizeof(leases[0]); k++) {
		associated();
		lease(leases[k]);
		host_link_untouched();
		CHECK_INT(netd.have_lease, 0);
		CHECK_CONTAINS(netd.last_error, "uplink lease on wlan0 refused: ");
		CHECK_CONTAINS(netd.last_error, "overlaps the host link eth0 10.0.0.0/24; the host keeps its link. "
			       "To use this network, move the host subnet: iface eth0 address in ");
		CHECK_CONTAINS(netd.last_error, "media/etc/interfaces.conf");
		CHECK_STR(netd_err_name(netd.last_error_code), "ADDRESS_CONFLICT");
		CHECK_STATUS("lease=refused");
		CHECK_STATUS("lease_refused=overlaps-host-link");
		CHECK_STATUS("uplink_addr=");
		CHECK_STATUS("dns=");	/* nothing of that lease is believed */
		CHECK(!strstr(get("run/netd/udhcpd.conf"), "9.9.9.9"));
	}
}

TEST(hostile_lease_refused_once_then_a_good_one_applies)
{
	const char *log;

	associated();
	lease("event=bound\ninterface=wlan0\nip=10.0.0.14\nmask=28\nrouter=10.0.0.1\nlease=3600\n");
	static const char renew[] = "event=renew\ninterface=wlan0\nip=10.0.0.14\nmask=28\nrouter=10.0.0.1\nlease=3600\n";

	capture_start();
	dhcp_lease_message(renew, sizeof(renew) - 1);
	log = capture_end();
	CHECK_INT(count_lines(log, "refused"), 0);	/* said once, not at every renewal */
	host_link_untouched();
	/* the next network is a proper one */
	lease(BOUND);
	CHECK_CONTAINS(fake_sys_log, "addr_add 3 192.168.1.23/24\nroute_add 3 192.168.1.1\n");
	CHECK_STATUS("lease=bound");
	CHECK_STATUS("lease_refused=");
}

TEST(hostile_renewal_into_the_host_subnet_drops_the_good_lease)
{
	associated();
	lease(BOUND);
	fake_sys_log[0] = '\0';
	lease("event=renew\ninterface=wlan0\nip=10.0.0.14\nmask=28\nrouter=10.0.0.1\nlease=3600\n");
	CHECK_CONTAINS(fake_sys_log, "addr_del 3 192.168.1.23/24\n");
	CHECK_INT(count_lines(fake_sys_log, "addr_add"), 0);
	CHECK_STATUS("lease=refused");
}

TEST(hostile_lease_dns_on_the_host_link_is_not_passed_on)
{
	static const char msg[] = "event=bound\ninterface=wlan0\nip=192.168.1.23\nmask=24\nrouter=192.168.1.1\n"
				  "dns=10.0.0.1 127.0.0.1 192.168.1.1\nlease=3600\n";
	const char *log;

	associated();
	capture_start();
	dhcp_lease_message(msg, sizeof(msg) - 1);
	log = capture_end();
	CHECK_CONTAINS(log, "DNS server 10.0.0.1 is on the host link: not passed on");
	CHECK_CONTAINS(log, "DNS server 127.0.0.1 is not a unicast address: not passed on");
	CHECK_STATUS("lease=bound");
	CHECK_STATUS("dns=192.168.1.1");
}

TEST(hostile_ipv6_prefix_inside_the_hosts_is_removed_from_the_uplink)
{
	const char *log;

	associated_with_ipv6();
	fake_sys_log[0] = '\0';
	capture_start();
	fake_sys_addr6(3, "fd00::5054:ff:fe12:3456/64", 0, 0);
	fake_sys_prefix6(3, "fd00::/64", 0);
	fake_sys_prefix6(3, "fd00::/80", 0);	/* more specific: as bad */
	fake_sys_prefix6(3, "fd00::/8", 0);	/* wider: the host link's /64 still wins */
	fake_sys_prefix6(3, "2001:db8:50::/64", 0);
	fake_sys_prefix6(2, "fd00::/64", 0);	/* the host link's own */
	log = capture_end();
	CHECK_CONTAINS(fake_sys_log, "addr_del 3 fd00::5054:ff:fe12:3456/64\n");
	CHECK_CONTAINS(fake_sys_log, "route6_del 3 fd00::/64\n");
	CHECK_CONTAINS(fake_sys_log, "route6_del 3 fd00::/80\n");
	CHECK_INT(count_lines(fake_sys_log, "route6_del"), 2);
	CHECK_INT(count_lines(fake_sys_log, " 2 "), 0);
	CHECK_INT(count_lines(log, "inside the host link's prefix fd00::/64"), 2);	/* /64, then /80 */
	CHECK_CONTAINS(netd.last_error, "move the host's prefix: iface eth0 inet6 address in ");
	CHECK_STR(netd_err_name(netd.last_error_code), "ADDRESS_CONFLICT");
	CHECK_STATUS("uplink6_refused=overlaps-host-link");
	/* the refused address is not the uplink's */
	CHECK_STATUS("uplink_addr6=2001:db8:50::2/64");
	/* the next advertisement brings them again: removed again, said once */
	fake_sys_log[0] = '\0';
	capture_start();
	fake_sys_prefix6(3, "fd00::/80", 0);
	log = capture_end();
	CHECK_CONTAINS(fake_sys_log, "route6_del 3 fd00::/80\n");
	CHECK_INT(count_lines(log, "refused"), 0);
	/* another network: the refusal is the last one's */
	disassociated();
	CHECK_STATUS("uplink6_refused=");
}

TEST(hostile_ipv6_only_the_refused_prefix_leaves_the_uplink_without_ipv6)
{
	fresh();
	station_config();
	start();
	eth0_ready_for_ipv6();
	ra_due();
	wifi_up_and_associated();
	capture_start();
	fake_sys_addr6(3, "fd00::9/64", 0, 0);
	fake_sys_route6(3, "fe80::50", 0);
	capture_end();
	CHECK_STATUS("ipv6_uplink=no");
	ra_due();
	CHECK_INT(ra_router_lifetime(), 0);	/* the host is not routed into it */
}

/* ---- the console (item 9) ------------------------------------------------- */

/* What a person at the console sees of a boot that joins a network:
 * the mode, the link found, the network joined, the uplink address.
 * Routine lines (udhcpd started, milestones, the firewall, IPv6 routes,
 * renewals) go to syslog only. */
TEST(hostile_console_gets_the_few_lines_a_person_needs)
{
	static const char renew[] = "event=renew\ninterface=wlan0\nip=192.168.1.23\nmask=24\nrouter=192.168.1.1\n"
				    "dns=192.168.1.1 1.1.1.1\ndomain=lan\nlease=3600\n";
	const char *log;

	fresh();
	station_config();
	netd_log_levels(0);
	capture_start();
	CHECK_INT(netd_start(), 0);
	kernel_has_lo_and_eth0();
	eth0_ready_for_ipv6();
	wifi_up_and_associated();
	uplink_has_ipv6();
	dhcp_lease_message(BOUND, strlen(BOUND));
	dhcp_lease_message(renew, sizeof(renew) - 1);
	log = capture_end();
	log_set_level(LOG_INFO);	/* the harness's: shows everything */
	log_set_stderr_level(LOG_DEBUG);
	CHECK_CONTAINS(log, "wifibox: station mode (");
	CHECK_CONTAINS(log, "wifibox: Wi-Fi interface wlan0 found (phy0)\n");
	CHECK_CONTAINS(log, "wifibox: connected to 'world' on wlan0 (02:00:00:00:01:00, 2412 MHz)\n");
	CHECK_CONTAINS(log, "wifibox: uplink address 192.168.1.23/24 via 192.168.1.1 on wlan0 (lease 3600 s)\n");
	CHECK_INT(count_lines(log, "wifibox: "), 4);
	/* and all of it is in the log that syslog gets */
	fresh();
	station_config();
	capture_start();
	CHECK_INT(netd_start(), 0);
	kernel_has_lo_and_eth0();
	log = capture_end();
	CHECK_CONTAINS(log, "udhcpd started");
}

/* udhcpd said "can't open '/var/lib/misc/udhcpd.leases'" on every first
 * boot: a false error on the console and in the log. */
TEST(hostile_udhcpd_finds_its_lease_file_at_its_first_start)
{
	fresh();
	station_config();
	start();
	mkdir_p(at("var/lib/misc"), 0755);	/* init makes it on the var share */
	CHECK(access(at("var/lib/misc/udhcpd.leases"), F_OK) < 0);
	kernel_has_lo_and_eth0();
	CHECK_INT(netd.dhcpd.sup.state, SUP_RUNNING);
	CHECK_INT(access(at("var/lib/misc/udhcpd.leases"), F_OK), 0);
}

/* ---- a move to another network (item 1) ------------------------------------ */

/* busybox udhcpc, asked to renew on a network whose server does not
 * know the lease, keeps the old address for half the lease time (30
 * minutes of a 1-hour lease): the next network must not get them. */
TEST(hostile_unanswered_renewal_on_a_new_network_starts_dhcp_over)
{
	associated();
	lease(BOUND);
	fake_proc_exit(&netd.dhcpd.proc, W_EXITCODE(0, SIGTERM));
	disassociated();
	fake_proc_log[0] = fake_sys_log[0] = '\0';
	associated_again();
	CHECK_CONTAINS(fake_proc_log, "kill udhcpc 10\n");	/* renew */
	CHECK(netd.renew_timer.pending);
	capture_start();
	fire(&netd.renew_timer);
	CHECK_CONTAINS(capture_end(), "no answer for the lease 192.168.1.23 on the network just joined");
	CHECK_CONTAINS(fake_sys_log, "addr_del 3 192.168.1.23/24\n");
	CHECK_CONTAINS(fake_proc_log, "kill udhcpc 15\n");
	fake_proc_exit(&netd.dhcpc.proc, W_EXITCODE(0, SIGTERM));
	CHECK_INT(count_lines(fake_proc_log, "spawn udhcpc"), 1);	/* from scratch: discover */
	CHECK_STATUS("lease=none");
	CHECK_STATUS("uplink_addr=");
}

TEST(hostile_answered_renewal_keeps_the_lease)
{
	associated();
	lease(BOUND);
	disassociated();
	associated_again();
	lease("event=renew\ninterface=wlan0\nip=192.168.1.23\nmask=24\nrouter=192.168.1.1\n"
	      "dns=192.168.1.1 1.1.1.1\ndomain=lan\nlease=3600\n");
	CHECK(!netd.renew_timer.pending);
	CHECK_STATUS("lease=bound");
}

TEST(hostile_ipv6_addresses_and_routers_go_with_the_association)
{
	associated_with_ipv6();
	fake_sys_addr6(3, "fe80::3/64", 0, 0);
	fake_sys_log[0] = '\0';
	disassociated();
	CHECK_CONTAINS(fake_sys_log, "addr_del 3 2001:db8:50::2/64\n");
	CHECK_CONTAINS(fake_sys_log, "addr_del 3 2001:db8:50::9/64\n");
	CHECK_CONTAINS(fake_sys_log, "route6_del 3 ::/0 via fe80::50\n");
	CHECK(!strstr(fake_sys_log, "fe80::3"));	/* the link's own stays */
	CHECK(!strstr(fake_sys_log, " 2 "));		/* and the host link's */
	/* the kernel says so; then the guest is no router for the host */
	fake_sys_addr6(3, "2001:db8:50::2/64", 0, 1);
	fake_sys_addr6(3, "2001:db8:50::9/64", SYS_ADDR_TEMPORARY, 1);
	fake_sys_route6(3, "fe80::50", 1);
	CHECK_STATUS("ipv6_uplink=no");
	CHECK_STATUS("uplink_addr6=");
	ra_due();
	CHECK_INT(ra_router_lifetime(), 0);
}
