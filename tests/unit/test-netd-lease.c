/* udhcpc's lease message: made by the script side, checked by the daemon
 * side. The values come from an untrusted DHCP server. */
#include "check.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <unistd.h>

#include "bridge.h"
#include "udspconf.h"
#include "fakes.h"
#include "lease.h"

static const char *ip4(struct in_addr a)
{
	static char buf[INET_ADDRSTRLEN];

	return inet_ntop(AF_INET, &a, buf, sizeof(buf));
}

static int parse(const char *text, struct lease *l)
{
	return lease_parse(text, strlen(text), l);
}

TEST(lease_bound)
{
	struct lease l;

	CHECK_INT(parse("event=bound\ninterface=wlan0\nip=192.168.1.23\nmask=24\nsubnet=255.255.255.0\n"
			"router=192.168.1.1 192.168.1.2\ndns=192.168.1.1 1.1.1.1\ndomain=lan\n"
			"search=lan corp.example\nlease=3600\nserverid=192.168.1.1\n", &l), 0);
	CHECK_INT(l.event, LEASE_BOUND);
	CHECK_STR(l.ifname, "wlan0");
	CHECK_STR(ip4(l.ip), "192.168.1.23");
	CHECK_INT(l.prefix, 24);
	CHECK_INT(l.has_router, 1);
	CHECK_STR(ip4(l.router), "192.168.1.1");
	CHECK_INT(l.n_dns, 2);
	CHECK_STR(ip4(l.dns[1]), "1.1.1.1");
	CHECK_STR(l.domain, "lan");
	CHECK_STR(l.search, "lan corp.example");
	CHECK_INT(l.seconds, 3600);
}

TEST(lease_mask_from_subnet_when_missing)
{
	struct lease l;

	CHECK_INT(parse("event=renew\ninterface=wlan0\nip=10.1.2.3\nsubnet=255.255.0.0\n", &l), 0);
	CHECK_INT(l.prefix, 16);
	CHECK_INT(l.event, LEASE_RENEW);
}

TEST(lease_deconfig_needs_no_address)
{
	struct lease l;

	CHECK_INT(parse("event=deconfig\ninterface=wlan0\n", &l), 0);
	CHECK_INT(l.event, LEASE_DECONFIG);
	CHECK_INT(l.has_ip, 0);
}

TEST(lease_unusable_messages_rejected)
{
	struct lease l;
	const char *log;

	capture_start();
	CHECK_INT(parse("interface=wlan0\nip=1.2.3.4\nmask=24\n", &l), -1);
	CHECK_INT(parse("event=bound\nip=1.2.3.4\nmask=24\n", &l), -1);
	CHECK_INT(parse("event=bound\ninterface=wlan0\nip=1.2.3\nmask=24\n", &l), -1);
	CHECK_INT(parse("event=bound\ninterface=wlan0\nip=1.2.3.4\nmask=33\n", &l), -1);
	CHECK_INT(parse("event=reboot\ninterface=wlan0\n", &l), -1);
	CHECK_INT(parse("event=bound\ninterface=../../etc\n", &l), -1);
	CHECK_INT(lease_parse("event=bound\0x", 13, &l), -1);
	log = capture_end();
	CHECK_CONTAINS(log, "udhcpc message without an event: ignored");
	CHECK_CONTAINS(log, "udhcpc message without an interface: ignored");
	CHECK_CONTAINS(log, "udhcpc bound on wlan0 without a valid address and mask: ignored");
	CHECK_CONTAINS(log, "udhcpc event 'reboot' is not known: ignored");
	CHECK_CONTAINS(log, "udhcpc reported interface '../../etc', not a valid name: ignored");
	CHECK_CONTAINS(log, "udhcpc message holds a NUL byte: ignored");
}

TEST(lease_hostile_values_dropped_one_by_one)
{
	struct lease l;
	const char *log;

	capture_start();
	CHECK_INT(parse("event=bound\ninterface=wlan0\nip=10.0.5.2\nmask=24\n"
			"dns=1.1.1.1 evil;rm 8.8.8.8 9.9.9.9 4.4.4.4\n"
			"domain=a b\nsearch=ok.example bad/name x\nrouter=nope\n", &l), 0);
	log = capture_end();
	CHECK_INT(l.n_dns, 3);
	CHECK_STR(ip4(l.dns[2]), "9.9.9.9");
	CHECK_STR(l.domain, "");
	CHECK_STR(l.search, "ok.example x");
	CHECK_INT(l.has_router, 0);
	CHECK_CONTAINS(log, "DNS server 'evil;rm', not an IPv4 address");
	CHECK_CONTAINS(log, "domain 'a b', not a DNS name");
	CHECK_CONTAINS(log, "search domain 'bad/name', not a DNS name");
}

TEST(lease_too_long_rejected)
{
	char *big = malloc(LEASE_MSG_MAX + 2);
	struct lease l;

	memset(big, 'a', LEASE_MSG_MAX + 1);
	big[LEASE_MSG_MAX + 1] = '\0';
	capture_start();
	CHECK_INT(parse(big, &l), -1);
	CHECK_CONTAINS(capture_end(), "too long");
	free(big);
}

