/* The port-forward file: what each line becomes, and what a bad line is
 * told (file:line and what was expected) while the others still apply. */
#include "forwards.h"
#include "check.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static struct fwd_list list;
static char errors[8192];
static unsigned n_errors;

static int ipv6_off;

static struct fwd_env env(void)
{
	struct fwd_env e;

	memset(&e, 0, sizeof(e));
	inet_pton(AF_INET6, "fd00::ffff", &e.self6);
	e.prefix6 = ipv6_off ? 0 : 64;
	inet_pton(AF_INET, "10.0.0.0", &e.net);
	inet_pton(AF_INET, "255.255.255.0", &e.mask);
	inet_pton(AF_INET, "10.0.0.1", &e.self);
	return e;
}

/* Parses text as "pf.conf"; the log lines land in errors. */
static void parse(const char *text)
{
	struct fwd_env e = env();
	struct conf_reader r;
	FILE *capture = tmpfile();
	int saved = dup(2);
	size_t len;

	log_open("test", LOG_SINK_STDERR);
	dup2(fileno(capture), 2);
	conf_open_mem(&r, "pf.conf", text, strlen(text));
	n_errors = fwd_parse(&r, &e, &list);
	conf_close(&r);
	dup2(saved, 2);
	close(saved);
	rewind(capture);
	len = fread(errors, 1, sizeof(errors) - 1, capture);
	errors[len] = '\0';
	fclose(capture);
}

static const char *addr(size_t i)
{
	static char buf[INET_ADDRSTRLEN];

	return inet_ntop(AF_INET, &list.items[i].inside_addr, buf, sizeof(buf));
}

TEST(single_port)
{
	parse("tcp 2222 -> 10.0.0.2:22\n");
	CHECK_INT(n_errors, 0);
	CHECK_INT(list.n, 1);
	CHECK_INT(list.items[0].proto, IPPROTO_TCP);
	CHECK_INT(list.items[0].outside_lo, 2222);
	CHECK_INT(list.items[0].outside_hi, 2222);
	CHECK_STR(addr(0), "10.0.0.2");
	CHECK_INT(list.items[0].inside_port, 22);
	CHECK_INT(list.line[0], 1);
}

TEST(ranges_comments_and_blanks)
{
	parse("# forwards\n"
	      "\n"
	      "  udp 60000-60010 -> 10.0.0.2   # same ports inside\n"
	      "tcp 8000-8010->10.0.0.3:9000\n"
	      "TCP 443 -> 10.0.0.4:8443-8443\n"
	      "tcp 7000-7001 -> 10.0.0.5:7100-7101\n");
	CHECK_INT(n_errors, 0);
	CHECK_INT(list.n, 4);
	CHECK_INT(list.items[0].proto, IPPROTO_UDP);
	CHECK_INT(list.items[0].outside_lo, 60000);
	CHECK_INT(list.items[0].outside_hi, 60010);
	CHECK_INT(list.items[0].inside_port, 60000);
	CHECK_INT(list.line[0], 3);
	CHECK_INT(list.items[1].outside_hi, 8010);
	CHECK_INT(list.items[1].inside_port, 9000);
	CHECK_STR(addr(1), "10.0.0.3");
	CHECK_INT(list.items[2].inside_port, 8443);
	CHECK_INT(list.items[3].inside_port, 7100);
}

TEST(tcp_and_udp_in_one_line)
{
	parse("tcp+udp 5000 -> 10.0.0.2\n");
	CHECK_INT(n_errors, 0);
	CHECK_INT(list.n, 2);
	CHECK_INT(list.items[0].proto, IPPROTO_TCP);
	CHECK_INT(list.items[1].proto, IPPROTO_UDP);
	CHECK_INT(list.line[1], 1);
}

TEST(bad_lines_are_skipped_others_apply)
{
	parse("tcp 2222 -> 10.0.0.2:22\n"
	      "tpc 80 -> 10.0.0.2\n"
	      "tcp 70000 -> 10.0.0.2\n"
	      "udp 53 -> 10.0.0.2\n");
	CHECK_INT(n_errors, 2);
	CHECK_INT(list.n, 2);
	CHECK_INT(list.line[1], 4);
	CHECK_CONTAINS(errors, "pf.conf:2: 'tpc' is not a protocol: expected tcp, udp or tcp+udp (did you mean 'tcp'?)");
	CHECK_CONTAINS(errors, "pf.conf:3: outside port: '70000' is not a port: expected a number from 1 to 65535");
}

