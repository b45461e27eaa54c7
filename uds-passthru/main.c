/* uds-passthru: the wpa_supplicant/hostapd control-socket bridge between
 * Wifibox's guest and its host. The command line; the modes are in
 * guest.c and host.c. */
#include "udspconf.h"
#include "exitcodes.h"
#include "guest.h"
#include "host.h"
#include "hostaddr.h"
#include "log.h"
#include "shconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_RUNDIR "/run/uds-passthru"

static const char usage_text[] =
	"usage: uds-passthru guest [-v] [-d RUNDIR] [-i IFNAME] [-b FILE] FILE\n"
	"       uds-passthru host [-v] [-R] [-u USER] [-g GROUP] [-m MODE] PATH IP:PORT\n"
	"       uds-passthru host [-v] [-R] [-a IP] -c FILE\n"
	"       uds-passthru check [-p NAME]... FILE\n"
	"\n"
	"Bridges the control sockets of wpa_supplicant and hostapd (UNIX datagram\n"
	"sockets) between Wifibox's Linux guest and its FreeBSD host, over TCP.\n"
	"FILE is uds_passthru.conf: network=IP:MASK and sockets=\"path=P,port=N,...\".\n"
	"\n"
	"guest  Listen at network='s address, one TCP port per sockets= entry, for\n"
	"       peers in that subnet only. Each connection gets its own client socket\n"
	"       in RUNDIR; sockets that do not exist yet are waited for.\n"
	"         -d RUNDIR  client sockets' directory (" DEFAULT_RUNDIR ")\n"
	"         -i IFNAME  whose address to use when network= is not set (eth0)\n"
	"         -b FILE    bridged mode's host address, let in from outside the\n"
	"                    subnet (" HOSTADDR_FILE ", written by netd)\n"
	"host   Replace the host side's socat: a datagram socket at PATH, owned by\n"
	"       USER:GROUP with MODE (octal), bridged to the guest at IP:PORT; or\n"
	"       every socket of FILE (-c), the guest's address taken from network=\n"
	"       or given with -a. One TCP connection per client, framed when the\n"
	"       guest is uds-passthru, one per datagram when it is socat.\n"
	"         -R         never offer framing: behave exactly as socat\n"
	"check  Read FILE and print the bridge it describes; with -p, print the\n"
	"       value sh would give each NAME, each followed by a NUL byte.\n"
	"  -v   also log to stderr, debug messages included\n"
	"\n"
	"Exit status: 0 stopped by SIGTERM or SIGINT; 100 bad usage or configuration\n"
	"(starting again will not help); 111 a system call failed. SIGUSR1 logs\n"
	"the counters of relayed, dropped and refused traffic.\n";

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "uds-passthru: %s\n", why);
	fputs(usage_text, stderr);
	return EXIT_CONFIG;
}

/* Daemons log to syslog; stderr (init's console) gets only errors, such
 * as a broken config, unless -v asks for everything. */
static void open_log(int verbose, int to_syslog)
{
	log_open("uds-passthru", (to_syslog ? LOG_SINK_SYSLOG : 0) | LOG_SINK_STDERR);
	log_set_level(verbose ? LOG_DEBUG : LOG_INFO);
	log_set_stderr_level(verbose || !to_syslog ? LOG_DEBUG : LOG_ERR);
}

/* A status for a config that could not be loaded: a missing or broken
 * file is permanent; a read error may not be. */
static int load_status(int rc)
{
	return rc == -ENOENT || rc == -EINVAL || rc == -EISDIR ? EXIT_CONFIG : EXIT_SYSTEM;
}

static int load(struct udsp_config *cfg, const char *path)
{
	int rc = udsp_config_load(cfg, path);

	if (rc < 0 && rc != -EINVAL)
		log_err("%s: cannot read: %s", path, strerror(-rc));
	return rc;
}

static int cmd_guest(int argc, char **argv)
{
	struct guest_opts o = { .rundir = DEFAULT_RUNDIR, .ifname = "eth0", .hostaddr_file = HOSTADDR_FILE };
	static struct udsp_config cfg;
	int opt, verbose = 0, rc;

	while ((opt = getopt(argc, argv, "vd:i:b:")) != -1) {
		switch (opt) {
		case 'v':
			verbose = 1;
			break;
		case 'b':
			o.hostaddr_file = optarg;
			break;
		case 'd':
			o.rundir = optarg;
			break;
		case 'i':
			o.ifname = optarg;
			break;
		default:
			return usage(NULL);
		}
	}
	if (optind != argc - 1)
		return usage("guest: expected one FILE");
	o.config_path = argv[optind];
	open_log(verbose, 1);
	rc = load(&cfg, o.config_path);
	if (rc < 0)
		return load_status(rc);
	return guest_run(&o, &cfg);
}

static int parse_guest_address(const char *s, struct sockaddr_in *sa)
{
	char ip[INET_ADDRSTRLEN];
	const char *colon = strrchr(s, ':');
	char *end;
	unsigned long port;

	if (!colon || (size_t)(colon - s) >= sizeof(ip))
		return -1;
	memcpy(ip, s, (size_t)(colon - s));
	ip[colon - s] = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (*end || !colon[1] || port == 0 || port > 65535)
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, ip, &sa->sin_addr) == 1 ? 0 : -1;
}

struct host_args {
	const char *user, *group, *mode, *file, *ip;
};

