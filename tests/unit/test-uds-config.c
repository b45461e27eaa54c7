#include "check.h"
#include "../../lib/udspconf.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>

static const char wpa_sample[] =
	"network=10.0.0.1:255.255.255.0\n"
	"_sockdir=/var/run/wpa_supplicant\n"
	"_perms=\"user=root,group=0,mode=770\"\n"
	"sockets=\"path=${_sockdir}/wlan0,${_perms},port=1200\n"
	"path=${_sockdir}/p2p-dev-wlan0,${_perms},port=1201\"\n";

static const char hostapd_sample[] =
	"network=10.0.0.2:255.255.255.0\n"
	"_sockdir=/var/run/hostapd\n"
	"_perms=\"user=root,group=0,mode=770\"\n"
	"sockets=\"path=${_sockdir}/wlan0,${_perms},port=1200\"\n";

static int parse(struct udsp_config *cfg, const char *text)
{
	return udsp_config_parse(cfg, "u.conf", text, strlen(text));
}

static void check_rejected(const char *text, const char *where, const char *what)
{
	struct udsp_config cfg;

	CHECK_INT(parse(&cfg, text), -EINVAL);
	CHECK_CONTAINS(cfg.error, where);
	CHECK_CONTAINS(cfg.error, what);
}

static const char *ip(struct in_addr a)
{
	static char buf[4][INET_ADDRSTRLEN];
	static int n;

	return inet_ntop(AF_INET, &a, buf[n++ % 4], INET_ADDRSTRLEN);
}

TEST(config_reads_wpa_supplicant_sample)
{
	struct udsp_config cfg;

	log_open("test", 0);
	CHECK_INT(parse(&cfg, wpa_sample), 0);
	CHECK(cfg.has_network);
	CHECK_STR(ip(cfg.addr), "10.0.0.1");
	CHECK_STR(ip(cfg.mask), "255.255.255.0");
	CHECK_INT(cfg.n_sockets, 2);
	CHECK_STR(cfg.sockets[0].path, "/var/run/wpa_supplicant/wlan0");
	CHECK_INT(cfg.sockets[0].port, 1200);
	CHECK_STR(cfg.sockets[0].user, "root");
	CHECK_STR(cfg.sockets[0].group, "0");
	CHECK_INT(cfg.sockets[0].mode, 0770);
	CHECK_INT(cfg.sockets[0].line, 4);
	CHECK_STR(cfg.sockets[1].path, "/var/run/wpa_supplicant/p2p-dev-wlan0");
	CHECK_INT(cfg.sockets[1].port, 1201);
	CHECK_INT(cfg.sockets[1].line, 5);
}

TEST(config_reads_hostapd_sample)
{
	struct udsp_config cfg;

	CHECK_INT(parse(&cfg, hostapd_sample), 0);
	CHECK_STR(ip(cfg.addr), "10.0.0.2");
	CHECK_INT(cfg.n_sockets, 1);
	CHECK_STR(cfg.sockets[0].path, "/var/run/hostapd/wlan0");
}

TEST(config_takes_what_the_shell_loop_takes)
{
	struct udsp_config cfg;

	/* Blanks or newlines between entries, fields in any order, empty
	 * fields, optional owner and mode. */
	CHECK_INT(parse(&cfg, "network=10.0.0.1/24\n"
			      "sockets=' port=1200,path=/a,,  path=/b,port=1201,\n\tpath=/c,port=7 '\n"),
		  0);
	CHECK_STR(ip(cfg.mask), "255.255.255.0");
	CHECK_INT(cfg.n_sockets, 3);
	CHECK_STR(cfg.sockets[0].path, "/a");
	CHECK_INT(cfg.sockets[0].mode, -1);
	CHECK_STR(cfg.sockets[0].user, "");
	CHECK_INT(cfg.sockets[2].port, 7);
	CHECK_INT(cfg.sockets[2].line, 3);
}

TEST(config_network_is_optional)
{
	struct udsp_config cfg;

	CHECK_INT(parse(&cfg, "sockets=path=/a,port=1\n"), 0);
	CHECK(!cfg.has_network);
}

