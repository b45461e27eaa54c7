/* The integration tests' driver: netd's firewall code, run alone. It does
 * what netd does with a description given on the command line:
 *
 *   fw-apply [--mode station|ap] [--uplink IF] [--inside IF]
 *            [--net A.B.C.D/N] [--self A.B.C.D] [--forwards FILE]
 *            [--ipv6 [--self6 ADDR6/N]]
 *            [--bridge PORT]... [--print | --counters | --no-apply]
 *            [--user-rules FILE --restore PROGRAM --stamp FILE]
 *            [--time]
 *
 * --print writes the rule set in iptables-restore form and touches no
 * table; --counters prints netd's counters after applying; --user-rules
 * loads a user's file the way netd does (fork, exec, collect the output);
 * --time prints the time fw_apply() took, in microseconds; --ipv6 programs
 * the IPv6 tables too (--print then writes the IPv6 rule set after the
 * IPv4 one), --self6 is the guest's inside IPv6 address (fd00::ffff/64).
 * Exit status: 0 applied, 1 fw_apply or the user's rules failed, 2 usage. */
#include "firewall.h"
#include "forwards.h"
#include "fw-rules.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct opts {
	struct fw_config c;
	struct fwd_env env;
	const char *forwards, *user_rules, *restore, *stamp;
	uint16_t bridge[FW_MAX_BRIDGE_PORTS];
	int print, counters, no_apply, time;
};

static void usage(void)
{
	fprintf(stderr, "usage: fw-apply [--mode station|ap] [--uplink IF] [--inside IF] "
		"[--net A.B.C.D/N] [--self A.B.C.D] [--forwards FILE] [--bridge PORT]... "
		"[--print|--counters|--no-apply] [--user-rules FILE --restore PROG --stamp FILE] "
		"[--time] [--ipv6 [--self6 ADDR6/N]]\n");
	exit(2);
}

static void parse_net(const char *s, struct opts *o)
{
	char addr[32];
	const char *slash = strchr(s, '/');
	int prefix = slash ? atoi(slash + 1) : 24;

	snprintf(addr, sizeof(addr), "%.*s", slash ? (int)(slash - s) : (int)strlen(s), s);
	if (inet_pton(AF_INET, addr, &o->c.inside_net) != 1 || prefix < 1 || prefix > 32)
		usage();
	o->c.inside_mask.s_addr = htonl(~0u << (32 - prefix));
	o->env.net = o->c.inside_net;
	o->env.mask = o->c.inside_mask;
}

static void parse_self6(const char *s, struct opts *o)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	int prefix = slash ? atoi(slash + 1) : 64;

	snprintf(addr, sizeof(addr), "%.*s", slash ? (int)(slash - s) : (int)strlen(s), s);
	if (inet_pton(AF_INET6, addr, &o->env.self6) != 1 || prefix < 1 || prefix > 128)
		usage();
	o->env.prefix6 = (uint8_t)prefix;
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "mode", 1, NULL, 'm' }, { "uplink", 1, NULL, 'u' }, { "inside", 1, NULL, 'i' },
		{ "net", 1, NULL, 'n' }, { "self", 1, NULL, 's' }, { "forwards", 1, NULL, 'f' },
		{ "bridge", 1, NULL, 'b' }, { "print", 0, NULL, 'p' }, { "counters", 0, NULL, 'c' },
		{ "no-apply", 0, NULL, 'N' }, { "user-rules", 1, NULL, 'U' },
		{ "restore", 1, NULL, 'R' }, { "stamp", 1, NULL, 'S' }, { "time", 0, NULL, 't' },
		{ "ipv6", 0, NULL, '6' }, { "self6", 1, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (ch) {
		case 'm':
			if (strcmp(optarg, "station") && strcmp(optarg, "ap"))
				usage();
			o->c.mode = strcmp(optarg, "ap") ? FW_MODE_STATION : FW_MODE_AP;
			break;
		case 'u':
			snprintf(o->c.uplink, sizeof(o->c.uplink), "%s", optarg);
			break;
		case 'i':
			snprintf(o->c.inside, sizeof(o->c.inside), "%s", optarg);
			break;
		case 'n':
			parse_net(optarg, o);
			break;
		case 's':
			if (inet_pton(AF_INET, optarg, &o->env.self) != 1)
				usage();
			break;
		case 'f':
			o->forwards = optarg;
			break;
		case 'b':
			if (o->c.n_bridge_ports >= FW_MAX_BRIDGE_PORTS)
				usage();
			o->bridge[o->c.n_bridge_ports++] = (uint16_t)atoi(optarg);
			break;
		case 'p':
			o->print = 1;
			break;
		case 'c':
			o->counters = 1;
			break;
		case 'N':
			o->no_apply = 1;
			break;
		case 'U':
			o->user_rules = optarg;
			break;
		case 'R':
			o->restore = optarg;
			break;
		case 'S':
			o->stamp = optarg;
			break;
		case 't':
			o->time = 1;
			break;
		case '6':
			o->c.ipv6 = 1;
			break;
		case 'x':
			parse_self6(optarg, o);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (o->user_rules && (!o->restore || !o->stamp)))
		usage();
}