TEST(syntax_errors_say_what_was_expected)
{
	parse("tcp 2222 10.0.0.2:22\n"
	      "tcp -> 10.0.0.2\n"
	      "tcp 22 ->\n"
	      "tcp 22 -> 10.0.0.2 extra\n"
	      "tcp 22x -> 10.0.0.2\n"
	      "tcp 0 -> 10.0.0.2\n"
	      "tcp 30-20 -> 10.0.0.2\n"
	      "tcp 22 -> 10.0.0.2:\n"
	      "tcp 22 -> host:22\n"
	      "tcp -22 -> 10.0.0.2\n");
	CHECK_INT(n_errors, 10);
	CHECK_INT(list.n, 0);
	CHECK_CONTAINS(errors, "pf.conf:1: no '->' in 'tcp 2222 10.0.0.2:22': expected 'PROTOCOL PORT[-LAST] -> ADDRESS[:PORT[-LAST]]'");
	CHECK_CONTAINS(errors, "pf.conf:2: before '->': expected a protocol and a port");
	CHECK_CONTAINS(errors, "pf.conf:3: nothing after '->': expected an address");
	CHECK_CONTAINS(errors, "pf.conf:4: unexpected 'extra' after the address");
	CHECK_CONTAINS(errors, "pf.conf:5: outside port: '22x' is not a port or range");
	CHECK_CONTAINS(errors, "pf.conf:6: outside port: '0' is not a port");
	CHECK_CONTAINS(errors, "pf.conf:7: outside port: range 30-20 runs backwards");
	CHECK_CONTAINS(errors, "pf.conf:8: inside port: '' is not a port");
	CHECK_CONTAINS(errors, "pf.conf:9: 'host' is not an IPv4 address");
	CHECK_CONTAINS(errors, "pf.conf:10: outside port: '-22' is not a port");
}

TEST(addresses_must_be_hosts_on_the_inside_network)
{
	parse("tcp 1 -> 10.0.1.2\n"
	      "tcp 2 -> 10.0.0.0\n"
	      "tcp 3 -> 10.0.0.255\n"
	      "tcp 4 -> 10.0.0.1\n"
	      "tcp 5 -> 10.0.0.254\n");
	CHECK_INT(n_errors, 4);
	CHECK_INT(list.n, 1);
	CHECK_STR(addr(0), "10.0.0.254");
	CHECK_CONTAINS(errors, "pf.conf:1: 10.0.1.2 is outside the host network 10.0.0.0/24");
	CHECK_CONTAINS(errors, "pf.conf:2: 10.0.0.0 is the network or broadcast address of 10.0.0.0/24");
	CHECK_CONTAINS(errors, "pf.conf:3: 10.0.0.255 is the network or broadcast address");
	CHECK_CONTAINS(errors, "pf.conf:4: 10.0.0.1 is the guest itself");
}

TEST(duplicates_and_overlaps_keep_the_first)
{
	parse("tcp 2200-2300 -> 10.0.0.2\n"
	      "tcp 2200-2300 -> 10.0.0.3\n"
	      "tcp 2250 -> 10.0.0.4:22\n"
	      "udp 2250 -> 10.0.0.4\n"
	      "tcp+udp 2300-2301 -> 10.0.0.5\n"
	      "tcp 2301 -> 10.0.0.5\n");
	CHECK_INT(n_errors, 3);
	CHECK_INT(list.n, 3);
	CHECK_INT(list.line[0], 1);
	CHECK_INT(list.line[1], 4);
	CHECK_INT(list.line[2], 6);
	CHECK_CONTAINS(errors, "pf.conf:2: tcp 2200-2300 repeats line 1 (tcp 2200-2300): only the first one applies");
	CHECK_CONTAINS(errors, "pf.conf:3: tcp 2250 overlaps line 1 (tcp 2200-2300)");
	/* the whole tcp+udp line goes when its tcp half overlaps */
	CHECK_CONTAINS(errors, "pf.conf:5: tcp 2300-2301 overlaps line 1");
}

TEST(range_lengths_and_limits)
{
	parse("tcp 8000-8010 -> 10.0.0.2:9000-9005\n"
	      "tcp 8000-8010 -> 10.0.0.2:65530\n"
	      "udp 60-70 -> 10.0.0.2\n"
	      "tcp 65535 -> 10.0.0.2:65535\n");
	CHECK_INT(n_errors, 3);
	CHECK_INT(list.n, 1);
	CHECK_INT(list.items[0].outside_lo, 65535);
	CHECK_CONTAINS(errors, "pf.conf:1: outside ports 8000-8010 and inside ports 9000-9005 differ in length");
	CHECK_CONTAINS(errors, "pf.conf:2: inside ports from 65530 for 11 ports run past 65535");
	CHECK_CONTAINS(errors, "pf.conf:3: udp port 68 is the guest's own DHCP client");
}

