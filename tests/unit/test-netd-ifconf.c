/* interfaces.conf, the plan made of it, and the app config's few keys. */
#include "check.h"

#include <arpa/inet.h>

#include "appconf.h"
#include "fakes.h"
#include "ifconf.h"
#include "plan.h"

static unsigned parse(const char *text, struct ifc_conf *c)
{
	struct conf_reader r;
	unsigned errors;

	conf_open_mem(&r, "config/interfaces.conf", text, strlen(text));
	errors = ifconf_parse(&r, c);
	conf_close(&r);
	return errors;
}

static const char *ip4(struct in_addr a)
{
	static char buf[4][INET_ADDRSTRLEN];
	static int k;

	k = (k + 1) % 4;
	return inet_ntop(AF_INET, &a, buf[k], sizeof(buf[k]));
}

TEST(ifconf_reads_the_contract_sample)
{
	struct ifc_conf c;
	const struct ifc_iface *e;

	CHECK_INT(parse("# sample\niface eth0 inet static\n  address 10.0.0.1\n  netmask 255.255.255.0\n", &c), 0);
	e = ifconf_find(&c, "eth0");
	CHECK(e != NULL);
	if (!e)
		return;
	CHECK_INT(e->inet.method, IFC_STATIC);
	CHECK_STR(ip4(e->inet.addr), "10.0.0.1");
	CHECK_INT(e->inet.prefix, 24);
	CHECK_INT(e->inet.line, 2);
}

TEST(ifconf_reads_every_form_of_the_subset)
{
	static const char text[] =
		"auto lo\n"
		"iface lo inet loopback\n"
		"auto eth0\n"
		"iface eth0 inet static\n"
		"\taddress 10.0.0.2/24\n"
		"\tgateway 10.0.0.1\n"
		"\tdns-nameservers 1.1.1.1 9.9.9.9\n"
		"iface eth0 inet6 static\n"
		"\taddress fd00::ffff/64\n"
		"iface wlan0 dhcp\n";
	struct ifc_conf c;
	const struct ifc_iface *e, *w;

	CHECK_INT(parse(text, &c), 0);
	CHECK_INT(c.n, 3);
	e = ifconf_find(&c, "eth0");
	w = ifconf_find(&c, "wlan0");
	CHECK(e && w);
	if (!e || !w)
		return;
	CHECK_STR(ip4(e->inet.gateway), "10.0.0.1");
	CHECK_INT(e->inet.has_gateway, 1);
	CHECK_INT(e->inet.n_dns, 2);
	CHECK_STR(ip4(e->inet.dns[1]), "9.9.9.9");
	CHECK_INT(e->inet6.method, IFC_STATIC);
	CHECK_INT(e->inet6.prefix, 64);
	CHECK_INT(w->inet.method, IFC_DHCP);
}

TEST(ifconf_typo_names_file_line_and_suggestion)
{
	struct ifc_conf c;
	const char *log;

	capture_start();
	CHECK_INT(parse("iface eth0 inet static\n  adress 10.0.0.1\n  netmask 255.255.255.0\n", &c), 1);
	log = capture_end();
	CHECK_CONTAINS(log, "config/interfaces.conf:2: 'adress' is not a known option (did you mean 'address'?)");
	CHECK_INT(c.iface[0].inet.has_addr, 0);
	CHECK_INT(c.iface[0].inet.prefix, 24);	/* the other lines still apply */
}

TEST(ifconf_bad_values_say_what_was_expected)
{
	struct ifc_conf c;
	const char *log;

	capture_start();
	CHECK_INT(parse("iface eth0 inet static\n address 10.0.0.300\n netmask 255.0.255.0\n gateway x\n"
			"iface eth0 inet6 static\n address fd00::1/129\n",
			&c), 4);
	log = capture_end();
	CHECK_CONTAINS(log, ":2: address '10.0.0.300' is not an IPv4 address");
	CHECK_CONTAINS(log, ":3: netmask '255.0.255.0' is not a netmask");
	CHECK_CONTAINS(log, ":4: gateway 'x' is not an IPv4 address");
	CHECK_CONTAINS(log, ":6: address 'fd00::1/129' is not an IPv6 address");
}