static int run_user_rules(const struct opts *o)
{
	struct fw_user_rules u;
	char out[4096];
	size_t len = 0;
	ssize_t n;
	int pipefd[2], wstatus;
	pid_t pid;

	if (fw_user_rules_prepare(&u, o->restore, o->user_rules, o->stamp) != 1)
		return 0;
	if (pipe(pipefd) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execv(u.argv[0], (char *const *)(uintptr_t)u.argv);
		_exit(127);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)n;
	close(pipefd[0]);
	waitpid(pid, &wstatus, 0);
	out[len] = '\0';
	return fw_user_rules_done(&u, wstatus, out, len);
}

static void print_counter(const char *comment, uint64_t packets, uint64_t bytes, void *ctx)
{
	(void)ctx;
	printf("rule \"%s\" %llu packets %llu bytes\n", comment, (unsigned long long)packets,
	       (unsigned long long)bytes);
}

static int print_counters(void)
{
	struct fw_counters t;

	if (fw_read_counters(&t) < 0 || fw_each_counter(print_counter, NULL) < 0)
		return -1;
	printf("forwarded %llu packets %llu bytes\n", (unsigned long long)t.forwarded_packets,
	       (unsigned long long)t.forwarded_bytes);
	printf("dropped-inbound %llu packets %llu bytes\n",
	       (unsigned long long)t.dropped_inbound_packets,
	       (unsigned long long)t.dropped_inbound_bytes);
	return 0;
}

static int apply(const struct opts *o)
{
	struct timespec a, b;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &a);
	rc = fw_apply(&o->c);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (o->time)
		printf("fw_apply %ld us\n",
		       (long)((b.tv_sec - a.tv_sec) * 1000000 + (b.tv_nsec - a.tv_nsec) / 1000));
	return rc;
}

int main(int argc, char **argv)
{
	static struct opts o;
	static struct fwd_list forwards;
	static struct fw_ruleset rs;

	log_open("fw-apply", LOG_SINK_STDERR);
	snprintf(o.c.inside, sizeof(o.c.inside), "eth0");
	parse_net("10.0.0.0/24", &o);
	inet_pton(AF_INET, "10.0.0.1", &o.env.self);
	parse_args(argc, argv, &o);
	if (o.c.ipv6 && !o.env.prefix6)
		parse_self6("fd00::ffff/64", &o);
	o.c.bridge_ports = o.bridge;
	if (o.forwards) {
		int rc = fwd_load(o.forwards, &o.env, &forwards);

		if (rc < 0 && rc != -ENOENT)
			fprintf(stderr, "fw-apply: %s: %s\n", o.forwards, strerror(-rc));
		o.c.forwards = forwards.items;
		o.c.n_forwards = forwards.n;
	}
	if (o.print) {
		if (fw_build(&o.c, &rs) < 0 || fw_ruleset_write_restore(&rs, stdout) < 0)
			return 1;
		if (o.c.ipv6 && (fw_build6(&o.c, &rs) < 0 || fw_ruleset_write_restore(&rs, stdout) < 0))
			return 1;
		return 0;
	}
	if (!o.no_apply && apply(&o) < 0)
		return 1;
	if (o.user_rules && run_user_rules(&o) < 0)
		return 1;
	if (o.counters && print_counters() < 0)
		return 1;
	return 0;
}
