/* mdnsd-services.conf (issue 16): the blocks of mDNSResponderPosix's
 * Services.txt form the guest announces itself, what a bad block is told,
 * and the warning for a service no port forward lets the Wi-Fi side reach. */
#include "mdns_services.h"
#include "forwards.h"
#include "check.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct mdns_service_list list;
static char errors[8192];
static unsigned n_errors;

static FILE *capture;
static int saved_stderr;

/* From here to capture_end, what is logged lands in errors. */
static void capture_begin(void)
{
	log_open("test", LOG_SINK_STDERR);
	capture = tmpfile();
	saved_stderr = dup(2);
	dup2(fileno(capture), 2);
}

static void capture_end(void)
{
	size_t len;

	dup2(saved_stderr, 2);
	close(saved_stderr);
	rewind(capture);
	len = fread(errors, 1, sizeof(errors) - 1, capture);
	errors[len] = '\0';
	fclose(capture);
}

/* Parses len bytes of text as "mdnsd-services.conf". */
static void parse_mem(const char *text, size_t len)
{
	struct conf_reader r;

	capture_begin();
	conf_open_mem(&r, "mdnsd-services.conf", text, len);
	n_errors = mdns_services_parse(&r, &list);
	conf_close(&r);
	capture_end();
}

static void parse(const char *text)
{
	parse_mem(text, strlen(text));
}

static void check_txt(size_t i, const void *wire, size_t len)
{
	CHECK_INT(list.s[i].txt_len, len);
	CHECK(!memcmp(list.s[i].txt, wire, len));
}

/* The sample, with the '#' in front of its example lines removed (the
 * lines "#X" where X is not a blank): what a user who follows it gets. */
static char *sample_uncommented(const char *path)
{
	FILE *f = fopen(path, "re");
	char line[256], *out = calloc(1, 16384);
	size_t len = 0;

	if (!f || !out)
		return out;
	while (fgets(line, sizeof(line), f)) {
		const char *s = line[0] == '#' && line[1] != ' ' && line[1] != '\n' ? line + 1 : line;

		len += (size_t)snprintf(out + len, 16384 - len, "%s", s);
	}
	fclose(f);
	return out;
}

static struct fwd_list forwards(const char *text)
{
	struct fwd_env e;
	struct fwd_list f;
	struct conf_reader r;

	memset(&e, 0, sizeof(e));
	inet_pton(AF_INET, "10.0.0.0", &e.net);
	inet_pton(AF_INET, "255.255.255.0", &e.mask);
	inet_pton(AF_INET, "10.0.0.1", &e.self);
	inet_pton(AF_INET6, "fd00::ffff", &e.self6);
	e.prefix6 = 64;
	conf_open_mem(&r, "port_forwards.conf", text, strlen(text));
	CHECK_INT(fwd_parse(&r, &e, &f), 0);
	conf_close(&r);
	return f;
}

static unsigned check_forwards(const char *forward_lines)
{
	struct fwd_list f = forwards(forward_lines);
	unsigned n;

	capture_begin();
	n = mdns_services_check_forwards(&list, &f);
	capture_end();
	return n;
}

TEST(mdns_sample_as_shipped_announces_nothing)
{
	list.n = 3;
	CHECK_INT(mdns_services_load("samples/config/mdnsd-services.conf", &list), 0);
	CHECK_INT(list.n, 0);
}

TEST(mdns_sample_uncommented_is_its_two_examples)
{
	char *text = sample_uncommented("samples/config/mdnsd-services.conf");

	parse(text);
	CHECK_STR(errors, "");
	CHECK_INT(n_errors, 0);
	CHECK_INT(list.n, 2);
	CHECK_STR(list.s[0].name, "FreeBSD host");
	CHECK_STR(list.s[0].type, "_ssh._tcp");
	CHECK_INT(list.s[0].proto, IPPROTO_TCP);
	CHECK_INT(list.s[0].port, 2222);
	check_txt(0, "\0", 1);
	CHECK_STR(list.s[1].name, "FreeBSD host's web server");
	CHECK_STR(list.s[1].type, "_http._tcp");
	CHECK_INT(list.s[1].port, 8080);
	check_txt(1, "\6path=/", 7);
	CHECK(list.s[0].line > 30 && list.s[1].line == list.s[0].line + 4);
	/* and port_forwards.conf's examples, uncommented too, reach both */
	free(text);
	text = sample_uncommented("samples/config/port_forwards.conf");
	CHECK_INT(check_forwards(text), 0);
	free(text);
}

