/* netd's core end to end against the fakes: the kernel (system-fake),
 * the children (proc-fake), the control sockets (ctrl-fake) and libiptc
 * (firewall-fake). Files go to a temporary directory. */
#include <sys/timerfd.h>

#include "dns.h"
#include "check.h"
#include "netd-harness.h"

TEST(core_dns_upstream_keeps_only_addresses)
{
	char out[DNS_UPSTREAM_MAX], big[2000];
	struct in6_addr v6[2];
	size_t len;

	inet_pton(AF_INET6, "2001:db8:53::1", &v6[0]);
	inet_pton(AF_INET6, "2001:db8:53::2", &v6[1]);
	len = dns_upstream_text("192.168.1.1 nonsense 1.1.1.1 ::1 999.1.1.1", v6, 2, out, sizeof(out));
	CHECK_STR(out, "# written by netd: the uplink's DNS servers, for dnsmasq\n"
		       "nameserver 192.168.1.1\nnameserver 1.1.1.1\n"
		       "nameserver 2001:db8:53::1\nnameserver 2001:db8:53::2\n");
	CHECK_INT((int)len, (int)strlen(out));
	dns_upstream_text("", v6, 0, out, sizeof(out));
	CHECK_STR(out, "# written by netd: the uplink's DNS servers, for dnsmasq (none: no uplink)\n");
	/* more than fits: cut, never past the buffer, and the length says so */
	big[0] = '\0';
	for (int k = 0; k < 100; k++)
		strcat(big, "10.10.10.10 ");
	len = dns_upstream_text(big, v6, 2, out, 64);
	CHECK_INT((int)len, 63);
	CHECK_INT((int)strlen(out), 63);
}

/* A static Wi-Fi address: dnsmasq asks interfaces.conf's servers while
 * the guest is associated, and nobody while it is not. */
TEST(core_dns_with_a_static_wifi_address_follows_the_association)
{
	fresh();
	station_config();
	put("media/etc/interfaces.conf", "iface eth0 inet static\n address 10.0.0.1/24\n"
	    "iface wlan0 inet static\n address 192.168.9.2/24\n gateway 192.168.9.1\n"
	    " dns-nameservers 192.168.9.53\n");
	start();
	kernel_has_lo_and_eth0();
	CHECK(!strstr(get("run/netd/dns-upstream"), "nameserver"));
	wifi_up_and_associated();
	CHECK_CONTAINS(get("run/netd/dns-upstream"), "nameserver 192.168.9.53\n");
	CHECK_STATUS("dns_forwarder_upstream=192.168.9.53");
	fake_ctrl_event(&netd.sup.ctl, "<3>CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:01:00 reason=3");
	CHECK(!strstr(get("run/netd/dns-upstream"), "nameserver"));
	CHECK_STATUS("dns_forwarder_upstream=");
}

TEST(core_clock_before_the_build_date_is_wrong)
{
	/* 2026-01-01, the default SOURCE_DATE_EPOCH */
	CHECK_STR(clock_state(1767225600, 1767225600), "ok");
	CHECK_STR(clock_state(1767225600 + 86400, 1767225600), "ok");
	CHECK_STR(clock_state(1767225599, 1767225600), "before-build-date");
	CHECK_STR(clock_state(0, 1767225600), "before-build-date");
	CHECK_STR(clock_state(0, 0), "unchecked");
}

TEST(core_status_is_written_only_when_it_changes)
{
	ino_t first;

	fresh();
	station_config();
	start();
	kernel_has_lo_and_eth0();
	status_now();
	first = status_inode();
	CHECK(first != 0);
	/* nothing changed but the time: no write (each write is a new file
	 * renamed into place, so a write shows as a new inode) */
	status_now();
	CHECK(status_inode() == first);
	/* `netd status` asks for a fresh one: written */
	report_force_next_write();
	status_now();
	CHECK(status_inode() != first);
	first = status_inode();
	/* a change is written */
	fake_sys_link(3, "wlan0", 0, 0);
	fake_sys_wifi(3, "wlan0", 0);
	status_now();
	CHECK(status_inode() != first);
	CHECK(status_has("wifi_iface=wlan0"));
}

/* The status timer's time left, in ms. */
static long status_timer_left_ms(void)
{
	struct itimerspec its;

	if (timerfd_gettime(netd.status_timer.lfd.fd, &its) < 0)
		return -1;
	return its.it_value.tv_sec * 1000 + its.it_value.tv_nsec / 1000000;
}

/* The next status write comes after more than LO ms and at most HI. */
#define CHECK_NEXT_WRITE(lo, hi, when)                                        \
	do {                                                                  \
		long check_left = status_timer_left_ms();                     \
		if (!(check_left > (lo) && check_left <= (hi)))               \
			CHECK_FAIL("%s: the next write in %ld ms, expected more than %d and at most %d", \
				   when, check_left, lo, hi);                 \
	} while (0)

TEST(core_status_writes_at_most_four_a_second)
{
	long left;

	fresh();
	station_config();
	start();
	kernel_has_lo_and_eth0();
	loop_timer_cancel(&netd.status_timer);
	report_force_next_write();
	status_now();
	report_changed();
	CHECK(netd.status_timer.pending);
	CHECK_NEXT_WRITE(10, 250, "just after a write (the rest of the quarter second)");
	/* more changes in the meantime do not move it */
	left = status_timer_left_ms();
	report_changed();
	CHECK(status_timer_left_ms() <= left);
	/* `netd status` (SIGUSR1) does not wait for it */
	report_force_next_write();
	report_changed();
	CHECK_NEXT_WRITE(0, 10, "asked for");
	status_now();
	loop_timer_cancel(&netd.status_timer);
	usleep(260 * 1000);
	report_changed();
	CHECK_NEXT_WRITE(0, 10, "nothing written for a quarter second");
}

TEST(core_status_waits_while_the_uplink_comes_up)
{
	fresh();
	station_config();
	start();
	kernel_has_lo_and_eth0();
	loop_timer_cancel(&netd.status_timer);
	/* wpa_supplicant starts, scans, associates: no write for 2 s */
	wifi_up_and_associated();
	CHECK(netd.sup.proc.pid != 0);
	CHECK(netd.status_timer.pending);
	CHECK_NEXT_WRITE(250, 2000, "the uplink coming up (2 s after wpa_supplicant's start)");
	/* the lease ends the wait */
	lease(BOUND);
	CHECK_NEXT_WRITE(0, 250, "with the lease");
	fire(&netd.status_timer);
	CHECK(status_has("lease=bound"));
	CHECK(status_has("wifi_state=COMPLETED"));
	/* once the uplink is up, the next changes are not held */
	usleep(260 * 1000);
	report_changed();
	CHECK_NEXT_WRITE(0, 10, "after the lease");
}