TEST(too_many_lines_stop_at_the_limit)
{
	static char text[FW_MAX_FORWARDS * 32 + 64];
	size_t len = 0;
	int i;

	for (i = 0; i < FW_MAX_FORWARDS + 2; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "tcp %d -> 10.0.0.2\n", 1000 + i);
	parse(text);
	CHECK_INT(list.n, FW_MAX_FORWARDS);
	CHECK_INT(n_errors, 1);
	CHECK_CONTAINS(errors, "more than 128 forwards");
}

TEST(missing_file_means_no_forwards)
{
	struct fwd_env e = env();

	list.n = 7;
	CHECK_INT(fwd_load("/nonexistent/port_forwards.conf", &e, &list), -ENOENT);
	CHECK_INT(list.n, 0);
}

TEST(shipped_sample_parses_cleanly)
{
	struct fwd_env e = env();

	/* The sample's examples are all commented out: nothing, no error. */
	CHECK_INT(fwd_load("samples/config/port_forwards.conf", &e, &list), 0);
	CHECK_INT(list.n, 0);
}

/* Issue 8: IPv6 forwards, to hosts of the inside prefix, through NAT66. */
TEST(ipv6_forwards_in_brackets_or_bare)
{
	char a[INET6_ADDRSTRLEN];

	parse("tcp 2222 -> [fd00::2]:22\n"
	      "udp 5000-5010 -> [fd00::2]:6000\n"
	      "tcp 8080 -> fd00::1:2:3:4\n"
	      "tcp 2222 -> 10.0.0.2:22\n"	/* the other family: no overlap */
	      "tcp+udp 7000 -> [fd00::5]\n");
	CHECK_INT(n_errors, 0);
	CHECK_INT(list.n, 6);
	CHECK(list.items[0].ipv6);
	CHECK_STR(inet_ntop(AF_INET6, &list.items[0].inside_addr6, a, sizeof(a)), "fd00::2");
	CHECK_INT(list.items[0].outside_lo, 2222);
	CHECK_INT(list.items[0].inside_port, 22);
	CHECK_INT(list.items[1].inside_port, 6000);
	CHECK_INT(list.items[1].outside_hi, 5010);
	CHECK_STR(inet_ntop(AF_INET6, &list.items[2].inside_addr6, a, sizeof(a)), "fd00::1:2:3:4");
	CHECK_INT(list.items[2].inside_port, 8080);
	CHECK(!list.items[3].ipv6);
	CHECK(list.items[4].ipv6 && list.items[5].ipv6);
	CHECK_INT(list.items[5].proto, IPPROTO_UDP);
}

TEST(ipv6_forwards_must_be_hosts_of_the_inside_prefix)
{
	parse("tcp 1 -> [2001:db8::2]:22\n"
	      "tcp 2 -> [fd00::ffff]:22\n"
	      "tcp 3 -> [fd00::]:22\n"
	      "tcp 4 -> [fd00::2:22\n"
	      "tcp 5 -> [fd00::2]22\n"
	      "tcp 6 -> [fd00::zz]:22\n"
	      "tcp 7 -> [fd00::2]:22\n"
	      "tcp 7 -> [fd00::3]:23\n");
	CHECK_INT(n_errors, 7);
	CHECK_INT(list.n, 1);
	CHECK_CONTAINS(errors, "pf.conf:1: 2001:db8::2 is outside the host network fd00::/64");
	CHECK_CONTAINS(errors, "pf.conf:2: fd00::ffff is the guest itself");
	CHECK_CONTAINS(errors, "pf.conf:3: fd00:: is the prefix fd00::/64 itself, not a host");
	CHECK_CONTAINS(errors, "pf.conf:4: '[fd00::2:22': expected [IPV6-ADDRESS] or [IPV6-ADDRESS]:PORT");
	CHECK_CONTAINS(errors, "pf.conf:5: '[fd00::2]22': expected [IPV6-ADDRESS]");
	CHECK_CONTAINS(errors, "pf.conf:6: 'fd00::zz' is not an IPv6 address");
	CHECK_CONTAINS(errors, "pf.conf:8: tcp 7 repeats line 7");
}

TEST(ipv6_forwards_refused_while_ipv6_is_off)
{
	ipv6_off = 1;
	parse("tcp 2222 -> [fd00::2]:22\ntcp 2223 -> 10.0.0.2:22\n");
	ipv6_off = 0;
	CHECK_INT(n_errors, 1);
	CHECK_INT(list.n, 1);
	CHECK_CONTAINS(errors, "pf.conf:1: fd00::2: IPv6 is off in this guest: the forward cannot apply");
}