TEST(mdns_txt_wire_form)
{
	parse("Printer\n_ipp._tcp\n631\ntxtvers=1\nrp=printers/a b\n\\#x\n#a comment\nq=\n\n"
	      "Bare\n_ipp._tcp\n631\n");
	CHECK_INT(n_errors, 0);
	CHECK_INT(list.n, 2);
	check_txt(0, "\011txtvers=1\017rp=printers/a b\002#x\002q=", 10 + 16 + 3 + 3);
	check_txt(1, "\0", 1);
	CHECK_INT(list.s[1].line, 10);
}

TEST(mdns_txt_string_of_255_bytes_but_not_256)
{
	char text[1024];
	char s255[256];

	memset(s255, 'k', 255);
	s255[255] = '\0';
	snprintf(text, sizeof(text), "A\n_x._udp\n9\n%s\n\nB\n_x._udp\n9\n%sk\n", s255, s255);
	parse(text);
	CHECK_INT(n_errors, 1);
	CHECK_INT(list.n, 1);
	CHECK_STR(list.s[0].name, "A");
	CHECK_INT(list.s[0].proto, IPPROTO_UDP);
	CHECK_INT(list.s[0].txt_len, 256);
	CHECK_INT(list.s[0].txt[0], 255);
	CHECK_CONTAINS(errors, "mdnsd-services.conf:9: TXT string of 256 bytes: each is at most 255 bytes");
}

TEST(mdns_txt_record_at_most_1300_bytes)
{
	char text[4096], s[256];
	size_t len;

	memset(s, 'v', 255);
	s[255] = '\0';
	/* five strings of 255 and one of 19: 5 * 256 + 20 = 1300, kept */
	len = (size_t)snprintf(text, sizeof(text), "Full\n_x._tcp\n1\n%s\n%s\n%s\n%s\n%s\n%.19s\n\n", s, s, s,
			       s, s, s);
	snprintf(text + len, sizeof(text) - len, "Over\n_x._tcp\n1\n%s\n%s\n%s\n%s\n%s\n%.20s\n", s, s, s, s, s, s);
	parse(text);
	CHECK_INT(n_errors, 1);
	CHECK_INT(list.n, 1);
	CHECK_STR(list.s[0].name, "Full");
	CHECK_INT(list.s[0].txt_len, MDNS_TXT_MAX);
	CHECK_CONTAINS(errors, "mdnsd-services.conf:19: the TXT strings come to more than 1300 bytes");
}

TEST(mdns_name_written_with_backslash_hash)
{
	parse("\\#1 printer\n_ipp._tcp\n631\n\n\\\\not#escaped\n_ipp._tcp\n631\n");
	CHECK_INT(n_errors, 0);
	CHECK_INT(list.n, 2);
	CHECK_STR(list.s[0].name, "#1 printer");
	CHECK_STR(list.s[1].name, "\\\\not#escaped");
}

TEST(mdns_name_is_one_label_of_text)
{
	char text[512];
	char n63[64];

	memset(n63, 'n', 63);
	n63[63] = '\0';
	snprintf(text, sizeof(text), "%s\n_a._tcp\n1\n\n%sn\n_a._tcp\n1\n\nHost.example \xc3\xa9t\xc3\xa9\n_a._tcp\n1\n\n"
		 "bad\xc3\n_a._tcp\n1\n\nbell\a\n_a._tcp\n1\n", n63, n63);
	parse(text);
	CHECK_INT(list.n, 2);
	CHECK_INT(n_errors, 3);
	CHECK_STR(list.s[0].name, n63);
	CHECK_STR(list.s[1].name, "Host.example \xc3\xa9t\xc3\xa9");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:5: the name 'nnnn");
	CHECK_CONTAINS(errors, "is 64 bytes long: a service's name is at most 63 bytes");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:13: the name 'bad\\xc3' is not text");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:17: the name 'bell\\x07' is not text");
}

TEST(mdns_type_trailing_dot_and_local_domain)
{
	parse("A\n_ipp._tcp.\n631\n\nB\n_ipp._tcp local.\n631\n\nC\n  _Smb._TCP. \t LOCAL  \n445\n\n"
	      "D\n_a-b1._udp local\n5\n");
	CHECK_STR(errors, "");
	CHECK_INT(list.n, 4);
	CHECK_STR(list.s[0].type, "_ipp._tcp");
	CHECK_STR(list.s[1].type, "_ipp._tcp");
	CHECK_STR(list.s[2].type, "_Smb._tcp");
	CHECK_INT(list.s[2].proto, IPPROTO_TCP);
	CHECK_STR(list.s[3].type, "_a-b1._udp");
	CHECK_INT(list.s[3].proto, IPPROTO_UDP);
}