TEST(ifconf_bad_stanza_lines)
{
	struct ifc_conf c;
	const char *log;

	capture_start();
	CHECK_INT(parse("ifac eth0 inet static\n"
			"address 10.0.0.1\n"
			"iface eth0 inet statik\n"
			"iface eth0 inett static\n"
			"iface eth0/x inet static\n"
			"iface eth0 inet6 dhcp\n",
			&c), 6);
	log = capture_end();
	CHECK_CONTAINS(log, ":1: 'ifac' is not a known keyword (did you mean 'iface'?)");
	CHECK_CONTAINS(log, ":2: 'address' outside of an 'iface' stanza");
	CHECK_CONTAINS(log, ":3: 'statik' is not a known method (did you mean 'static'?)");
	CHECK_CONTAINS(log, ":4: 'inett' is not a known address family (did you mean 'inet'?)");
	CHECK_CONTAINS(log, ":5: 'eth0/x' is not a valid interface name");
	CHECK_CONTAINS(log, ":6: 'iface eth0 inet6 dhcp' is not supported");
	CHECK_INT(c.n, 0);
}

TEST(ifconf_options_after_a_bad_stanza_are_skipped_quietly)
{
	struct ifc_conf c;

	capture_start();
	CHECK_INT(parse("iface eth0 inet bogus\n address 1.2.3.4\n netmask 8\niface wlan0 inet dhcp\n", &c), 1);
	capture_end();
	CHECK(ifconf_find(&c, "eth0") == NULL);
	CHECK(ifconf_find(&c, "wlan0") != NULL);
}

TEST(ifconf_duplicate_stanza_is_reported_and_ignored)
{
	struct ifc_conf c;
	const char *log;

	capture_start();
	CHECK_INT(parse("iface eth0 inet static\n address 10.0.0.1/24\niface eth0 inet static\n address 10.9.9.9/24\n", &c), 1);
	log = capture_end();
	CHECK_CONTAINS(log, ":3: a second 'iface eth0 inet' stanza (the first is at line 1): ignored");
	CHECK_STR(ip4(c.iface[0].inet.addr), "10.0.0.1");
}

TEST(ifconf_unsupported_options_warn_but_are_not_errors)
{
	struct ifc_conf c;
	const char *log;

	capture_start();
	CHECK_INT(parse("iface eth0 inet static\n address 10.0.0.1/24\n hostname box\n up ip link\n broadcast 10.0.0.255\n", &c), 0);
	log = capture_end();
	CHECK_CONTAINS(log, ":3: 'hostname' is not supported by netd: ignored");
	CHECK_CONTAINS(log, ":4: 'up' is not supported by netd: ignored");
	CHECK_INT(count_lines(log, "broadcast"), 0);
}

TEST(ifconf_too_many_interfaces_and_dns)
{
	char text[2048] = "";
	struct ifc_conf c;
	const char *log;

	for (int k = 0; k < IFC_MAX_IFACES + 2; k++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "iface if%d inet manual\n", k);
	strcat(text, "iface if0 inet static\n");
	capture_start();
	CHECK_INT(parse(text, &c), 3);	/* if8, if9, and if0 a second time */
	capture_end();
	CHECK_INT(c.n, IFC_MAX_IFACES);
	capture_start();
	CHECK_INT(parse("iface eth0 inet static\n dns-nameservers 1.1.1.1 2.2.2.2 3.3.3.3 4.4.4.4\n", &c), 1);
	log = capture_end();
	CHECK_CONTAINS(log, "more than 3 DNS servers: '4.4.4.4' and after ignored");
	CHECK_INT(c.iface[0].inet.n_dns, 3);
}