TEST(core_station_serves_the_host_before_any_uplink)
{
	fresh();
	station_config();
	start();
	CHECK_CONTAINS(fake_sys_log, "sysctl /proc/sys/net/ipv4/ip_forward 1\n");
	CHECK_CONTAINS(fake_sys_log, "sysctl_config ");
	kernel_has_lo_and_eth0();
	CHECK_CONTAINS(fake_sys_log, "addr_add 1 127.0.0.1/8\n");
	CHECK_CONTAINS(fake_sys_log, "link_up 2 eth0\naddr_add 2 10.0.0.1/24\n");
	CHECK_INT(netd.dhcpd.sup.state, SUP_RUNNING);
	CHECK_CONTAINS(fake_proc_log, "spawn udhcpd: /usr/sbin/udhcpd -f -S -a 0 ");
	CHECK_STR(get("run/netd/udhcpd.conf"),
		  "interface eth0\nstart 10.0.0.2\nend 10.0.0.254\nmax_leases 64\nopt subnet 255.255.255.0\n"
		  "opt router 10.0.0.1\nopt dns 10.0.0.1 8.8.8.8 8.8.4.4\nopt lease 60\n");
	/* the host asks the guest, which forwards to the uplink, none yet */
	CHECK_CONTAINS(fake_proc_log, "spawn dnsmasq: /usr/sbin/dnsmasq --keep-in-foreground --conf-file= "
		       "--pid-file= --no-hosts --resolv-file=");
	CHECK_CONTAINS(fake_proc_log, "/run/netd/dns-upstream --no-poll --interface=eth0 --bind-dynamic "
		       "--user=nobody --group=nogroup\n");
	CHECK_STR(get("run/netd/dns-upstream"),
		  "# written by netd: the uplink's DNS servers, for dnsmasq (none: no uplink)\n");
	CHECK(fake_fw_calls >= 1);
	CHECK_STR(fake_fw_last.inside, "eth0");
	/* the uplink's rules name the Wi-Fi interface expected: none to rewrite when it comes */
	CHECK_STR(fake_fw_last.uplink, "wlan0");
	CHECK_STATUS("mode=station");
	CHECK_STATUS("host_addr=10.0.0.1/24");
	CHECK_STATUS("dhcp_server=running");
	CHECK_STATUS("dhcp_server_lease_s=60");
	CHECK_STATUS("wifi_daemon_state=waiting-for-interface");
	CHECK(strstr(get("var/lib/netd/status"), "milestone.dhcp_server=") != NULL);
}

TEST(core_station_uplink_from_association_to_forwarding)
{
	fresh();
	station_config();
	start();
	kernel_has_lo_and_eth0();
	wifi_up_and_associated();
	CHECK_CONTAINS(fake_sys_log, "regdom DE\n");
	CHECK_CONTAINS(fake_proc_log, "spawn wpa_supplicant: /usr/sbin/wpa_supplicant -s -D nl80211 -i wlan0 -c ");
	CHECK_STR(fake_fw_last.uplink, "wlan0");
	CHECK_CONTAINS(fake_proc_log, "spawn udhcpc: /sbin/udhcpc -f -S -i wlan0 -s /usr/libexec/netd/udhcpc-event -O search");
	fake_proc_log[0] = '\0';
	lease(BOUND);
	CHECK_CONTAINS(fake_sys_log, "addr_add 3 192.168.1.23/24\nroute_add 3 192.168.1.1\n");
	CHECK_STR(get("run/resolv.conf"),
		  "# written by netd from the DHCP lease on wlan0\nsearch lan\nnameserver 192.168.1.1\nnameserver 1.1.1.1\n");
	/* udhcpd gets the uplink's domain and the template's lease: restarted
	 * once; dnsmasq gets the uplink's servers, and reloads (SIGHUP) */
	CHECK_STR(fake_proc_log, "kill udhcpd 15\nkill dnsmasq 1\n");
	CHECK_STR(get("run/netd/dns-upstream"), "# written by netd: the uplink's DNS servers, for dnsmasq\n"
		  "nameserver 192.168.1.1\nnameserver 1.1.1.1\n");
	fake_proc_exit(&netd.dhcpd.proc, W_EXITCODE(0, SIGTERM));
	CHECK_CONTAINS(fake_proc_log, "spawn udhcpd:");
	CHECK_CONTAINS(get("run/netd/udhcpd.conf"), "opt dns 10.0.0.1 8.8.8.8 8.8.4.4\nopt domain lan\n");
	CHECK_CONTAINS(get("run/netd/udhcpd.conf"), "opt lease 864000\n");
	CHECK_INT(netd.dhcpd.sup.restarts, 0);
	CHECK_STATUS("uplink_addr=192.168.1.23/24");
	CHECK_STATUS("uplink_gateway=192.168.1.1");
	CHECK_STATUS("dns=192.168.1.1 1.1.1.1");
	CHECK_STATUS("ssid=world");
	CHECK_STATUS("signal_dbm=-44");
	CHECK_STATUS("wifi_state=COMPLETED");
	CHECK_STATUS("lease=bound");
	CHECK_STATUS("firewall=ok");
	CHECK_STATUS("fw_forwarded_packets=7");
	for (const char *m = "wifi_iface\0wifi_daemon\0associated\0lease\0forwarding\0"; *m; m += strlen(m) + 1) {
		char key[64];

		snprintf(key, sizeof(key), "milestone.%s=", m);
		CHECK(strstr(get("var/lib/netd/status"), key) != NULL);
	}
}

TEST(core_renewals_restart_udhcpd_only_when_dns_changes)
{
	fresh();
	station_config();
	start();
	kernel_has_lo_and_eth0();
	wifi_up_and_associated();
	lease(BOUND);
	fake_proc_exit(&netd.dhcpd.proc, W_EXITCODE(0, SIGTERM));
	fake_proc_log[0] = fake_sys_log[0] = '\0';
	lease("event=renew\ninterface=wlan0\nip=192.168.1.23\nmask=24\nrouter=192.168.1.1\n"
	      "dns=192.168.1.1 1.1.1.1\ndomain=lan\nlease=3600\n");
	CHECK_INT(count_lines(fake_proc_log, "udhcpd"), 0);
	CHECK_INT(count_lines(fake_sys_log, "addr_"), 0);
	lease("event=renew\ninterface=wlan0\nip=192.168.1.23\nmask=24\nrouter=192.168.1.1\ndns=9.9.9.9\nlease=3600\n");
	CHECK_CONTAINS(fake_proc_log, "kill udhcpd 15\n");
	/* a new address replaces the old one */
	fake_proc_exit(&netd.dhcpd.proc, W_EXITCODE(0, SIGTERM));
	lease("event=bound\ninterface=wlan0\nip=192.168.1.99\nmask=24\nrouter=192.168.1.1\ndns=9.9.9.9\nlease=3600\n");
	CHECK_CONTAINS(fake_sys_log, "addr_del 3 192.168.1.23/24\naddr_add 3 192.168.1.99/24\nroute_add 3 192.168.1.1\n");
	/* losing the lease removes the address and keeps udhcpd's DNS */
	fake_proc_log[0] = '\0';
	lease("event=deconfig\ninterface=wlan0\n");
	CHECK_CONTAINS(fake_sys_log, "addr_del 3 192.168.1.99/24\n");
	CHECK_INT(count_lines(fake_proc_log, "udhcpd"), 0);
	CHECK_STATUS("lease=none");
}

