/* The udhcpd.conf template: checked once, filled as often as the uplink
 * changes. */
#include "check.h"

#include <arpa/inet.h>
#include <stdlib.h>

#include "dhcpd_conf.h"
#include "fakes.h"

static struct dhcpd_served served(const char *addr, uint8_t prefix)
{
	struct dhcpd_served s = { .prefix = prefix };

	inet_pton(AF_INET, addr, &s.addr);
	return s;
}

static unsigned load(const char *text, const struct dhcpd_served *s, struct dhcpd_tmpl *t)
{
	struct conf_reader r;
	unsigned errors;

	if (!text)
		return dhcpd_tmpl_load(NULL, s, t);
	conf_open_mem(&r, "config/udhcpd.conf", text, strlen(text));
	errors = dhcpd_tmpl_load(&r, s, t);
	conf_close(&r);
	return errors;
}

static const char *fill(const struct dhcpd_tmpl *t, const struct dhcpd_served *s, const char *ifname,
			const char *dns, const char *domain, const char *search, uint32_t short_lease)
{
	static char out[DHCPD_CONF_MAX];
	struct dhcpd_fill f = { .ifname = ifname, .dns = dns, .uplink_dns = dns, .domain = domain,
				.search = search, .short_lease = short_lease };

	CHECK(dhcpd_tmpl_fill(t, s, &f, out, sizeof(out)) >= 0);
	return out;
}

TEST(dhcpd_default_is_the_contracts)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.0.0.1", 24);

	CHECK_INT(load(NULL, &s, &t), 0);
	CHECK_STR(fill(&t, &s, "eth0", "", "", "", 0),
		  "interface eth0\n"
		  "start 10.0.0.2\n"
		  "end 10.0.0.254\n"
		  "max_leases 64\n"
		  "opt subnet 255.255.255.0\n"
		  "opt router 10.0.0.1\n"
		  "opt dns 8.8.8.8 8.8.4.4\n"
		  "opt lease 864000\n");
}

TEST(dhcpd_placeholders_filled_from_the_uplink)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.0.0.1", 24);
	const char *out;

	load(NULL, &s, &t);
	out = fill(&t, &s, "eth0", "192.168.1.1 1.1.1.1", "lan", "lan corp.example", 0);
	CHECK_CONTAINS(out, "opt dns 192.168.1.1 1.1.1.1 8.8.8.8 8.8.4.4\n");
	CHECK_CONTAINS(out, "opt domain lan\n");
	CHECK_CONTAINS(out, "opt search lan corp.example\n");
}

TEST(dhcpd_short_lease_until_dns_is_known)
{
	static struct dhcpd_tmpl t, u;
	struct dhcpd_served s = served("10.0.0.1", 24);

	load(NULL, &s, &t);
	CHECK_CONTAINS(fill(&t, &s, "eth0", "", "", "", 60), "opt lease 60\n");
	CHECK_INT(count_lines(fill(&t, &s, "eth0", "", "", "", 60), "opt lease"), 1);
	/* a template without a lease line gets one; a shorter one stays */
	load("start 10.0.0.10\nend 10.0.0.20\n", &s, &u);
	CHECK_CONTAINS(fill(&u, &s, "eth0", "", "", "", 60), "opt lease 60\n");
	load("opt lease 30\n", &s, &u);
	CHECK_CONTAINS(fill(&u, &s, "eth0", "", "", "", 60), "opt lease 30\n");
}

/* Issue 15: %%DNS%% names the guest's forwarder; %%UPLINK_DNS%% is the
 * uplink's servers, for a user who wants them handed straight on. */
TEST(dhcpd_uplink_dns_is_the_networks_servers_dns_the_guest)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.0.0.1", 24);
	struct dhcpd_fill f = { .ifname = "eth0", .dns = "10.0.0.1", .uplink_dns = "192.168.1.1 1.1.1.1",
				.domain = "", .search = "" };
	static char out[DHCPD_CONF_MAX];

	CHECK_INT(load("opt dns %%UPLINK_DNS%% 8.8.8.8\nopt wins %%DNS%%\n", &s, &t), 0);
	CHECK(dhcpd_tmpl_fill(&t, &s, &f, out, sizeof(out)) >= 0);
	CHECK_CONTAINS(out, "opt dns 192.168.1.1 1.1.1.1 8.8.8.8\n");
	CHECK_CONTAINS(out, "opt wins 10.0.0.1\n");
	/* a name is no address list */
	CHECK_INT(load("opt dns %%DOMAIN%%\n", &s, &t), 1);
}

