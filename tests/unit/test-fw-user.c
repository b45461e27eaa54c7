/* The user's iptables file: the command netd runs, the once-per-boot
 * stamp, and iptables-restore's errors turned into file:line. */
#include "firewall.h"
#include "check.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/test-fw-user.XXXXXX";
static char rules[300], stamp[300];

/* The scratch directory goes when the program ends: a fixture, not a test
 * (as a TEST it was counted, and its failure read as netd's). */
static void remove_dir(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static void setup(void)
{
	FILE *f;

	if (!rules[0]) {
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			exit(1);
		}
		atexit(remove_dir);
		snprintf(rules, sizeof(rules), "%s/iptables", dir);
		snprintf(stamp, sizeof(stamp), "%s/run/netd/iptables.loaded", dir);
	}
	unlink(stamp);
	f = fopen(rules, "w");
	fputs("*nat\n-A POSTROUTING -o wlan0 -j MASQUERADE\nCOMMIT\n", f);
	fclose(f);
}

static int exited(int code)
{
	return code << 8;	/* a wait status for exit(code) */
}

TEST(command_line)
{
	struct fw_user_rules u;

	setup();
	CHECK_INT(fw_user_rules_prepare(&u, FW_IPTABLES_RESTORE, rules, stamp), 1);
	CHECK_STR(u.argv[0], "/usr/sbin/iptables-restore");
	CHECK_STR(u.argv[1], "--noflush");
	CHECK_STR(u.argv[2], "--wait=10");
	CHECK_STR(u.argv[3], rules);
	CHECK(u.argv[4] == NULL);
}

TEST(no_file_nothing_to_run)
{
	struct fw_user_rules u;

	CHECK_INT(fw_user_rules_prepare(&u, FW_IPTABLES_RESTORE, "/nonexistent/iptables", stamp), 0);
	CHECK(u.argv[0] == NULL);
}

TEST(loaded_once_per_boot)
{
	struct fw_user_rules u;

	setup();
	CHECK_INT(fw_user_rules_prepare(&u, FW_IPTABLES_RESTORE, rules, stamp), 1);
	CHECK(WIFEXITED(exited(0)));
	CHECK_INT(fw_user_rules_done(&u, exited(0), "", 0), 0);
	CHECK_INT(access(stamp, F_OK), 0);
	/* a netd restart: the rules are in the kernel already */
	CHECK_INT(fw_user_rules_prepare(&u, FW_IPTABLES_RESTORE, rules, stamp), 0);
}

TEST(a_failed_file_is_reported_and_not_retried)
{
	struct fw_user_rules u;

	setup();
	CHECK_INT(fw_user_rules_prepare(&u, FW_IPTABLES_RESTORE, rules, stamp), 1);
	CHECK_INT(fw_user_rules_done(&u, exited(2), "oops\n", 5), -1);
	CHECK_INT(fw_user_rules_prepare(&u, FW_IPTABLES_RESTORE, rules, stamp), 0);
}

TEST(parse_error_names_file_and_line)
{
	struct fw_user_rules u;
	char msg[1024];
	const char *out =
		"iptables-restore v1.8.9 (legacy): unknown option \"--bogus\"\n"
		"Error occurred at line: 5\n"
		"Try `iptables-restore -h' or 'iptables-restore --help' for more information.\n";

	setup();
	fw_user_rules_prepare(&u, FW_IPTABLES_RESTORE, rules, stamp);
	fw_user_rules_explain(&u, exited(2), out, strlen(out), msg, sizeof(msg));
	CHECK_CONTAINS(msg, "/iptables:5: unknown option \"--bogus\" (/usr/sbin/iptables-restore, exit status 2)");
	CHECK_CONTAINS(msg, "netd's own rules are unchanged");
}

TEST(commit_error_names_the_line)
{
	struct fw_user_rules u;
	char msg[1024];
	const char *out = "iptables-restore: line 3 failed\n";

	setup();
	fw_user_rules_prepare(&u, FW_IPTABLES_RESTORE, rules, stamp);
	fw_user_rules_explain(&u, exited(1), out, strlen(out), msg, sizeof(msg));
	CHECK_CONTAINS(msg, "/iptables:3: iptables-restore: line 3 failed (");
}

TEST(no_output_or_a_signal)
{
	struct fw_user_rules u;
	char msg[1024];

	setup();
	fw_user_rules_prepare(&u, FW_IPTABLES_RESTORE, rules, stamp);
	fw_user_rules_explain(&u, exited(127), NULL, 0, msg, sizeof(msg));
	CHECK_CONTAINS(msg, "/iptables: no message (/usr/sbin/iptables-restore, exit status 127)");
	fw_user_rules_explain(&u, 9, "", 0, msg, sizeof(msg));
	CHECK_CONTAINS(msg, "killed by signal 9");
}

TEST(paths_too_long_are_refused)
{
	struct fw_user_rules u;
	char longpath[400];

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	CHECK_INT(fw_user_rules_prepare(&u, FW_IPTABLES_RESTORE, longpath, stamp), -1);
}
