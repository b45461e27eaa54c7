/* The harness of netd's core tests (test-netd-core.c, test-netd-hostile.c):
 * a fresh netd over a fresh directory, against the fakes of every seam,
 * and the steps a test drives it through. Included once per test file,
 * after check.h. */
#ifndef TESTS_UNIT_NETD_HARNESS_H
#define TESTS_UNIT_NETD_HARNESS_H

#include <arpa/inet.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fakes.h"
#include "netd.h"
#include "paths.h"
#include "fsutil.h"

/* Not every test file uses every step. */
#define HARNESS static __attribute__((unused))

#define UP (SYS_LINK_UP | SYS_LINK_CARRIER)

HARNESS char dir[64];

HARNESS const char *at(const char *name)
{
	static char buf[32][160];
	static int k;

	k = (k + 1) % 32;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

HARNESS void put(const char *name, const char *text)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	*strrchr(path, '/') = '\0';
	mkdir_p(path, 0755);
	write_file_atomic(at(name), text, strlen(text), 0644);
}

HARNESS const char *get(const char *name)
{
	static char buf[16384];

	if (read_small_file(at(name), buf, sizeof(buf)) < 0)
		return "";
	return buf;
}

HARNESS void set_paths(void)
{
	paths.interfaces_conf = at("media/etc/interfaces.conf");
	paths.udhcpd_template = at("media/etc/udhcpd.conf");
	paths.hostname = at("media/etc/hostname");
	paths.config_dir = at("media/etc");
	paths.port_forwards = at("media/etc/port_forwards.conf");
	paths.uds_passthru_conf = at("media/etc/uds_passthru.conf");
	paths.forwarding_conf = at("media/etc/forwarding.conf");
	paths.mdns_services_conf = at("media/etc/mdnsd-services.conf");
	paths.iptables_user = at("media/etc/iptables");
	paths.ip6tables_user = at("media/etc/ip6tables");
	paths.wpa_conf = at("etc/wpa_supplicant/wpa_supplicant.conf");
	paths.hostapd_conf = at("etc/hostapd/hostapd.conf");
	paths.run_dir = at("run/netd");
	paths.socket = at("run/netd/netd.sock");
	paths.udhcpd_conf = at("run/netd/udhcpd.conf");
	paths.lease = at("run/netd/lease");
	paths.dns6 = at("run/netd/dns6");
	paths.dns_upstream = at("run/netd/dns-upstream");
	paths.wpa_extra_conf = at("run/netd/wpa_supplicant-ctrl.conf");
	paths.iptables_stamp = at("run/netd/iptables.loaded");
	paths.ip6tables_stamp = at("run/netd/ip6tables.loaded");
	paths.status = at("var/lib/netd/status");
	paths.uplink_hint = at("var/lib/netd/last-uplink");
	paths.bridged_host = at("run/netd/bridged-host");
	paths.resolv_conf = at("run/resolv.conf");
	paths.milestones = at("run/init/milestones");
	paths.udhcpd_leases = at("var/lib/misc/udhcpd.leases");
}

HARNESS int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