TEST(dhcpd_user_template_kept_with_interface_forced)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("192.168.0.1", 24);
	const char *out;

	CHECK_INT(load("start\t\t192.168.0.100\nEND 192.168.0.150\ninterface wlan0\nmax_leases 10\n"
		       "opt router 192.168.0.1\nopt dns %%DNS%% 9.9.9.9\noption domain %%DOMAIN%%\n"
		       "static_lease 00:11:22:33:44:55 192.168.0.5\nopt 42 0a000001\n",
		       &s, &t), 0);
	out = fill(&t, &s, "wlp3s0", "10.0.0.1", "", "", 0);
	CHECK_STR(out,
		  "interface wlp3s0\n"
		  "start 192.168.0.100\n"
		  "end 192.168.0.150\n"
		  "max_leases 10\n"
		  "opt router 192.168.0.1\n"
		  "opt dns 10.0.0.1 9.9.9.9\n"
		  "static_lease 00:11:22:33:44:55 192.168.0.5\n"
		  "opt 42 0a000001\n"
		  "opt subnet 255.255.255.0\n");
}

TEST(dhcpd_bad_lines_reported_and_dropped)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.0.0.1", 24);
	const char *log, *out;

	capture_start();
	CHECK_INT(load("strat 10.0.0.2\n"
		       "opt dsn 8.8.8.8\n"
		       "opt router 10.0.0.256\n"
		       "opt dns %%DSN%%\n"
		       "opt lease forever\n"
		       "max_leases many\n"
		       "static_lease 00:11 10.0.0.5\n"
		       "opt\n"
		       "opt subnet 255.255.255.0 255.0.0.0\n"
		       "opt router 10.0.0.1\n"
		       "opt ntpsrv %%DOMAIN%%\n"
		       "pidfile %%SEARCH%%\n",
		       &s, &t), 11);
	log = capture_end();
	CHECK_CONTAINS(log, "config/udhcpd.conf:1: 'strat' is not a udhcpd keyword (did you mean 'start'?)");
	CHECK_CONTAINS(log, "config/udhcpd.conf:2: 'dsn' is not a udhcpd option (did you mean 'dns'?)");
	CHECK_CONTAINS(log, ":3: opt router: '10.0.0.256' is not an IPv4 address");
	CHECK_CONTAINS(log, ":4: '%%DSN%%' is not a known placeholder");
	CHECK_CONTAINS(log, ":5: opt lease: 'forever' is not a number");
	CHECK_CONTAINS(log, ":6: max_leases 'many' is not a number");
	CHECK_CONTAINS(log, ":7: expected 'static_lease 00:11:22:33:44:55 10.0.0.5'");
	CHECK_CONTAINS(log, ":9: opt subnet takes one address, not 2");
	CHECK_CONTAINS(log, ":11: opt ntpsrv: %%DOMAIN%% does not fit here (expected addresses or %%DNS%%)");
	CHECK_CONTAINS(log, ":12: 'pidfile': placeholders belong in opt lines only");
	out = fill(&t, &s, "eth0", "", "", "", 0);
	/* what remains is the good line, the default range and the subnet */
	CHECK_STR(out, "interface eth0\nopt router 10.0.0.1\nstart 10.0.0.2\nend 10.0.0.254\n"
		  "opt subnet 255.255.255.0\n");
}

TEST(dhcpd_range_outside_or_backwards_uses_the_default)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.0.0.1", 24);
	const char *log;

	capture_start();
	CHECK_INT(load("start 192.168.0.2\nend 10.0.0.50\n", &s, &t), 1);
	log = capture_end();
	CHECK_CONTAINS(log, ":1: start 192.168.0.2 is outside the served network 10.0.0.0/24: using the default");
	CHECK_CONTAINS(fill(&t, &s, "eth0", "", "", "", 0), "end 10.0.0.50\n");
	CHECK_CONTAINS(fill(&t, &s, "eth0", "", "", "", 0), "start 10.0.0.2\n");

	capture_start();
	CHECK_INT(load("start 10.0.0.200\nend 10.0.0.100\nopt router 10.0.0.1\n", &s, &t), 1);
	log = capture_end();
	CHECK_CONTAINS(log, "start is after end: using the default range");
	CHECK_STR(fill(&t, &s, "eth0", "", "", "", 0),
		  "interface eth0\nopt router 10.0.0.1\nstart 10.0.0.2\nend 10.0.0.254\n"
		  "opt subnet 255.255.255.0\n");
}

TEST(dhcpd_lone_start_or_end_must_fit_the_default_other_end)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.0.0.1", 24);
	const char *log;

	capture_start();
	CHECK_INT(load("start 10.0.0.255\n", &s, &t), 1);
	log = capture_end();
	CHECK_CONTAINS(log, "start is after end: using the default range");
	CHECK_CONTAINS(fill(&t, &s, "eth0", "", "", "", 0), "start 10.0.0.2\nend 10.0.0.254\n");
	CHECK_INT(load("end 10.0.0.100\n", &s, &t), 0);
	CHECK_CONTAINS(fill(&t, &s, "eth0", "", "", "", 0), "end 10.0.0.100\nstart 10.0.0.2\n");
}