TEST(core_new_association_asks_udhcpc_to_renew)
{
	fresh();
	station_config();
	start();
	kernel_has_lo_and_eth0();
	wifi_up_and_associated();
	fake_proc_log[0] = '\0';
	fake_ctrl_event(&netd.sup.ctl, "<3>CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:01:00 reason=3");
	capture_start();
	fake_ctrl_event(&netd.sup.ctl, "<3>CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]");
	capture_end();
	CHECK_CONTAINS(fake_proc_log, "kill udhcpc 10\n");
	CHECK_INT(count_lines(fake_proc_log, "spawn udhcpc"), 0);
}

TEST(core_lease_for_another_interface_is_ignored)
{
	fresh();
	station_config();
	start();
	kernel_has_lo_and_eth0();
	wifi_up_and_associated();
	fake_sys_log[0] = '\0';
	lease("event=bound\ninterface=eth0\nip=10.0.0.99\nmask=24\n");
	CHECK_INT(count_lines(fake_sys_log, "addr_add"), 0);
	CHECK_INT(netd.have_lease, 0);
}

TEST(core_link_drift_is_repaired)
{
	fresh();
	station_config();
	start();
	kernel_has_lo_and_eth0();
	fake_sys_link(2, "eth0", UP, 0);
	fake_sys_addr4(2, "10.0.0.1/24", 0);
	fake_sys_log[0] = '\0';
	/* someone removes the address */
	capture_start();
	fake_sys_addr4(2, "10.0.0.1/24", 1);
	capture_end();
	CHECK_STR(fake_sys_log, "addr_add 2 10.0.0.1/24\n");
	/* or takes the link down */
	fake_sys_link(2, "eth0", 0, 0);
	CHECK_CONTAINS(fake_sys_log, "link_up 2 eth0\n");
	/* a carrier flap alone needs nothing */
	fake_sys_link(2, "eth0", UP, 0);
	fake_sys_log[0] = '\0';
	fake_sys_link(2, "eth0", SYS_LINK_UP, 0);
	fake_sys_link(2, "eth0", UP, 0);
	CHECK_STR(fake_sys_log, "");
	/* the NIC goes away and comes back with another index: udhcpd,
	 * bound to the old one, is stopped and started again */
	fake_proc_log[0] = '\0';
	capture_start();
	fake_sys_link(2, "eth0", UP, 1);
	capture_end();
	CHECK_STR(fake_proc_log, "kill udhcpd 15\n");
	fake_sys_link(7, "eth0", 0, 0);
	CHECK_CONTAINS(fake_sys_log, "link_up 7 eth0\naddr_add 7 10.0.0.1/24\n");
	CHECK_INT(netd.dhcpd.sup.state, SUP_RESTARTING);
	fake_proc_exit(&netd.dhcpd.proc, W_EXITCODE(0, SIGTERM));
	CHECK_INT(netd.dhcpd.sup.state, SUP_RUNNING);
	CHECK_INT(count_lines(fake_proc_log, "spawn udhcpd"), 1);
}

TEST(core_failed_kernel_calls_are_retried)
{
	fresh();
	station_config();
	start();
	fake_sys_link(1, "lo", UP, 0);
	fake_sys_fail = 2;
	capture_start();
	fake_sys_link(2, "eth0", 0, 0);
	capture_end();
	CHECK(netd.eth.retry_timer.pending);
	CHECK_INT(netd.dhcpd.sup.state, SUP_STOPPED);	/* no address: nothing to serve from */
	CHECK_CONTAINS(netd.last_error, "setting 10.0.0.1/24 on eth0 (host link): failed, will retry");
	CHECK_STR(netd_err_name(netd.last_error_code), "KERNEL_REFUSED");
	fire(&netd.eth.retry_timer);
	CHECK_INT(netd.dhcpd.sup.state, SUP_RUNNING);
	CHECK(!netd.eth.retry_timer.pending);
}

TEST(core_bad_config_keeps_the_host_served)
{
	fresh();
	station_config();
	put("media/etc/interfaces.conf", "iface eth0 inet static\n  adress 10.0.0.9\n\x01\x02garbage\n");
	put("media/etc/udhcpd.conf", "start 10.0.0.100\nend 10.0.0.120\nopt dnss %%DNS%%\nopt router 10.0.0.1\n");
	capture_start();
	CHECK_INT(netd_start(), 0);
	const char *log = capture_end();
	CHECK_CONTAINS(log, "interfaces.conf:2: 'adress' is not a known option (did you mean 'address'?)");
	CHECK_CONTAINS(log, "udhcpd.conf:3: 'dnss' is not a udhcpd option (did you mean 'dns'?)");
	kernel_has_lo_and_eth0();
	CHECK_CONTAINS(fake_sys_log, "addr_add 2 10.0.0.1/24\n");
	CHECK_INT(netd.dhcpd.sup.state, SUP_RUNNING);
	CHECK_STR(get("run/netd/udhcpd.conf"),
		  "interface eth0\nstart 10.0.0.100\nend 10.0.0.120\nopt router 10.0.0.1\n"
		  "opt subnet 255.255.255.0\nopt lease 60\n");
	CHECK_STATUS("dhcp_server=running");
	CHECK(strstr(get("var/lib/netd/status"), "last_error=/") != NULL);
	CHECK_STATUS("last_error_code=CONFIG_SYNTAX");
}