static const char *env[][2] = {
	{ "interface", "wlan0" }, { "ip", "10.0.5.2" }, { "mask", "24" },
	{ "router", "10.0.5.1" }, { "dns", "10.0.5.1" }, { "domain", "home\nevent=deconfig" },
	{ "lease", "600" }, { "PATH", "/bin" },
};

static const char *get(const char *key)
{
	for (size_t k = 0; k < sizeof(env) / sizeof(env[0]); k++)
		if (!strcmp(env[k][0], key))
			return env[k][1];
	return NULL;
}

TEST(lease_format_then_parse)
{
	char msg[LEASE_MSG_MAX];
	struct lease l;
	int n = lease_format(msg, sizeof(msg), "bound", get);

	CHECK(n > 0);
	CHECK_CONTAINS(msg, "event=bound\ninterface=wlan0\nip=10.0.5.2\nmask=24\n");
	CHECK_INT(count_lines(msg, "PATH"), 0);
	/* a newline inside a value cannot forge another line */
	CHECK_INT(count_lines(msg, "event="), 1);
	CHECK_INT(lease_parse(msg, (size_t)n, &l), 0);
	CHECK_INT(l.event, LEASE_BOUND);
	CHECK_STR(l.domain, "home");
	CHECK_INT(l.seconds, 600);
	CHECK_INT(lease_format(msg, 16, "bound", get), -1);
}

/* ---- the bridge's ports (uds_passthru.conf), which the firewall opens ---- */

TEST(bridge_ports_from_sockets_entries)
{
	uint16_t p[BRIDGE_MAX_PORTS];
	const char *log;

	CHECK_INT(bridge_ports_parse("path=/var/run/wpa_supplicant/wlan0,user=root,group=0,mode=770,port=1200\n"
				     "path=/var/run/wpa_supplicant/p2p-dev-wlan0,port=1201 path=x,port=1200",
				     "uds_passthru.conf", 3, p, BRIDGE_MAX_PORTS), 2);
	CHECK_INT(p[0], 1200);
	CHECK_INT(p[1], 1201);
	capture_start();
	CHECK_INT(bridge_ports_parse("path=a,port=0 path=b,port=70000 path=c,port=x1 path=d,port=22",
				     "uds_passthru.conf", 7, p, BRIDGE_MAX_PORTS), 1);
	log = capture_end();
	CHECK_CONTAINS(log, "uds_passthru.conf:7: sockets: port '0' is not a port number (1-65535): not opened");
	CHECK_CONTAINS(log, "port '70000'");
	CHECK_CONTAINS(log, "port 'x1'");
	CHECK_INT(p[0], 22);
	capture_start();
	CHECK_INT(bridge_ports_parse("port=1 port=2 port=3", "u", 1, p, 2), 2);
	CHECK_CONTAINS(capture_end(), "more than 2 ports: port 3 not opened");
}

TEST(bridge_ports_from_the_file_as_sh_reads_it)
{
	char path[] = "/tmp/netd-bridge-XXXXXX";
	int fd = mkstemp(path);
	static const char text[] = "_sockdir=/var/run/wpa_supplicant\n_perms=user=root,group=0,mode=770\n"
				   "sockets=\"path=${_sockdir}/wlan0,${_perms},port=1200\npath=${_sockdir}/p2p-dev-wlan0,${_perms},port=1201\"\n";
	uint16_t p[BRIDGE_MAX_PORTS];

	CHECK(write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1));
	close(fd);
	CHECK_INT(bridge_ports_load(path, NULL, NULL, p, BRIDGE_MAX_PORTS), 2);
	CHECK_INT(p[1], 1201);
	unlink(path);
	CHECK_INT(bridge_ports_load("/nonexistent/uds_passthru.conf", NULL, NULL, p, BRIDGE_MAX_PORTS), 0);
}

/* Issue 7 (Wifibox #83): a subnet changed in interfaces.conf alone leaves
 * network= behind; netd says where and what to write. */
TEST(bridge_network_must_name_the_host_links_address)
{
	struct bridge_host h = { .prefix = 24 };
	const char *log;

	inet_pton(AF_INET, "10.7.0.1", &h.addr);
	CHECK_INT(bridge_network_check("10.7.0.1:255.255.255.0", "uds_passthru.conf", 2, &h), 0);
	CHECK_INT(bridge_network_check("10.7.0.1/24", "uds_passthru.conf", 2, &h), 0);
	capture_start();
	CHECK_INT(bridge_network_check("10.0.0.1:255.255.255.0", "uds_passthru.conf", 12, &h), -1);
	CHECK_INT(bridge_network_check("10.7.0.1:255.255.0.0", "uds_passthru.conf", 13, &h), -1);
	CHECK_INT(bridge_network_check("10.7.0.1", "uds_passthru.conf", 14, &h), -1);
	CHECK_INT(bridge_network_check("10.7.0.1/", "uds_passthru.conf", 15, &h), -1);
	CHECK_INT(bridge_network_check("10.7.0.1:255.0.255.0", "uds_passthru.conf", 16, &h), -1);
	log = capture_end();
	CHECK_CONTAINS(log, "uds_passthru.conf:12: network=10.0.0.1:255.255.255.0 does not match eth0's "
		       "address 10.7.0.1/24 in interfaces.conf: the control-socket bridge listens and the "
		       "host connects there (expected network=10.7.0.1:255.255.255.0)");
	CHECK_CONTAINS(log, "uds_passthru.conf:13: network=10.7.0.1:255.255.0.0 does not match");
	CHECK_CONTAINS(log, "uds_passthru.conf:14: network=\"10.7.0.1\" is not IP:MASK (expected "
		       "network=10.7.0.1:255.255.255.0");
	CHECK_CONTAINS(log, "uds_passthru.conf:15: network=\"10.7.0.1/\" is not IP:MASK");
	CHECK_CONTAINS(log, "uds_passthru.conf:16: network=\"10.7.0.1:255.0.255.0\" is not IP:MASK");
}