TEST(dhcpd_empty_options_dropped)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.0.0.1", 24);
	const char *out;

	load("opt dns %%DNS%%\nopt domain %%DOMAIN%%\nopt search %%SEARCH%%\nopt router 10.0.0.1\n", &s, &t);
	out = fill(&t, &s, "eth0", "", "", "", 0);
	CHECK_INT(count_lines(out, "opt dns"), 0);
	CHECK_INT(count_lines(out, "opt domain"), 0);
	CHECK_INT(count_lines(out, "opt search"), 0);
	CHECK_CONTAINS(out, "opt router 10.0.0.1\n");
}

TEST(dhcpd_small_networks)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("172.16.0.1", 29);
	const char *out;

	load(NULL, &s, &t);
	out = fill(&t, &s, "eth0", "", "", "", 0);
	CHECK_CONTAINS(out, "start 172.16.0.2\nend 172.16.0.6\nmax_leases 5\n");
	CHECK_CONTAINS(out, "opt subnet 255.255.255.248\n");
}

TEST(dhcpd_enormous_template_is_cut_and_reported)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.0.0.1", 24);
	size_t n = 4000 * 50;
	char *text = malloc(n + 1), *p = text;
	const char *log;

	for (int k = 0; k < 4000; k++)
		p += sprintf(p, "opt message %030d\n", k);
	capture_start();
	CHECK(load(text, &s, &t) >= 1);
	log = capture_end();
	CHECK_CONTAINS(log, "more than 16 KiB of settings: the built-in settings serve instead");
	CHECK(t.len < DHCPD_TMPL_MAX);
	CHECK_INT(t.too_large, 1);
	free(text);
}

TEST(dhcpd_fill_reports_when_out_is_too_small)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.0.0.1", 24);
	struct dhcpd_fill f = { .ifname = "eth0", .dns = "", .uplink_dns = "", .domain = "", .search = "" };
	char out[32];

	load(NULL, &s, &t);
	CHECK_INT(dhcpd_tmpl_fill(&t, &s, &f, out, sizeof(out)), -1);
}

/* Issue 7 (Wifibox #83): the subnet is changed in interfaces.conf alone. */
TEST(dhcpd_router_and_subnet_derived_when_the_template_has_none)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.7.0.1", 16);
	const char *out;

	CHECK_INT(load("opt dns %%DNS%% 8.8.8.8\nopt lease 3600\n", &s, &t), 0);
	out = fill(&t, &s, "eth0", "", "", "", 0);
	CHECK_STR(out, "interface eth0\nopt dns 8.8.8.8\nopt lease 3600\nstart 10.7.0.2\n"
		  "end 10.7.255.254\nopt subnet 255.255.0.0\nopt router 10.7.0.1\n");
}

TEST(dhcpd_stale_subnet_in_the_template_follows_interfaces_conf)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.7.0.1", 24);
	const char *log, *out;

	/* the shipped sample, unchanged, after eth0 moved to 10.7.0.1/24 */
	capture_start();
	CHECK_INT(load("start 10.0.0.2\nend 10.0.0.254\nmax_leases 64\nopt subnet 255.255.0.0\n"
		       "opt router 10.0.0.1\nopt dns %%DNS%% 8.8.8.8 8.8.4.4\nopt lease 864000\n",
		       &s, &t), 4);
	log = capture_end();
	CHECK_CONTAINS(log, "config/udhcpd.conf:1: start 10.0.0.2 is outside the served network 10.7.0.0/24");
	CHECK_CONTAINS(log, "config/udhcpd.conf:2: end 10.0.0.254 is outside the served network 10.7.0.0/24");
	CHECK_CONTAINS(log, "config/udhcpd.conf:4: opt subnet 255.255.0.0 does not match the served network "
		       "10.7.0.0/24 (interfaces.conf): serving subnet 255.255.255.0 instead");
	CHECK_CONTAINS(log, "config/udhcpd.conf:5: opt router 10.0.0.1 is outside the served network "
		       "10.7.0.0/24 (interfaces.conf): serving router 10.7.0.1 instead");
	out = fill(&t, &s, "eth0", "", "", "", 0);
	CHECK_STR(out, "interface eth0\nmax_leases 64\nopt subnet 255.255.255.0\nopt router 10.7.0.1\n"
		  "opt dns 8.8.8.8 8.8.4.4\nopt lease 864000\nstart 10.7.0.2\nend 10.7.0.254\n");
	/* what udhcpd gets reads back without a single complaint */
	CHECK_INT(load(out, &s, &t), 0);
}