TEST(ifconf_netmask_forms)
{
	uint8_t p = 0;

	CHECK_INT(parse_netmask("255.255.255.0", &p), 0);
	CHECK_INT(p, 24);
	CHECK_INT(parse_netmask("0.0.0.0", &p), 0);
	CHECK_INT(p, 0);
	CHECK_INT(parse_netmask("255.255.255.255", &p), 0);
	CHECK_INT(p, 32);
	CHECK_INT(parse_netmask("16", &p), 0);
	CHECK_INT(p, 16);
	CHECK_INT(parse_netmask("33", &p), -1);
	CHECK_INT(parse_netmask("255.255.0.255", &p), -1);
	CHECK_INT(parse_netmask("-1", &p), -1);
}

/* ---- the plan ---------------------------------------------------------- */

static void plan_of(const char *text, enum netd_mode m, struct plan *p)
{
	struct ifc_conf c;

	parse(text, &c);
	plan_resolve(&c, m, "config/interfaces.conf", p);
}

TEST(plan_defaults_station)
{
	struct plan p;

	plan_of("", MODE_STATION, &p);
	CHECK_STR(p.eth.name, "eth0");
	CHECK_INT(p.eth.v4, PLAN_V4_STATIC);
	CHECK_STR(ip4(p.eth.addr), "10.0.0.1");
	CHECK_INT(p.eth.prefix, 24);
	CHECK_INT(p.eth.has_gateway, 0);
	CHECK_INT(p.wifi.v4, PLAN_V4_DHCP);
}

TEST(plan_defaults_access_point)
{
	struct plan p;

	plan_of("", MODE_AP, &p);
	CHECK_STR(ip4(p.eth.addr), "10.0.0.2");
	CHECK_INT(p.eth.has_gateway, 1);
	CHECK_STR(ip4(p.eth.gateway), "10.0.0.1");
	CHECK_INT(p.wifi.v4, PLAN_V4_STATIC);
	CHECK_STR(ip4(p.wifi.addr), "192.168.0.1");
}

TEST(plan_takes_the_file)
{
	struct plan p;

	plan_of("iface eth0 inet static\n address 172.16.5.1/28\niface wlp2s0 inet static\n address 192.168.7.1/24\n",
		MODE_AP, &p);
	CHECK_STR(ip4(p.eth.addr), "172.16.5.1");
	CHECK_INT(p.eth.prefix, 28);
	CHECK_INT(p.eth.has_gateway, 0);	/* the file's stanza has none */
	CHECK_STR(p.wifi.name, "wlp2s0");
	CHECK_STR(ip4(p.wifi.addr), "192.168.7.1");
}

TEST(plan_keeps_defaults_for_what_could_not_be_read)
{
	struct plan p;
	const char *log;

	capture_start();
	plan_of("iface eth0 inet static\n address 10.0.0.300/24\niface eth0 inet6 static\n address fd00::ffff/64\n",
		MODE_STATION, &p);
	log = capture_end();
	CHECK_CONTAINS(log, "config/interfaces.conf:1: 'iface eth0 inet static' has no valid address: using the default 10.0.0.1/24");
	CHECK_STR(ip4(p.eth.addr), "10.0.0.1");
	CHECK_INT(p.eth.has_addr6, 1);	/* the good stanza still counts */
	capture_start();
	plan_of("iface eth0 inet dhcp\niface wlan0 inet dhcp\n", MODE_AP, &p);
	log = capture_end();
	CHECK_CONTAINS(log, "the host link must be 'iface eth0 inet static' (not dhcp): using the default");
	CHECK_CONTAINS(log, "in access-point mode 'iface wlan0' must be static: using the default");
	CHECK_STR(ip4(p.eth.addr), "10.0.0.2");
	CHECK_INT(p.wifi.v4, PLAN_V4_STATIC);
}

TEST(plan_pool_skips_network_and_broadcast)
{
	struct in_addr a, first, last;

	inet_pton(AF_INET, "10.0.0.1", &a);
	plan_pool(a, 24, &first, &last);
	CHECK_STR(ip4(first), "10.0.0.1");
	CHECK_STR(ip4(last), "10.0.0.254");
	plan_pool(a, 31, &first, &last);
	CHECK_STR(ip4(first), "10.0.0.0");
	CHECK_STR(ip4(last), "10.0.0.1");
}

/* ---- the app config ------------------------------------------------------- */