HARNESS void remove_dir(void)
{
	if (dir[0])
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh netd over a fresh directory; files are put in before start().
 * The previous test's directory goes, and the last one at exit. */
HARNESS void fresh(void)
{
	static int n;

	if (!n)
		atexit(remove_dir);
	remove_dir();
	loop_init();
	if (netd.sup.ctl.h)
		wpactl_close(&netd.sup.ctl);
	snprintf(dir, sizeof(dir), "/tmp/netd-core-%d-%d", (int)getpid(), n++);
	mkdir_p(dir, 0755);
	set_paths();
	report_force_next_write();	/* a new directory: the last status is not there */
	memset(&netd, 0, sizeof(netd));
	fake_sys_reset();
	fake_proc_reset();
	fake_ctrl_reset();
	fake_fw_calls = fake_fw_fail = fake_fw_fail6 = fake_fw_saw_forwarding = 0;
}

HARNESS void start(void)
{
	capture_start();
	CHECK_INT(netd_start(), 0);
	capture_end();
}

HARNESS void station_config(void)
{
	put("etc/wpa_supplicant/wpa_supplicant.conf",
	    "ctrl_interface=/var/run/wpa_supplicant\ncountry=de\nnetwork={\n ssid=\"world\"\n psk=\"secret123\"\n}\n");
}

HARNESS void kernel_has_lo_and_eth0(void)
{
	fake_sys_link(1, "lo", UP, 0);
	fake_sys_link(2, "eth0", 0, 0);
}

/* What the loop does when a timer expires. */
HARNESS void fire(struct loop_timer *t)
{
	t->pending = 0;
	t->cb(t);
}

HARNESS void status_now(void)
{
	report_write_now();
}

HARNESS int status_has(const char *line)
{
	char want[256];

	snprintf(want, sizeof(want), "\n%s\n", line);
	return strstr(get("var/lib/netd/status"), want) != NULL;
}

#define CHECK_STATUS(line)                                                    \
	do {                                                                  \
		status_now();                                                 \
		if (!status_has(line))                                        \
			CHECK_FAIL("status lacks \"%s\":\n%s", line, get("var/lib/netd/status")); \
	} while (0)

/* wpa_supplicant on wlan0 (ifindex 3) answers and associates. */
HARNESS void wifi_up_and_associated(void)
{
	fake_sys_link(3, "wlan0", 0, 0);
	fake_sys_wifi(3, "wlan0", 0);
	fake_ctrl_present = 1;
	fake_ctrl_watch_fire(&netd.sup.ctl);
	fake_ctrl_reply(&netd.sup.ctl, "PONG\n");
	fake_ctrl_event(&netd.sup.ctl, "OK\n");
	fake_ctrl_reply(&netd.sup.ctl, "wpa_state=SCANNING\n");
	fake_ctrl_reply(&netd.sup.ctl, "FAIL\n");
	fake_ctrl_event(&netd.sup.ctl, "<3>CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]");
	fake_ctrl_reply(&netd.sup.ctl, "bssid=02:00:00:00:01:00\nfreq=2412\nssid=world\nwpa_state=COMPLETED\nkey_mgmt=WPA2-PSK\n");
	fake_ctrl_reply(&netd.sup.ctl, "RSSI=-44\n");
}

HARNESS void lease(const char *text)
{
	capture_start();
	dhcp_lease_message(text, strlen(text));
	capture_end();
}

#define BOUND "event=bound\ninterface=wlan0\nip=192.168.1.23\nmask=24\nrouter=192.168.1.1\n" \
	      "dns=192.168.1.1 1.1.1.1\ndomain=lan\nlease=3600\n"

HARNESS ino_t status_inode(void)
{
	struct stat st;

	return stat(at("var/lib/netd/status"), &st) == 0 ? st.st_ino : 0;
}

HARNESS unsigned ra_router_lifetime(void)
{
	return fake_ra_len >= 16 ? (unsigned)(fake_ra[6] << 8 | fake_ra[7]) : 99999;
}

/* The RDNSS option of the last advertisement holding addr: its lifetime,
 * or -1 when addr is not in one. */
HARNESS long long ra_dns_lifetime(const char *addr)
{
	struct in6_addr a;

	inet_pton(AF_INET6, addr, &a);
	for (size_t off = 16; off + 8 <= fake_ra_len && fake_ra[off + 1]; off += fake_ra[off + 1] * 8u) {
		if (fake_ra[off] != 25)
			continue;
		for (size_t k = off + 8; k + 16 <= off + fake_ra[off + 1] * 8u; k += 16)
			if (!memcmp(fake_ra + k, &a, 16))
				return (long long)fake_ra[off + 4] << 24 | fake_ra[off + 5] << 16 |
				       fake_ra[off + 6] << 8 | fake_ra[off + 7];
	}
	return -1;
}

/* eth0 up with its link-local address through DAD: advertising starts. */
HARNESS void eth0_ready_for_ipv6(void)
{
	kernel_has_lo_and_eth0();
	fake_sys_link(2, "eth0", UP, 0);
	fake_sys_addr6(2, "fe80::1/64", SYS_ADDR_TENTATIVE, 0);
	CHECK_INT(fake_ra_ifindex, 0);	/* nothing to send from yet */
	fake_sys_addr6(2, "fe80::1/64", 0, 0);
}

/* What the loop does with the advertising timer, when it is due. */
HARNESS void ra_due(void)
{
	CHECK(netd.ipv6.ra_timer.pending);
	if (netd.ipv6.ra_timer.pending)
		fire(&netd.ipv6.ra_timer);
}

/* wlan0 gets a SLAAC address and a default route from the uplink's RAs. */
HARNESS void uplink_has_ipv6(void)
{
	fake_sys_addr6(3, "2001:db8:50::2/64", 0, 0);
	fake_sys_addr6(3, "2001:db8:50::9/64", SYS_ADDR_TEMPORARY, 0);
	fake_sys_route6(3, "fe80::50", 0);
}

#endif