TEST(core_udhcpd_rejecting_the_template_falls_back_to_the_default)
{
	fresh();
	station_config();
	put("media/etc/udhcpd.conf", "start 10.0.0.100\nend 10.0.0.120\nopt router 10.0.0.1\nboot_file x\n");
	start();
	kernel_has_lo_and_eth0();
	capture_start();
	fake_proc_exit(&netd.dhcpd.proc, W_EXITCODE(1, 0));
	svc_event(&netd.dhcpd, SUP_TIMER);
	CHECK(netd.tmpl_from_file);
	fake_proc_exit(&netd.dhcpd.proc, W_EXITCODE(1, 0));
	const char *log = capture_end();
	CHECK_INT(netd.tmpl_from_file, 0);
	CHECK_CONTAINS(log, "udhcpd exited at once twice with the settings of");
	svc_event(&netd.dhcpd, SUP_TIMER);
	CHECK_CONTAINS(get("run/netd/udhcpd.conf"), "start 10.0.0.2\nend 10.0.0.254\n");
	CHECK_STATUS("dhcp_server_settings=built-in");
}

TEST(core_no_wifi_config_leaves_wifi_alone)
{
	fresh();
	start();
	CHECK_CONTAINS(netd.last_error, "no Wi-Fi; the host link works");
	CHECK_STR(netd_err_name(netd.last_error_code), "NO_WIFI_CONFIG");
	CHECK_INT(count_lines(fake_sys_log, "ip_forward 1"), 0);	/* nothing to share */
	kernel_has_lo_and_eth0();
	capture_start();
	fake_sys_wifi(3, "wlan0", 0);
	capture_end();
	CHECK_INT(count_lines(fake_proc_log, "wpa_supplicant"), 0);
	CHECK_STR(get("run/netd/udhcpd.conf") + strlen(get("run/netd/udhcpd.conf")) - 17, "opt lease 864000\n");
	CHECK_STATUS("mode=none");
	CHECK_STATUS("wifi_daemon=none");
}

TEST(core_access_point_mode)
{
	fresh();
	put("etc/hostapd/hostapd.conf", "interface=wlan0\nctrl_interface=/var/run/hostapd\ncountry_code=FR\nssid=guest\n");
	start();
	kernel_has_lo_and_eth0();
	CHECK_CONTAINS(fake_sys_log, "addr_add 2 10.0.0.2/24\nroute_add 2 10.0.0.1\n");
	CHECK_INT(fake_fw_calls, 0);	/* nothing inside to masquerade for yet */
	CHECK_STATUS("firewall=pending");
	CHECK_INT(netd.dhcpd.sup.state, SUP_STOPPED);	/* it serves the wireless side */
	fake_sys_link(3, "wlp1s0", 0, 0);
	fake_sys_wifi(3, "wlp1s0", 0);
	CHECK_CONTAINS(fake_sys_log, "regdom FR\n");
	CHECK_CONTAINS(fake_proc_log, "spawn hostapd: /usr/sbin/hostapd -s -i wlp1s0 ");
	CHECK_CONTAINS(fake_sys_log, "addr_add 3 192.168.0.1/24\n");
	CHECK_INT(netd.dhcpd.sup.state, SUP_RUNNING);
	CHECK_CONTAINS(fake_proc_log, "spawn udhcpd: /usr/sbin/udhcpd -f -S -a 500 ");
	CHECK_CONTAINS(get("run/netd/udhcpd.conf"), "interface wlp1s0\nstart 192.168.0.2\nend 192.168.0.254\n");
	CHECK_INT(count_lines(get("run/netd/udhcpd.conf"), "opt lease 60\n"), 0);
	CHECK_INT(fake_fw_last.mode, FW_MODE_AP);
	CHECK_STR(fake_fw_last.uplink, "eth0");
	CHECK_STR(fake_fw_last.inside, "wlp1s0");
	CHECK_INT(count_lines(fake_proc_log, "udhcpc"), 0);
	CHECK_STATUS("mode=ap");
}

TEST(core_access_point_dns_from_interfaces_conf)
{
	fresh();
	put("etc/hostapd/hostapd.conf", "interface=wlan0\nctrl_interface=/var/run/hostapd\n");
	put("media/etc/interfaces.conf", "iface eth0 inet static\n address 10.0.0.2/24\n gateway 10.0.0.1\n"
					 " dns-nameservers 10.0.0.1 9.9.9.9\n");
	start();
	kernel_has_lo_and_eth0();
	fake_sys_wifi(3, "wlan0", 0);
	CHECK_CONTAINS(get("run/netd/udhcpd.conf"), "opt dns 10.0.0.1 9.9.9.9 8.8.8.8 8.8.4.4\n");
	CHECK_STR(get("run/resolv.conf"), "# written by netd from interfaces.conf\nnameserver 10.0.0.1\nnameserver 9.9.9.9\n");
	CHECK_STATUS("dns=10.0.0.1 9.9.9.9");
}

TEST(core_wifi_interface_lost_and_found)
{
	fresh();
	station_config();
	start();
	kernel_has_lo_and_eth0();
	wifi_up_and_associated();
	lease(BOUND);
	fake_proc_log[0] = '\0';
	capture_start();
	fake_sys_wifi(3, "wlan0", 1);
	capture_end();
	CHECK_CONTAINS(fake_proc_log, "kill wpa_supplicant 15\n");
	CHECK_CONTAINS(fake_proc_log, "kill udhcpc 15\n");
	CHECK_STR(fake_fw_last.uplink, "wlan0");	/* still the one expected back */
	CHECK_STATUS("wifi_iface=");
	fake_proc_exit(&netd.sup.proc, W_EXITCODE(0, SIGTERM));
	fake_proc_exit(&netd.dhcpc.proc, W_EXITCODE(0, SIGTERM));
	CHECK_INT(netd.sup.state, WS_WAIT_IFACE);
	/* a card reset brings it back under another index */
	fake_sys_link(5, "wlan0", 0, 0);
	fake_sys_wifi(5, "wlan0", 0);
	CHECK_INT(netd.sup.state, WS_STARTING);
	CHECK_STR(fake_fw_last.uplink, "wlan0");
}

TEST(core_prefers_the_configured_wifi_name)
{
	fresh();
	station_config();
	put("media/etc/interfaces.conf", "iface wlan1 inet dhcp\n");
	start();
	kernel_has_lo_and_eth0();
	fake_sys_wifi(3, "wlan0", 0);
	CHECK_STR(netd.wifi.name, "wlan0");
	/* the one named in the file appears: the running one is kept */
	fake_sys_wifi(4, "wlan1", 0);
	CHECK_STR(netd.wifi.name, "wlan0");
	capture_start();
	fake_sys_wifi(3, "wlan0", 1);
	capture_end();
	CHECK_STR(netd.wifi.name, "wlan1");
}