TEST(mdns_only_the_local_domain)
{
	parse("A\n_ipp._tcp example.com.\n631\n\nB\n_ipp._tcp local. extra\n631\n");
	CHECK_INT(list.n, 0);
	CHECK_INT(n_errors, 2);
	CHECK_CONTAINS(errors, "mdnsd-services.conf:2: domain 'example.com.' is not supported: only .local "
		       "is announced");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:6: expected the service type and at most the domain local");
}

TEST(mdns_bad_types_say_what_was_expected)
{
	parse("A\nipp\n1\n\nB\n_ipp._sctp\n1\n\nC\n_ipp\n1\n\nD\n__._tcp\n1\n\nE\n_sixteen-chars-xy._tcp\n1\n\n"
	      "F\n_a--b._tcp\n1\n\nG\n_-ab._tcp\n1\n\nH\n_123._tcp\n1\n\nI\n_ipp._tcp..\n1\n\n"
	      "J\n_fifteen-chars-x._tcp\n1\n");
	CHECK_INT(n_errors, 9);
	CHECK_INT(list.n, 1);
	CHECK_STR(list.s[0].type, "_fifteen-chars-x._tcp");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:2: 'ipp' is not a service type: expected _NAME._tcp or "
		       "_NAME._udp, e.g. _ipp._tcp");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:6: '_ipp._sctp' is not a service type");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:10: '_ipp' is not a service type");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:14: '__._tcp': the name after '_'");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:18: '_sixteen-chars-xy._tcp': the name after '_' must be 1 "
		       "to 15 letters, digits and hyphens");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:22: '_a--b._tcp': the name after '_'");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:26: '_-ab._tcp': the name after '_'");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:30: '_123._tcp': the name after '_'");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:34: '_ipp._tcp..' is not a service type");
}

TEST(mdns_bad_port)
{
	parse("A\n_a._tcp\n0\n\nB\n_a._tcp\n65536\n\nC\n_a._tcp\nhttp\n\nD\n_a._tcp\n80 81\n\nE\n_a._tcp\n65535\n");
	CHECK_INT(n_errors, 4);
	CHECK_INT(list.n, 1);
	CHECK_INT(list.s[0].port, 65535);
	CHECK_CONTAINS(errors, "mdnsd-services.conf:3: '0' is not a port: expected the service's port alone on "
		       "the line after its type, a number from 1 to 65535");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:7: '65536' is not a port");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:11: 'http' is not a port");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:15: '80' is not a port: expected the service's port alone");
}

TEST(mdns_missing_port_or_type)
{
	parse("Named only\n\nNo port\n_a._tcp\n#trailing comment\n\nAt the end\n_b._udp");
	CHECK_INT(n_errors, 3);
	CHECK_INT(list.n, 0);
	CHECK_CONTAINS(errors, "mdnsd-services.conf:1: 'Named only' has no service type: expected it on the "
		       "line after the name");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:4: 'No port' (_a._tcp) has no port: expected it on the "
		       "line after the type");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:8: 'At the end' (_b._udp) has no port");
}

/* The error names the bad line; the bad block's later lines are not read
 * as anything; the next block is whole. */
TEST(mdns_bad_block_skipped_next_one_parses)
{
	parse("# two services\n"
	      "Broken\n"
	      "_ipp._tcp\n"
	      "port 631\n"
	      "_http._tcp\n"
	      "\n"
	      "\n"
	      "Fine\n"
	      "_http._tcp\n"
	      "80\n"
	      "path=/\n");
	CHECK_INT(n_errors, 1);
	CHECK_CONTAINS(errors, "mdnsd-services.conf:4: 'port' is not a port");
	CHECK(!strstr(errors, "mdnsd-services.conf:5"));
	CHECK_INT(list.n, 1);
	CHECK_STR(list.s[0].name, "Fine");
	CHECK_INT(list.s[0].line, 8);
	CHECK_INT(list.s[0].port, 80);
	check_txt(0, "\6path=/", 7);
}

TEST(mdns_same_name_and_type_twice)
{
	parse("Box\n_ssh._tcp\n22\n\nBox\n_sftp-ssh._tcp\n22\n\nbox\n_SSH._tcp.\n2222\n");
	CHECK_INT(n_errors, 1);
	CHECK_INT(list.n, 2);
	CHECK_STR(list.s[1].type, "_sftp-ssh._tcp");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:9: 'box' (_SSH._tcp) is announced already by the block at "
		       "line 1: one block per name and type");
}