TEST(dhcpd_router_inside_the_network_is_the_users_choice)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.0.0.1", 24);

	CHECK_INT(load("opt router 10.0.0.254\nopt subnet 255.255.255.0\n", &s, &t), 0);
	CHECK_STR(fill(&t, &s, "eth0", "", "", "", 0),
		  "interface eth0\nopt router 10.0.0.254\nopt subnet 255.255.255.0\nstart 10.0.0.2\n"
		  "end 10.0.0.254\n");
}

/* Issue 14: about 410 static_lease lines overflowed the template, left
 * its text without a terminating NUL, and the fill wrote through a NULL
 * pointer: netd crashed on every start, before the firewall and Wi-Fi. */
TEST(dhcpd_template_over_16_kib_gives_the_line_and_the_builtin)
{
	static struct dhcpd_tmpl t, def;
	static char text[32768];
	struct dhcpd_served s = served("10.0.0.1", 24);
	const char *log;
	size_t len = 0;
	char want[32];
	unsigned errors;
	int overflow_line = 0;

	len += (size_t)snprintf(text + len, sizeof(text) - len, "start 10.0.0.100\nend 10.0.0.200\n");
	for (int k = 0; k < 410; k++) {
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"static_lease 02:00:00:00:%02x:%02x 10.0.%d.%d\n",
					k / 256, k % 256, k / 250, 2 + k % 250);
		/* the lines are kept as written: the first one past 16383
		 * bytes (and its NUL) is the one reported */
		if (!overflow_line && len >= DHCPD_TMPL_MAX)
			overflow_line = k + 3;
	}
	CHECK(len > 16384);
	capture_start();
	errors = load(text, &s, &t);
	log = capture_end();
	CHECK_INT(errors, 1);
	CHECK_INT(t.too_large, 1);
	/* the first line that did not fit is named */
	snprintf(want, sizeof(want), "udhcpd.conf:%d: more than", overflow_line);
	CHECK_CONTAINS(log, want);
	CHECK_CONTAINS(log, "the built-in settings serve instead");
	/* what udhcpd gets is the built-in, filled as always */
	load(NULL, &s, &def);
	CHECK_STR(t.text, def.text);
	CHECK_CONTAINS(fill(&t, &s, "eth0", "192.168.1.1", "lan", "", 0),
		       "interface eth0\nstart 10.0.0.2\nend 10.0.0.254\nmax_leases 64\n");
}

/* A line that does not fit is taken back whole, whatever its length. */
TEST(dhcpd_template_text_stays_whole_lines_when_full)
{
	static struct dhcpd_tmpl t;
	static char text[40000];
	struct dhcpd_served s = served("10.0.0.1", 24);
	size_t len = 0;

	/* lines of every length up to the reader's limit, so that one ends
	 * at each possible distance from the end of the buffer */
	for (int k = 0; len < 30000; k++) {
		len += (size_t)snprintf(text + len, sizeof(text) - len, "opt message %.*s\n", 20 + k % 600,
					"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
					"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
					"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
					"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
					"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
					"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	}
	capture_start();
	load(text, &s, &t);
	capture_end();
	CHECK_INT(t.too_large, 1);
	CHECK_INT(strlen(t.text), t.len);
	CHECK(t.len && t.text[t.len - 1] == '\n');
}

/* Found by the fuzzer: a bare static_lease read past the line's words. */
TEST(dhcpd_bare_static_lease_is_an_error_not_a_crash)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.0.0.1", 24);

	CHECK_INT(load("static_lease\nstart 10.0.0.10\n", &s, &t), 1);
	CHECK(strstr(fill(&t, &s, "eth0", "", "", "", 0), "start 10.0.0.10\n") != NULL);
	CHECK(strstr(fill(&t, &s, "eth0", "", "", "", 0), "static_lease") == NULL);
}

/* Found by the fuzzer: %%DNS%% passed in a numeric option, and the filled
 * line ("opt lease 3 192.168.1.1 1.1.1.1") was one udhcpd rejects. */
TEST(dhcpd_placeholder_in_a_numeric_option_is_refused)
{
	static struct dhcpd_tmpl t;
	struct dhcpd_served s = served("10.0.0.1", 24);
	const char *out;

	CHECK_INT(load("opt lease 3 %%DNS%%\nopt mtu %%DOMAIN%%\n", &s, &t), 2);
	out = fill(&t, &s, "eth0", "192.168.1.1", "home", "", 0);
	CHECK(strstr(out, "opt lease 3 ") == NULL);
	CHECK(strstr(out, "opt mtu") == NULL);
}