/* The kernel as an earlier netd left it, in dump order. */
static void left_running(void)
{
	fake_sys_link(1, "lo", UP, 0);
	fake_sys_link(2, "eth0", UP, 0);
	fake_sys_link(3, "wlan0", UP, 0);
	fake_sys_addr4(1, "127.0.0.1/8", 0);
	fake_sys_addr4(2, "10.0.0.1/24", 0);
	fake_sys_addr4(3, "192.168.1.23/24", 0);
	fake_sys_addr6(2, "fd00::ffff/64", 0, 0);
	fake_sys_addr6(2, "fe80::1/64", 0, 0);
}

static void left_running_wifi(void)
{
	fake_sys_wifi(3, "wlan0", 0);
}

TEST(core_restarted_netd_adopts_the_running_helpers)
{
	fresh();
	fake_sys_dump = left_running;
	fake_sys_dump_wifi = left_running_wifi;
	station_config();
	/* what the earlier netd left behind */
	put("run/netd/udhcpd.conf", "interface eth0\nstart 10.0.0.2\nend 10.0.0.254\nmax_leases 64\n"
				    "opt subnet 255.255.255.0\nopt router 10.0.0.1\nopt dns 10.0.0.1 8.8.8.8 8.8.4.4\n"
				    "opt domain lan\nopt lease 864000\n");
	put("run/netd/dns-upstream", "# written by netd: the uplink's DNS servers, for dnsmasq\n"
				     "nameserver 192.168.1.1\nnameserver 1.1.1.1\n");
	put("run/netd/lease", BOUND);
	fake_proc_adopt_ok = 1;
	start();
	CHECK_CONTAINS(fake_proc_log, "adopt udhcpd ");
	CHECK_CONTAINS(fake_proc_log, "adopt dnsmasq --no-poll\n");
	CHECK_CONTAINS(fake_proc_log, "adopt wpa_supplicant wlan0\nadopt udhcpc wlan0\n");
	CHECK_INT(count_lines(fake_proc_log, "spawn"), 0);
	CHECK_INT(count_lines(fake_proc_log, "kill"), 0);
	/* the lease came from the file: same address, no udhcpd restart, and
	 * the same servers: no dnsmasq reload (its cache stays) */
	CHECK_INT(netd.have_lease, 1);
	CHECK_INT(count_lines(fake_sys_log, "addr_add 3"), 0);
	CHECK_INT(count_lines(fake_sys_log, "addr_add"), 0);
	CHECK_INT(count_lines(fake_sys_log, "link_up"), 0);
	CHECK_CONTAINS(fake_sys_log, "route_add 3 192.168.1.1\n");
	CHECK_STATUS("netd_starts=1");
}

TEST(core_counts_netd_starts_in_one_boot)
{
	fresh();
	put("boot_id", "abc\n");
	paths.boot_id = at("boot_id");
	put("var/lib/netd/status", "version=1\nboot_id=abc\nnetd_starts=3\n");
	start();
	CHECK_STATUS("netd_starts=4");
	fresh();
	put("boot_id", "new\n");
	paths.boot_id = at("boot_id");
	put("var/lib/netd/status", "version=1\nboot_id=abc\nnetd_starts=3\n");
	start();
	CHECK_STATUS("netd_starts=1");
}

TEST(core_milestones_from_init_and_netd_in_time_order)
{
	fresh();
	put("run/init/milestones", "kernel 0\nshares_mounted 40\nbad line here\nx;y 5\nnetd_started 50\n");
	start();
	status_now();
	const char *s = get("var/lib/netd/status");
	const char *a = strstr(s, "milestone.init.kernel=0\n"), *b = strstr(s, "milestone.init.shares_mounted=40\n"),
		   *c = strstr(s, "milestone.netd_start=");
	CHECK(a && b && c && a < b && b < c);
	CHECK(strstr(s, "bad") == NULL);
	CHECK(strstr(s, "x;y") == NULL);
}

TEST(core_firewall_failure_retries_then_waits_for_a_change)
{
	fresh();
	station_config();
	fake_fw_fail = 1;
	start();
	CHECK_INT(netd.fw_state, -1);
	CHECK(netd.fw_timer.pending);
	capture_start();
	for (int k = 0; k < 10 && netd.fw_timer.pending; k++)
		fire(&netd.fw_timer);
	capture_end();
	CHECK(!netd.fw_timer.pending);
	CHECK_INT(fake_fw_calls, 8);
	CHECK_CONTAINS(netd.last_error, "failed 8 times; trying again at the next change");
	CHECK_STR(netd_err_name(netd.last_error_code), "FIREWALL_FAILED");
	fake_fw_fail = 0;
	kernel_has_lo_and_eth0();
	fake_sys_wifi(3, "wlan0", 0);
	CHECK_INT(netd.fw_state, 1);
	CHECK_STATUS("firewall=ok");
}

TEST(core_user_iptables_file_loaded_once_after_netds_chains)
{
	fresh();
	station_config();
	put("media/etc/iptables", "*nat\n-A POSTROUTING -o wlan0 -j MASQUERADE\nCOMMIT\n");
	start();
	CHECK_CONTAINS(fake_proc_log, "spawn iptables-restore: /usr/sbin/iptables-restore --noflush --wait=10 ");
	CHECK_INT(fake_fw_calls, 1);
	/* while the tool runs, netd leaves the tables alone (a Wi-Fi
	 * interface of a name other than the expected wlan0: a change) */
	kernel_has_lo_and_eth0();
	fake_sys_wifi(3, "wlp2s0", 0);
	CHECK_INT(fake_fw_calls, 1);
	capture_start();
	fake_proc_exit(&netd.fwuser.proc, 0);
	capture_end();
	CHECK_INT(fake_fw_calls, 2);
	CHECK_STR(fake_fw_last.uplink, "wlp2s0");
	CHECK(access(at("run/netd/iptables.loaded"), F_OK) == 0);
}

TEST(core_port_forwards_and_bridge_ports_reach_the_firewall)
{
	fresh();
	station_config();
	put("media/etc/port_forwards.conf", "tcp 2222 -> 10.0.0.2:22\nbogus line\n");
	put("media/etc/uds_passthru.conf", "network=10.0.0.1:255.255.255.0\nsockets=\"path=/var/run/wpa_supplicant/wlan0,port=1200\"\n");
	start();
	CHECK_INT(fake_fw_last.n_bridge_ports, 1);
	CHECK_INT(fake_fw_last.bridge_ports[0], 1200);
	CHECK_INT(fake_fw_last.n_forwards, 1);
	CHECK_INT(fake_fw_last.forwards[0].outside_lo, 2222);
	CHECK_CONTAINS(netd.last_error, "port_forwards.conf: 1 lines skipped");
	CHECK_STR(netd_err_name(netd.last_error_code), "CONFIG_SYNTAX");
}