static int host_from_file(struct host_opts *o, const struct host_args *a)
{
	static struct udsp_config cfg;
	struct in_addr ip;
	int rc = load(&cfg, a->file);

	if (rc < 0)
		return load_status(rc);
	if (a->ip && inet_pton(AF_INET, a->ip, &ip) != 1)
		return usage("host: -a expects an IPv4 address");
	if (!a->ip && !cfg.has_network) {
		log_err("%s: network is not set: give the guest's address with -a", a->file);
		return EXIT_CONFIG;
	}
	for (size_t i = 0; i < cfg.n_sockets; i++) {
		struct host_socket *hs = &o->sockets[i];

		hs->s = cfg.sockets[i];
		hs->guest.sin_family = AF_INET;
		hs->guest.sin_addr = a->ip ? ip : cfg.addr;
		hs->guest.sin_port = htons(cfg.sockets[i].port);
	}
	o->n_sockets = cfg.n_sockets;
	return 0;
}

static int host_from_args(struct host_opts *o, const struct host_args *a, const char *path,
			  const char *guest)
{
	struct host_socket *hs = &o->sockets[0];
	char *end;
	unsigned long mode;

	if (path[0] != '/' || strlen(path) > UDSP_MAX_PATH)
		return usage("host: PATH must be absolute and at most 103 bytes");
	if (parse_guest_address(guest, &hs->guest) < 0)
		return usage("host: expected the guest as IP:PORT, e.g. 10.0.0.1:1200");
	strcpy(hs->s.path, path);
	hs->s.mode = -1;
	if (a->mode) {
		mode = strtoul(a->mode, &end, 8);
		if (*end || !a->mode[0] || mode > 0777)
			return usage("host: -m expects octal permissions such as 660");
		hs->s.mode = (int)mode;
	}
	if ((a->user && strlen(a->user) > UDSP_MAX_OWNER) ||
	    (a->group && strlen(a->group) > UDSP_MAX_OWNER))
		return usage("host: user or group name too long");
	strcpy(hs->s.user, a->user ? a->user : "");
	strcpy(hs->s.group, a->group ? a->group : "");
	o->n_sockets = 1;
	return 0;
}

static int cmd_host(int argc, char **argv)
{
	static struct host_opts o;
	struct host_args a = { 0 };
	int opt, verbose = 0, rc;

	while ((opt = getopt(argc, argv, "vRu:g:m:c:a:")) != -1) {
		switch (opt) {
		case 'v':
			verbose = 1;
			break;
		case 'R':
			o.raw_only = 1;
			break;
		case 'u':
			a.user = optarg;
			break;
		case 'g':
			a.group = optarg;
			break;
		case 'm':
			a.mode = optarg;
			break;
		case 'c':
			a.file = optarg;
			break;
		case 'a':
			a.ip = optarg;
			break;
		default:
			return usage(NULL);
		}
	}
	open_log(verbose, 1);
	if (a.file && optind == argc && !a.user && !a.group && !a.mode)
		rc = host_from_file(&o, &a);
	else if (!a.file && !a.ip && optind == argc - 2)
		rc = host_from_args(&o, &a, argv[optind], argv[optind + 1]);
	else
		rc = usage("host: expected PATH IP:PORT, or -c FILE");
	return rc ? rc : host_run(&o);
}

static void print_config(const struct udsp_config *cfg)
{
	char ip[INET_ADDRSTRLEN], mask[INET_ADDRSTRLEN];

	if (cfg->has_network) {
		inet_ntop(AF_INET, &cfg->addr, ip, sizeof(ip));
		inet_ntop(AF_INET, &cfg->mask, mask, sizeof(mask));
		printf("network %s %s\n", ip, mask);
	} else {
		printf("network (not set: the guest uses eth0's address)\n");
	}
	for (size_t i = 0; i < cfg->n_sockets; i++) {
		const struct udsp_socket *s = &cfg->sockets[i];

		printf("socket %s port %u", s->path, s->port);
		if (s->user[0])
			printf(" user %s", s->user);
		if (s->group[0])
			printf(" group %s", s->group);
		if (s->mode >= 0)
			printf(" mode %03o", (unsigned)s->mode);
		printf("\n");
	}
}

static int print_values(const char *path, char **names, int n)
{
	struct shconf sc;
	int rc = shconf_parse_file(&sc, path);

	if (rc == 0) {
		for (int i = 0; i < n; i++) {
			const char *v = shconf_get(&sc, names[i]);

			fputs(v ? v : "", stdout);
			putchar('\0');
		}
	} else if (rc != -EINVAL) {
		log_err("%s: cannot read: %s", path, strerror(-rc));
	}
	shconf_free(&sc);
	return rc == 0 ? 0 : load_status(rc);
}

static int cmd_check(int argc, char **argv)
{
	static struct udsp_config cfg;
	char *names[32];
	int opt, n = 0, rc;

	while ((opt = getopt(argc, argv, "p:")) != -1) {
		if (opt != 'p' || n == 32)
			return usage(opt == 'p' ? "check: at most 32 -p" : NULL);
		names[n++] = optarg;
	}
	if (optind != argc - 1)
		return usage("check: expected one FILE");
	open_log(0, 0);
	if (n)
		return print_values(argv[optind], names, n);
	rc = load(&cfg, argv[optind]);
	if (rc < 0)
		return load_status(rc);
	print_config(&cfg);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(NULL);
	if (strcmp(argv[1], "guest") == 0)
		return cmd_guest(argc - 1, argv + 1);
	if (strcmp(argv[1], "host") == 0)
		return cmd_host(argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	return usage("expected guest, host or check");
}