TEST(mdns_at_most_sixteen)
{
	char text[4096];
	size_t len = 0;

	for (int i = 0; i < MDNS_SERVICES_MAX + 1; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "s%d\n_a._tcp\n%d\n\n", i, 100 + i);
	parse(text);
	CHECK_INT(list.n, MDNS_SERVICES_MAX);
	CHECK_INT(n_errors, 1);
	CHECK_STR(list.s[15].name, "s15");
	CHECK_CONTAINS(errors, "mdnsd-services.conf:65: more than 16 services: this block and the ones after "
		       "it are skipped");
}

TEST(mdns_crlf_and_blank_separators)
{
	parse("\r\n#c\r\nPrinter\r\n_ipp._tcp local.\r\n631\r\nrp=a\r\n \t\r\nScanner\r\n_uscan._tcp\r\n8080\r\n");
	CHECK_STR(errors, "");
	CHECK_INT(list.n, 2);
	CHECK_STR(list.s[0].name, "Printer");
	CHECK_INT(list.s[0].line, 3);
	CHECK_INT(list.s[0].port, 631);
	check_txt(0, "\4rp=a", 5);
	CHECK_STR(list.s[1].name, "Scanner");
	CHECK_INT(list.s[1].port, 8080);
}

/* A comment anywhere, even inside a block, is skipped; a '#' inside a
 * line is data. */
TEST(mdns_comments_are_whole_lines)
{
	parse("# header\n#\nRoom #2\n# the type:\n_ipp._tcp\n#\n631\n# txt:\nnote=a#b\n");
	CHECK_INT(n_errors, 0);
	CHECK_INT(list.n, 1);
	CHECK_STR(list.s[0].name, "Room #2");
	CHECK_INT(list.s[0].line, 3);
	CHECK_INT(list.s[0].port, 631);
	check_txt(0, "\10note=a#b", 9);
}

/* A line the reader drops (too long, a NUL byte) leaves its block
 * incomplete: the block is skipped, not read with its lines shifted. */
TEST(mdns_unreadable_line_skips_its_block)
{
	static const char text[] = "A\n_a._tcp\n1\nk=\0v\n\nB\n_b._tcp\n2\n";

	parse_mem(text, sizeof(text) - 1);
	CHECK_INT(n_errors, 1);
	CHECK_CONTAINS(errors, "mdnsd-services.conf:4: binary data");
	CHECK_INT(list.n, 1);
	CHECK_STR(list.s[0].name, "B");
}

TEST(mdns_missing_file_is_no_services)
{
	list.n = 3;
	CHECK_INT(mdns_services_load("/nonexistent/mdnsd-services.conf", &list), -ENOENT);
	CHECK_INT(list.n, 0);
}

TEST(mdns_forward_check_tcp_forward_covers_the_port)
{
	parse("printer\n_ipp._tcp\n631\n");
	CHECK_INT(check_forwards("tcp 631 -> 10.0.0.2\n"), 0);
	CHECK_STR(errors, "");
	CHECK_INT(check_forwards("tcp+udp 631 -> 10.0.0.2:6310\n"), 0);
}

TEST(mdns_forward_check_udp_only_forward_for_a_tcp_service)
{
	parse("# x\n\nprinter\n_ipp._tcp\n631\n");
	CHECK_INT(check_forwards("udp 631 -> 10.0.0.2\ntcp 632 -> 10.0.0.2\ntcp 631 -> [fd00::2]\n"), 1);
	CHECK_CONTAINS(errors, "mdnsd-services.conf:3: 'printer' (_ipp._tcp) port 631 has no forward in "
		       "port_forwards.conf: the Wi-Fi side will find it but cannot connect");
}

TEST(mdns_forward_check_range_covering)
{
	parse("lo\n_a._udp\n5000\n\nmid\n_b._udp\n5005\n\nhi\n_c._udp\n5010\n\nout\n_d._udp\n5011\n");
	CHECK_INT(list.n, 4);
	CHECK_INT(check_forwards("udp 5000-5010 -> 10.0.0.2\n"), 1);
	CHECK_CONTAINS(errors, "mdnsd-services.conf:13: 'out' (_d._udp) port 5011 has no forward");
	CHECK(!strstr(errors, "'lo'") && !strstr(errors, "'mid'") && !strstr(errors, "'hi'"));
}