TEST(core_shutdown_stops_everything_then_quits)
{
	fresh();
	station_config();
	start();
	kernel_has_lo_and_eth0();
	wifi_up_and_associated();
	fake_proc_log[0] = fake_ctrl_log[0] = '\0';
	capture_start();
	netd_shutdown();
	capture_end();
	CHECK_CONTAINS(fake_ctrl_log, "DISCONNECT\n");
	CHECK_CONTAINS(fake_proc_log, "kill udhcpc 15\n");
	CHECK_CONTAINS(fake_proc_log, "kill udhcpd 15\n");
	CHECK_CONTAINS(fake_proc_log, "kill dnsmasq 15\n");
	CHECK_INT(netd.stopped, 0);
	fake_ctrl_reply(&netd.sup.ctl, "OK\n");
	CHECK_CONTAINS(fake_ctrl_log, "TERMINATE\n");
	fake_proc_exit(&netd.sup.proc, 0);
	fake_proc_exit(&netd.dhcpc.proc, 0);
	fake_proc_exit(&netd.dhcpd.proc, 0);
	CHECK_INT(netd.stopped, 0);	/* dnsmasq still runs */
	capture_start();
	fake_proc_exit(dns_proc(), 0);
	capture_end();
	CHECK_INT(netd.stopped, 1);
	CHECK(status_has("state=stopped"));
}

/* Issue 7 (Wifibox #83): the subnet changed in interfaces.conf only, with
 * the shipped udhcpd.conf and uds_passthru.conf left as they were. */
TEST(core_subnet_changed_in_interfaces_conf_only)
{
	const char *log;

	fresh();
	station_config();
	put("media/etc/interfaces.conf", "iface eth0 inet static\n  address 10.7.0.1\n  netmask 255.255.255.0\n");
	put("media/etc/udhcpd.conf", "start 10.0.0.2\nend 10.0.0.254\nmax_leases 64\nopt subnet 255.255.255.0\n"
	    "opt router 10.0.0.1\nopt dns %%DNS%% 8.8.8.8 8.8.4.4\nopt lease 864000\n");
	put("media/etc/uds_passthru.conf", "network=10.0.0.1:255.255.255.0\nsockets=\"path=/x,port=1200\"\n");
	capture_start();
	CHECK_INT(netd_start(), 0);
	kernel_has_lo_and_eth0();
	log = capture_end();
	CHECK_CONTAINS(log, "udhcpd.conf:1: start 10.0.0.2 is outside the served network 10.7.0.0/24");
	CHECK_CONTAINS(log, "udhcpd.conf:5: opt router 10.0.0.1 is outside the served network 10.7.0.0/24");
	CHECK_CONTAINS(log, "uds_passthru.conf:1: network=10.0.0.1:255.255.255.0 does not match eth0's address 10.7.0.1/24");
	CHECK_STR(get("run/netd/udhcpd.conf"),
		  "interface eth0\nmax_leases 64\nopt subnet 255.255.255.0\nopt router 10.7.0.1\n"
		  "opt dns 10.7.0.1 8.8.8.8 8.8.4.4\nopt lease 60\nstart 10.7.0.2\nend 10.7.0.254\n");
	CHECK_INT(netd.n_bridge_ports, 1);	/* the firewall still opens the bridge */
	CHECK_CONTAINS(netd.last_error, "uds_passthru.conf: network= is not eth0's address (see above)");
	CHECK_STR(netd_err_name(netd.last_error_code), "CONFIG_MISMATCH");
}

/* ---- IPv6 (issue 8) -------------------------------------------------------- */

TEST(core_ipv6_station_prefix_only_until_the_uplink_has_ipv6)
{
	fresh();
	station_config();
	start();
	CHECK_CONTAINS(fake_sys_log, "sysctl /proc/sys/net/ipv6/conf/all/forwarding 1\n");
	CHECK_CONTAINS(fake_sys_log, "sysctl /proc/sys/net/ipv6/conf/default/accept_ra 2\n");
	CHECK_CONTAINS(fake_sys_log, "sysctl /proc/sys/net/ipv6/conf/default/use_tempaddr 2\n");
	eth0_ready_for_ipv6();
	CHECK_CONTAINS(fake_sys_log, "addr_add 2 fd00::ffff/64\n");
	CHECK_CONTAINS(fake_sys_log, "sysctl /proc/sys/net/ipv6/conf/eth0/accept_ra 0\n");
	CHECK_CONTAINS(fake_sys_log, "ra_open 2 eth0\n");
	ra_due();
	CHECK_INT(fake_ra_sends, 1);
	CHECK_INT(ra_router_lifetime(), 0);	/* no bogus router for the host */
	CHECK_INT(fake_ra_len, 16 + 32);	/* the prefix, no DNS servers */
	CHECK(fake_fw_last.ipv6);
	CHECK_STATUS("ipv6=on");
	CHECK_STATUS("ipv6_uplink=no");
	CHECK_STATUS("ra=prefix-only");
	CHECK_STATUS("ra_iface=eth0");
	CHECK_STATUS("ra_prefix=fd00::/64");
	CHECK_STATUS("ra_router_lifetime_s=0");
	/* then the initial ones, 16 s apart, then the slow pace */
	CHECK(netd.ipv6.ra_due_ms - loop_now_ms() > 15000);
	ra_due();
	ra_due();
	ra_due();
	CHECK_INT(fake_ra_sends, 4);
	/* advertisements like the last do not wake netd for its status */
	CHECK(!netd.status_timer.pending);
	CHECK(netd.ipv6.ra_due_ms - loop_now_ms() >= RA_MIN_INTERVAL_MS - 10);
	CHECK(netd.ipv6.ra_due_ms - loop_now_ms() <= RA_MAX_INTERVAL_MS);
}