static void app_of(const char *text, enum netd_mode m, struct appconf *a, unsigned errors)
{
	struct conf_reader r;

	conf_open_mem(&r, "wpa_supplicant.conf", text, strlen(text));
	CHECK_INT(appconf_parse(&r, m, a), errors);
	conf_close(&r);
}

TEST(appconf_station)
{
	struct appconf a;

	app_of("ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=wheel\nupdate_config=1\ncountry=de\n"
	       "network={\n ssid=\"country=XX\"\n country=FR\n}\n", MODE_STATION, &a, 0);
	CHECK_STR(a.ctrl_dir, "/var/run/wpa_supplicant");
	CHECK_STR(a.country, "DE");
	CHECK_INT(a.n_hidden, 0);
}

TEST(appconf_hidden_networks_by_their_id)
{
	struct appconf a;
	char text[4096];
	size_t n = 0;

	app_of("network={\n ssid=\"home\"\n}\ncred={\n scan_ssid=1\n}\n"
	       "network={\n ssid=\"attic\"\n scan_ssid=1\n scan_ssid=1\n}\n"
	       "network={\n ssid=\"cafe\"\n scan_ssid=0\n}\nnetwork={\n scan_ssid=1\n}\n",
	       MODE_STATION, &a, 0);
	CHECK_INT(a.n_hidden, 2);
	CHECK_INT(a.hidden[0], 1);
	CHECK_INT(a.hidden[1], 3);
	/* more than SCAN takes: the first ones */
	for (int k = 0; k < 20; k++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "network={\n scan_ssid=1\n}\n");
	app_of(text, MODE_STATION, &a, 0);
	CHECK_INT(a.n_hidden, APPCONF_HIDDEN_MAX);
	CHECK_INT(a.hidden[APPCONF_HIDDEN_MAX - 1], APPCONF_HIDDEN_MAX - 1);
}

TEST(appconf_access_point)
{
	struct appconf a;

	app_of("interface=wlan0\nctrl_interface=/var/run/hostapd\ncountry_code=US\ncountry=FR\n", MODE_AP, &a, 0);
	CHECK_STR(a.ctrl_dir, "/var/run/hostapd");
	CHECK_STR(a.country, "US");
}

TEST(appconf_errors)
{
	struct appconf a;
	const char *log;

	capture_start();
	app_of("ctrl_interface=relative/dir\ncountry=Germany\n", MODE_STATION, &a, 2);
	log = capture_end();
	CHECK_CONTAINS(log, "wpa_supplicant.conf:1: ctrl_interface 'relative/dir' is not an absolute directory");
	CHECK_CONTAINS(log, "wpa_supplicant.conf:2: country 'Germany' is not a two-letter country code (expected e.g. country=DE)");
	CHECK_STR(a.ctrl_dir, "");
	CHECK_STR(a.country, "");
}

/* ---- IPv6 (issue 8) --------------------------------------------------------- */

static const char *ip6(const struct in6_addr *a)
{
	static char buf[4][INET6_ADDRSTRLEN];
	static int k;

	k = (k + 1) % 4;
	return inet_ntop(AF_INET6, a, buf[k], sizeof(buf[k]));
}

TEST(plan_ipv6_defaults_are_the_contracts)
{
	struct plan p;

	plan_of("", MODE_STATION, &p);
	CHECK_INT(p.eth.has_addr6, 1);
	CHECK_STR(ip6(&p.eth.addr6), "fd00::ffff");
	CHECK_INT(p.eth.prefix6, 64);
	CHECK_INT(p.wifi.has_addr6, 0);	/* the uplink: SLAAC */
	plan_of("", MODE_AP, &p);
	CHECK_INT(p.eth.has_addr6, 0);	/* the uplink: the host's advertisements */
	CHECK_STR(ip6(&p.wifi.addr6), "fd00:1::1");
}

TEST(plan_ipv6_stanza_with_dns_servers)
{
	struct plan p;

	plan_of("iface eth0 inet6 static\n address fd12:3456::1/64\n dns-nameservers 2001:db8::53 2001:db8::54\n",
		MODE_STATION, &p);
	CHECK_STR(ip6(&p.eth.addr6), "fd12:3456::1");
	CHECK_INT(p.eth.n_dns6, 2);
	CHECK_STR(ip6(&p.eth.dns6[1]), "2001:db8::54");
}