TEST(bridge_network_checked_when_the_file_is_loaded)
{
	char path[] = "/tmp/netd-bridge-XXXXXX";
	int fd = mkstemp(path);
	static const char text[] = "# the sample\n\nnetwork=10.0.0.1:255.255.255.0\nsockets=\"path=/x,port=1200\"\n";
	struct bridge_host h = { .prefix = 24 };
	uint16_t p[BRIDGE_MAX_PORTS];
	int ok = 1;

	inet_pton(AF_INET, "10.7.0.1", &h.addr);
	CHECK(write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1));
	close(fd);
	capture_start();
	CHECK_INT(bridge_ports_load(path, &h, &ok, p, BRIDGE_MAX_PORTS), 1);
	CHECK_INT(ok, 0);
	CHECK_CONTAINS(capture_end(), ":3: network=10.0.0.1:255.255.255.0 does not match eth0's address 10.7.0.1/24");
	unlink(path);
}

/* Issue 14: a hostile DHCP server's words reach the log (and the serial
 * console) without a single control character. */
TEST(lease_rejected_words_reach_the_log_escaped)
{
	struct lease l;
	const char *log;

	capture_start();
	CHECK_INT(parse("event=bound\ninterface=wlan0\nip=192.168.1.23\nmask=24\n"
			"search=ok.example \x1b[2J\x1b]0;pwned\x07\rx\n"
			"domain=\x1b[31mred\ndns=\x1b[5m 1.1.1.1\nrouter=\x07\n", &l), 0);
	log = capture_end();
	CHECK_STR(l.search, "ok.example");
	CHECK(strchr(log, '\x1b') == NULL);
	CHECK(strchr(log, '\x07') == NULL);
	CHECK(strchr(log, '\r') == NULL);
	CHECK_CONTAINS(log, "search domain '\\x1b[2J\\x1b]0;pwned\\x07\\x0dx', not a DNS name: ignored");
	CHECK_CONTAINS(log, "domain '\\x1b[31mred', not a DNS name");
	CHECK_CONTAINS(log, "DNS server '\\x1b[5m', not an IPv4 address");
	CHECK_CONTAINS(log, "router '\\x07', not an IPv4 address");
}

/* One grammar for uds_passthru.conf: what netd's firewall check accepts as
 * network= is what uds-passthru will listen on, and the ports netd opens
 * are those uds-passthru serves. ("10.7.0.1:24" and "/255.255.255.0"
 * once passed netd's check and failed the daemon.) */
TEST(bridge_reads_uds_passthru_conf_as_uds_passthru_does)
{
	static const char *const networks[] = {
		"10.7.0.1:255.255.255.0", "10.7.0.1/24", "10.7.0.1:24", "10.7.0.1/255.255.255.0",
		"10.7.0.1/024", "10.7.0.1:255.255.255.255", "10.7.0.1/", "10.7.0.1:", "10.7.0.1",
	};
	struct bridge_host h = { .prefix = 24 };
	struct in_addr a, m;
	struct udsp_config cfg;
	uint16_t p[BRIDGE_MAX_PORTS];
	static const char conf[] = "network=10.7.0.1/24\nsockets=\"path=/a,port=1200\n"
				   "path=/b,user=root,port=01201,,\"\n";

	inet_pton(AF_INET, "10.7.0.1", &h.addr);
	capture_start();
	for (size_t k = 0; k < sizeof(networks) / sizeof(networks[0]); k++) {
		int daemon_ok = udsp_parse_network(networks[k], &a, &m) == 0 &&
				a.s_addr == h.addr.s_addr && m.s_addr == htonl(0xffffff00u);

		if ((bridge_network_check(networks[k], "u", 1, &h) == 0) != daemon_ok)
			CHECK_FAIL("network=%s: netd and uds-passthru disagree", networks[k]);
	}
	capture_end();
	CHECK_INT(udsp_config_parse(&cfg, "u", conf, sizeof(conf) - 1), 0);
	CHECK_INT(bridge_ports_parse("path=/a,port=1200\npath=/b,user=root,port=01201,,", "u", 2, p,
				     BRIDGE_MAX_PORTS), 2);
	CHECK_INT(p[0], cfg.sockets[0].port);
	CHECK_INT(p[1], cfg.sockets[1].port);
}