TEST(core_ipv6_uplink_makes_the_guest_the_default_router_with_dns)
{
	static const uint8_t rdnss[] = { 25, 3, 0, 0, 0, 0, 0x07, 0x08,	/* 1800 s */
		0x20, 0x01, 0x0d, 0xb8, 0, 0x53, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

	fresh();
	station_config();
	start();
	eth0_ready_for_ipv6();
	ra_due();
	wifi_up_and_associated();
	CHECK_CONTAINS(fake_sys_log, "sysctl /proc/sys/net/ipv6/conf/wlan0/accept_ra 2\n");
	CHECK_CONTAINS(fake_sys_log, "sysctl /proc/sys/net/ipv6/conf/wlan0/use_tempaddr 2\n");
	uplink_has_ipv6();
	/* at once, but not sooner than 3 s after the last one */
	CHECK(netd.ipv6.ra_due_ms >= netd.ipv6.ra_last_ms + RA_MIN_DELAY_MS);
	ra_due();
	CHECK_INT(ra_router_lifetime(), RA_ROUTER_LIFETIME_S);
	CHECK_INT(ra_dns_lifetime("2001:4860:4860::8888"), RA_DNS_LIFETIME_S);	/* the fallback */
	CHECK_STATUS("ipv6_uplink=yes");
	CHECK_STATUS("uplink_addr6=2001:db8:50::2/64");	/* the stable one, not the privacy one */
	CHECK_STATUS("uplink_gateway6=fe80::50");
	CHECK_STATUS("ra=advertising");
	CHECK_STATUS("ra_dns=2001:4860:4860::8888 2001:4860:4860::8844");
	/* the uplink's own DNS servers replace the fallback, which is withdrawn */
	fake_sys->ndopt(3, rdnss, sizeof(rdnss));
	ra_due();
	CHECK_INT(ra_dns_lifetime("2001:db8:53::1"), RA_DNS_LIFETIME_S);
	CHECK_INT(ra_dns_lifetime("2001:4860:4860::8888"), 0);
	CHECK_STATUS("dns6=2001:db8:53::1");
	CHECK_STATUS("ra_dns=2001:db8:53::1");
	/* and the host's forwarder asks them too (an IPv6-only uplink) */
	CHECK_CONTAINS(get("run/netd/dns-upstream"), "nameserver 2001:db8:53::1\n");
	CHECK_STATUS("dns_forwarder_upstream=2001:db8:53::1");
	/* a restarted netd advertises them at once (this boot's clock) */
	CHECK(strstr(get("run/netd/dns6"), "2001:db8:53::1 ") == get("run/netd/dns6"));
	/* an advertisement from another interface is not the uplink's */
	fake_sys->ndopt(2, rdnss, sizeof(rdnss));
	CHECK_INT(netd.ipv6.n_dns, 1);
	/* the uplink loses its router: the guest stops being one */
	fake_sys_route6(3, "fe80::50", 1);
	ra_due();
	CHECK_INT(ra_router_lifetime(), 0);
	CHECK_INT(ra_dns_lifetime("2001:db8:53::1"), 0);
	CHECK_STATUS("ipv6_uplink=no");
	CHECK_STATUS("ra=prefix-only");
}

/* A hostile uplink names a DNS server inside the host link's prefix: the
 * host's forwarder must not send the host's queries back to the host link;
 * and while the uplink's IPv6 is not ready, its servers are not asked. */
TEST(core_dns_forwarder_never_asks_inside_the_host_link)
{
	static const uint8_t rdnss[] = { 25, 5, 0, 0, 0, 0, 0x07, 0x08,	/* 1800 s */
		0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53,		/* fd00::53 */
		0x20, 0x01, 0x0d, 0xb8, 0, 0x53, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

	fresh();
	station_config();
	start();
	eth0_ready_for_ipv6();
	wifi_up_and_associated();
	fake_sys->ndopt(3, rdnss, sizeof(rdnss));
	CHECK(!strstr(get("run/netd/dns-upstream"), "nameserver"));	/* not ready yet */
	uplink_has_ipv6();
	CHECK_CONTAINS(get("run/netd/dns-upstream"), "nameserver 2001:db8:53::1\n");
	CHECK(!strstr(get("run/netd/dns-upstream"), "fd00::53"));
}

TEST(core_ipv6_solicitations_are_answered_at_most_every_3_s)
{
	fresh();
	station_config();
	start();
	eth0_ready_for_ipv6();
	ra_due();
	ra_due();
	/* a solicitation from the host: soon, within 0.5 s once 3 s have passed */
	netd.ipv6.ra_last_ms = loop_now_ms() - 10000;
	loop_timer_cancel(&netd.ipv6.ra_timer);
	fake_sys->rs(2);
	CHECK(netd.ipv6.ra_timer.pending);
	CHECK(netd.ipv6.ra_due_ms <= loop_now_ms() + RA_ANSWER_DELAY_MS);
	ra_due();
	CHECK_INT(fake_ra_sends, 3);
	/* right after one: not before 3 s */
	fake_sys->rs(2);
	CHECK(netd.ipv6.ra_due_ms >= netd.ipv6.ra_last_ms + RA_MIN_DELAY_MS);
	/* not from the advertising link: ignored */
	loop_timer_cancel(&netd.ipv6.ra_timer);
	fake_sys->rs(3);
	CHECK(!netd.ipv6.ra_timer.pending);
}

TEST(core_ipv6_link_local_dns_of_the_uplink_leaves_the_fallback)
{
	static const uint8_t rdnss[] = { 25, 3, 0, 0, 0, 0, 0x07, 0x08,
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

	fresh();
	station_config();
	put("media/etc/interfaces.conf", "iface eth0 inet6 static\n  address fd00::ffff/64\n"
	    "  dns-nameservers fe80::53 2001:db8:99::53\n");
	capture_start();
	CHECK_INT(netd_start(), 0);
	CHECK_CONTAINS(capture_end(), "dns-nameservers fe80::53 cannot serve the host");
	eth0_ready_for_ipv6();
	wifi_up_and_associated();
	uplink_has_ipv6();
	capture_start();
	fake_sys->ndopt(3, rdnss, sizeof(rdnss));
	CHECK_CONTAINS(capture_end(), "cannot serve the inside");
	ra_due();
	CHECK_INT(ra_dns_lifetime("2001:db8:99::53"), RA_DNS_LIFETIME_S);	/* interfaces.conf's */
	CHECK_INT(ra_dns_lifetime("fe80::1"), -1);
	CHECK_INT(ra_dns_lifetime("fe80::53"), -1);
	CHECK_INT(ra_dns_lifetime("2001:4860:4860::8888"), -1);
}

TEST(core_ipv6_off_advertises_nothing)
{
	fresh();
	station_config();
	put("media/etc/port_forwards.conf", "tcp 2222 -> [fd00::2]:22\ntcp 2223 -> 10.0.0.2:22\n");
	fake_sys_ipv6 = SYS_IPV6_DISABLED;
	start();
	eth0_ready_for_ipv6();
	wifi_up_and_associated();
	uplink_has_ipv6();
	CHECK(!strstr(fake_sys_log, "fd00::ffff"));
	CHECK(!strstr(fake_sys_log, "ra_open"));
	CHECK(!strstr(fake_sys_log, "wlan0/accept_ra"));
	CHECK(!netd.ipv6.ra_timer.pending);
	CHECK_INT(fake_ra_sends, 0);
	CHECK(!fake_fw_last.ipv6);
	CHECK_INT(netd.forwards.n, 1);	/* the IPv6 forward is refused */
	CHECK_STATUS("ipv6=off");
	CHECK_STATUS("ipv6_off_reason=disable_ipv6 is set (sysctl.conf: net.ipv6.conf.all.disable_ipv6 = 1)");
	CHECK_STATUS("ra=off");
	CHECK_STATUS("ipv6_uplink=no");
}

TEST(core_ipv6_shutdown_withdraws_the_router)
{
	fresh();
	station_config();
	start();
	eth0_ready_for_ipv6();
	ra_due();
	wifi_up_and_associated();
	uplink_has_ipv6();
	ra_due();
	CHECK_INT(ra_router_lifetime(), RA_ROUTER_LIFETIME_S);
	capture_start();
	netd_shutdown();
	capture_end();
	CHECK_INT(ra_router_lifetime(), 0);
	CHECK_CONTAINS(fake_sys_log, "ra_close 2\n");
	CHECK(!netd.ipv6.ra_timer.pending);
}

TEST(core_ipv6_inside_link_gone_closes_the_socket_and_comes_back)
{
	fresh();
	station_config();
	start();
	eth0_ready_for_ipv6();
	ra_due();
	capture_start();
	fake_sys_link(2, "eth0", UP, 1);
	capture_end();
	CHECK_CONTAINS(fake_sys_log, "ra_close 2\n");
	CHECK_INT(netd.ipv6.ra_ifindex, 0);
	fake_sys_link(5, "eth0", UP, 0);
	fake_sys_addr6(5, "fe80::2/64", 0, 0);
	CHECK_CONTAINS(fake_sys_log, "addr_add 5 fd00::ffff/64\n");
	CHECK_CONTAINS(fake_sys_log, "ra_open 5 eth0\n");
}

TEST(core_ipv6_access_point_advertises_on_the_wifi)
{
	fresh();
	put("etc/hostapd/hostapd.conf", "interface=wlan0\nssid=x\n");
	start();
	kernel_has_lo_and_eth0();
	CHECK_CONTAINS(fake_sys_log, "sysctl /proc/sys/net/ipv6/conf/eth0/accept_ra 2\n");
	CHECK(!strstr(fake_sys_log, "default/accept_ra"));
	fake_sys_link(3, "wlan0", UP, 0);
	fake_sys_wifi(3, "wlan0", 0);
	CHECK_CONTAINS(fake_sys_log, "addr_add 3 fd00:1::1/64\n");
	CHECK_CONTAINS(fake_sys_log, "sysctl /proc/sys/net/ipv6/conf/wlan0/accept_ra 0\n");
	fake_sys_addr6(3, "fe80::3/64", 0, 0);
	CHECK_CONTAINS(fake_sys_log, "ra_open 3 wlan0\n");
	ra_due();
	CHECK_INT(ra_router_lifetime(), 0);
	/* the host advertises IPv6 on eth0: the clients get a default router */
	fake_sys_addr6(2, "2001:db8:7::2/64", 0, 0);
	fake_sys_route6(2, "fe80::7", 0);
	ra_due();
	CHECK_INT(ra_router_lifetime(), RA_ROUTER_LIFETIME_S);
}

TEST(core_ipv6_restarted_netd_keeps_the_uplinks_dns_servers)
{
	char text[160];

	fresh();
	station_config();
	snprintf(text, sizeof(text), "2001:db8:53::1 %llu\nfe80::1 %llu\n2001:db8:53::9 1\ngarbage\n",
		 (unsigned long long)loop_now_ms() + 600000, (unsigned long long)loop_now_ms() + 600000);
	put("run/netd/dns6", text);
	start();
	CHECK_INT(netd.ipv6.n_dns, 1);	/* the expired, the link-local, the garbage: not */
	CHECK(netd.ipv6.dns_timer.pending);
	eth0_ready_for_ipv6();
	wifi_up_and_associated();
	uplink_has_ipv6();
	ra_due();
	CHECK_INT(ra_dns_lifetime("2001:db8:53::1"), RA_DNS_LIFETIME_S);
	CHECK_INT(ra_dns_lifetime("2001:4860:4860::8888"), -1);
}

/* Issue 18: the last uplink that worked is remembered on the var share,
 * and the next start scans its channel first and asks for its address. */
TEST(core_the_last_uplink_is_remembered_and_tried_first_next_time)
{
	fresh();
	station_config();
	start();
	kernel_has_lo_and_eth0();
	wifi_up_and_associated();
	CHECK_STR(get("var/lib/netd/last-uplink"), "");
	lease(BOUND);
	CHECK_STR(get("var/lib/netd/last-uplink"),
		  "ssid=world\nbssid=02:00:00:00:01:00\nfreq_mhz=2412\nip=192.168.1.23\n");
	/* the next boot: the channel first, then every channel; the address */
	fresh();
	station_config();
	put("var/lib/netd/last-uplink", "ssid=world\nbssid=02:00:00:00:01:00\nfreq_mhz=5180\nip=192.168.1.23\n");
	start();
	CHECK_STR(get("run/netd/wpa_supplicant-ctrl.conf"), "initial_freq_list=5180\n");
	kernel_has_lo_and_eth0();
	wifi_up_and_associated();
	CHECK_CONTAINS(fake_proc_log, "/run/netd/wpa_supplicant-ctrl.conf");
	CHECK_CONTAINS(fake_proc_log, "-A 5 -r 192.168.1.23 ");
}

TEST(core_a_hint_for_another_network_or_a_bad_one_asks_nothing_of_it)
{
	const char *log;

	fresh();
	station_config();
	put("var/lib/netd/last-uplink", "ssid=cafe\nbssid=02:00:00:00:09:00\nfreq_mhz=2437\nip=10.9.8.7\n");
	start();
	kernel_has_lo_and_eth0();
	wifi_up_and_associated();	/* joins "world", not "cafe" */
	CHECK_CONTAINS(get("run/netd/wpa_supplicant-ctrl.conf"), "initial_freq_list=2437\n");
	CHECK(!strstr(fake_proc_log, " -r "));
	fresh();
	station_config();
	put("var/lib/netd/last-uplink", "ssid=world\nfreq_mhz=99999\n");
	capture_start();
	CHECK_INT(netd_start(), 0);
	log = capture_end();
	CHECK_CONTAINS(log, "last-uplink: freq_mhz= is not a frequency from 2400 to 7200 MHz: ignored");
	CHECK_STR(get("run/netd/wpa_supplicant-ctrl.conf"), "");
}