TEST(config_rejects_bad_network)
{
	check_rejected("network=10.0.0.1\nsockets=path=/a,port=1\n", "u.conf:1:", "expected IP:MASK");
	check_rejected("network=10.0.0.1:255.0.255.0\nsockets=path=/a,port=1\n", "u.conf:1:",
		       "expected IP:MASK");
	check_rejected("network=10.0.0.300:255.0.0.0\nsockets=path=/a,port=1\n", "u.conf:1:",
		       "expected IP:MASK");
	check_rejected("network=10.0.0.1/33\nsockets=path=/a,port=1\n", "u.conf:1:", "IP:MASK");
}

TEST(config_rejects_bad_entries_on_their_line)
{
	check_rejected("sockets=\"path=/a,port=1\npath=/b,prot=2\"\n", "u.conf:2:",
		       "'prot' is not a sockets key (did you mean 'port'?)");
	check_rejected("sockets=\"path=/a,port=1\npath=/b\"\n", "u.conf:2:", "needs path= and port=");
	check_rejected("sockets=\"path=/a,port=1 path=/b,port=1\"\n", "u.conf:1:",
		       "port 1 is used twice");
	check_rejected("sockets=\"path=/a,port=1 path=/a,port=2\"\n", "u.conf:1:",
		       "bridged twice");
	check_rejected("sockets=path=/a,port=0\n", "u.conf:1:", "1 to 65535");
	check_rejected("sockets=path=/a,port=65536\n", "u.conf:1:", "1 to 65535");
	check_rejected("sockets=path=/a,port=12x\n", "u.conf:1:", "1 to 65535");
	check_rejected("sockets=path=a,port=1\n", "u.conf:1:", "absolute path");
	check_rejected("sockets=path=/a,port=1,mode=789\n", "u.conf:1:", "octal");
	check_rejected("sockets=path=/a,port=1,mode=1777\n", "u.conf:1:", "octal");
	check_rejected("sockets=path=/a,port=1,user=r%t\n", "u.conf:1:", "user or group");
	check_rejected("sockets=path=/a,port=1,path=/b\n", "u.conf:1:", "path is given twice");
	check_rejected("sockets=path=/a,port\n", "u.conf:1:", "expected key=value");
	check_rejected("x=1\n", "u.conf:1:", "sockets is not set");
	check_rejected("sockets=' '\n", "u.conf:1:", "sockets is empty");
}

TEST(config_rejects_long_paths)
{
	char text[300] = "sockets=path=/";

	memset(text + strlen(text), 'p', UDSP_MAX_PATH);
	strcat(text, ",port=1\n");
	check_rejected(text, "u.conf:1:", "too long for a socket");
}

TEST(config_rejects_too_many_sockets)
{
	char text[2048] = "sockets=\"";

	for (int i = 1; i <= UDSP_MAX_SOCKETS + 1; i++)
		sprintf(text + strlen(text), "path=/s%d,port=%d\n", i, i);
	strcat(text, "\"\n");
	check_rejected(text, "u.conf:17:", "more than 16 sockets");
}

TEST(config_passes_shell_errors_through)
{
	check_rejected("network=10.0.0.1:255.255.255.0\nsockets=$(ls)\n", "u.conf:2:",
		       "command substitution");
}

TEST(config_parse_network_forms)
{
	struct in_addr a, m;

	CHECK_INT(udsp_parse_network("192.168.1.7:255.255.0.0", &a, &m), 0);
	CHECK_STR(ip(a), "192.168.1.7");
	CHECK_STR(ip(m), "255.255.0.0");
	CHECK_INT(udsp_parse_network("192.168.1.7/0", &a, &m), 0);
	CHECK_STR(ip(m), "0.0.0.0");
	CHECK_INT(udsp_parse_network("192.168.1.7/32", &a, &m), 0);
	CHECK_STR(ip(m), "255.255.255.255");
	CHECK_INT(udsp_parse_network("192.168.1.7/", &a, &m), -EINVAL);
	CHECK_INT(udsp_parse_network(":255.0.0.0", &a, &m), -EINVAL);
	CHECK_INT(udsp_parse_network("", &a, &m), -EINVAL);
}