TEST(plan_ipv6_bad_stanza_says_so_and_keeps_the_default)
{
	struct plan p;
	const char *log;

	capture_start();
	plan_of("iface eth0 inet6 static\n address fd00::zz/64\n dns-nameservers 10.0.0.1 ::1 a b c\n"
		"iface wlan0 inet6 static\n address fd00:7::1/48\n", MODE_STATION, &p);
	log = capture_end();
	CHECK_CONTAINS(log, "config/interfaces.conf:2: address 'fd00::zz/64' is not an IPv6 address (expected e.g. fd00::ffff/64)");
	CHECK_CONTAINS(log, "config/interfaces.conf:3: dns-nameservers '10.0.0.1' is not an IPv6 address");
	CHECK_CONTAINS(log, "config/interfaces.conf:3: dns-nameservers 'c' is not an IPv6 address");
	CHECK_CONTAINS(log, "config/interfaces.conf:1: 'iface eth0 inet6 static' has no valid address: using the default fd00::ffff/64");
	CHECK_CONTAINS(log, "config/interfaces.conf:4: 'iface wlan0 inet6 static' is a /48: hosts make addresses from a /64 only");
	CHECK_STR(ip6(&p.eth.addr6), "fd00::ffff");
	CHECK_INT(p.eth.n_dns6, 1);	/* ::1 parses; the advertiser refuses it (test-netd-core) */
}

TEST(plan_bridge_uplink_is_off_unless_eth0_says_yes)
{
	struct plan p;
	const char *log;

	plan_of("", MODE_STATION, &p);
	CHECK_INT(p.bridge_uplink, 0);
	plan_of("iface eth0 inet static\n address 10.0.0.1/24\n bridge-uplink yes\n", MODE_STATION, &p);
	CHECK_INT(p.bridge_uplink, 1);
	CHECK_STR(ip4(p.eth.addr), "10.0.0.1");	/* the guest keeps its address there */
	plan_of("iface eth0 inet static\n address 10.0.0.1/24\n bridge-uplink off\n", MODE_STATION, &p);
	CHECK_INT(p.bridge_uplink, 0);
	capture_start();
	plan_of("iface eth0 inet static\n address 10.0.0.1/24\n bridge-uplink wlan0\n"
		"iface wlan0 inet dhcp\n bridge-uplink yes\n", MODE_STATION, &p);
	log = capture_end();
	CHECK_INT(p.bridge_uplink, 0);
	CHECK_CONTAINS(log, "interfaces.conf:3: bridge-uplink 'wlan0' is not yes or no");
	CHECK_CONTAINS(log, "interfaces.conf:5: bridge-uplink belongs in the 'iface eth0' stanza");
}

TEST(plan_mdns_reflector_is_off_unless_eth0_says_yes)
{
	struct plan p;
	const char *log;

	plan_of("", MODE_STATION, &p);
	CHECK_INT(p.mdns_reflector, 0);
	plan_of("iface eth0 inet static\n address 10.0.0.1/24\n mdns-reflector yes\n", MODE_STATION, &p);
	CHECK_INT(p.mdns_reflector, 1);
	plan_of("iface eth0 inet static\n address 10.0.0.1/24\n mdns-reflector no\n", MODE_AP, &p);
	CHECK_INT(p.mdns_reflector, 0);
	capture_start();
	plan_of("iface eth0 inet static\n address 10.0.0.1/24\n mdns-reflector maybe\n"
		"iface wlan0 inet dhcp\n mdns-reflector yes\n", MODE_STATION, &p);
	log = capture_end();
	CHECK_INT(p.mdns_reflector, 0);
	CHECK_CONTAINS(log, "interfaces.conf:3: mdns-reflector 'maybe' is not yes or no");
	CHECK_CONTAINS(log, "interfaces.conf:5: mdns-reflector belongs in the 'iface eth0' stanza");
}
