/* sysctl.conf parsing and reporting, against a stand-in for /proc/sys. */
#include "sysctl.h"
#include "check.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* The stand-in: a few known settings; writes are recorded. */
static const char *const known[] = {
	"net/ipv4/ip_forward", "net/ipv4/conf/all/rp_filter", "net/ipv4/tcp_syncookies",
	"kernel/panic", "net/ipv4/ip_local_port_range", "net/ipv4/conf/eth0.1/rp_filter",
};
static char written[4096];
static char errors[8192];
static unsigned n_errors;

static int fake_write(void *ctx, const char *path, const char *value)
{
	size_t i, len = strlen(written);

	(void)ctx;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strcmp(path, known[i]))
			continue;
		if (!strcmp(value, "bad"))
			return -EINVAL;
		snprintf(written + len, sizeof(written) - len, "%s=%s;", path, value);
		return 0;
	}
	return -ENOENT;
}

static size_t fake_list(void *ctx, const char *dir, char (*names)[SYSCTL_NAME_MAX], size_t max)
{
	size_t i, n = 0, dlen = strlen(dir);

	(void)ctx;
	for (i = 0; i < sizeof(known) / sizeof(known[0]) && n < max; i++)
		if (!strncmp(known[i], dir, dlen) && known[i][dlen] == '/' && !strchr(known[i] + dlen + 1, '/'))
			snprintf(names[n++], SYSCTL_NAME_MAX, "%s", known[i] + dlen + 1);
	return n;
}

static const struct sysctl_ops fake = { fake_write, fake_list, NULL };

static void capture_begin(FILE **f, int *saved)
{
	log_open("test", LOG_SINK_STDERR);
	*f = tmpfile();
	*saved = dup(2);
	dup2(fileno(*f), 2);
}

static void capture_end(FILE *f, int saved)
{
	size_t len;

	dup2(saved, 2);
	close(saved);
	rewind(f);
	len = fread(errors, 1, sizeof(errors) - 1, f);
	errors[len] = '\0';
	fclose(f);
}

static void apply(const char *text)
{
	struct conf_reader r;
	FILE *f;
	int saved;

	written[0] = '\0';
	capture_begin(&f, &saved);
	conf_open_mem(&r, "sysctl.conf", text, strlen(text));
	n_errors = sysctl_apply_reader(&r, &fake);
	conf_close(&r);
	capture_end(f, saved);
}

TEST(key_paths)
{
	char path[128];

	CHECK_INT(sysctl_key_path("net.ipv4.ip_forward", path, sizeof(path)), 0);
	CHECK_STR(path, "net/ipv4/ip_forward");
	CHECK_INT(sysctl_key_path("net/ipv4/conf/eth0.1/rp_filter", path, sizeof(path)), 0);
	CHECK_STR(path, "net/ipv4/conf/eth0.1/rp_filter");
	CHECK_INT(sysctl_key_path("", path, sizeof(path)), -1);
	CHECK_INT(sysctl_key_path("net..ipv4", path, sizeof(path)), -1);
	CHECK_INT(sysctl_key_path("net/../../etc/passwd", path, sizeof(path)), -1);
	CHECK_INT(sysctl_key_path("/etc/passwd", path, sizeof(path)), -1);
	CHECK_INT(sysctl_key_path("net.ipv4.conf.*.rp_filter", path, sizeof(path)), -1);
	CHECK_INT(sysctl_key_path("net.ipv4.", path, sizeof(path)), -1);
	CHECK_INT(sysctl_key_path("net.ipv4.ip_forward", path, 8), -1);
}

TEST(todays_file_applies)
{
	apply("# sysctl.conf from the Alpine guest\n"
	      "net.ipv4.ip_forward = 1\n"
	      "net.ipv4.conf.all.rp_filter=1\n"
	      "  net.ipv4.tcp_syncookies   =   1  \n"
	      "; a comment the procps way\n"
	      "kernel.panic = 30\n"
	      "net.ipv4.ip_local_port_range = 32768 60999\n");
	CHECK_INT(n_errors, 0);
	CHECK_STR(written, "net/ipv4/ip_forward=1;net/ipv4/conf/all/rp_filter=1;"
			   "net/ipv4/tcp_syncookies=1;kernel/panic=30;"
			   "net/ipv4/ip_local_port_range=32768 60999;");
	CHECK_STR(errors, "");
}

TEST(unknown_keys_are_reported_with_a_suggestion)
{
	apply("net.ipv4.ip_forwad = 1\n"
	      "kernel.panic = 30\n"
	      "net.nonsense.thing = 1\n");
	CHECK_INT(n_errors, 2);
	CHECK_STR(written, "kernel/panic=30;");
	CHECK_CONTAINS(errors, "sysctl.conf:1: 'net.ipv4.ip_forwad' is not a known setting "
			       "(no /proc/sys/net/ipv4/ip_forwad): did you mean 'ip_forward'?");
	CHECK_CONTAINS(errors, "sysctl.conf:3: 'net.nonsense.thing' is not a known setting "
			       "(no /proc/sys/net/nonsense/thing)\n");
}

TEST(bad_lines_do_not_stop_the_rest)
{
	apply("just words\n"
	      "net.ipv4.ip_forward =\n"
	      "net.ipv4.conf.*.rp_filter = 1\n"
	      "kernel.panic = bad\n"
	      "-net.ipv4.missing = 1\n"
	      "-kernel.panic = bad\n"
	      "net.ipv4.ip_forward = 1\n");
	CHECK_INT(n_errors, 4);
	CHECK_STR(written, "net/ipv4/ip_forward=1;");
	CHECK_CONTAINS(errors, "sysctl.conf:1: expected 'key = value'");
	CHECK_CONTAINS(errors, "sysctl.conf:2: no value for 'net.ipv4.ip_forward'");
	CHECK_CONTAINS(errors, "sysctl.conf:3: 'net.ipv4.conf.*.rp_filter' is not a setting name");
	CHECK_CONTAINS(errors, "sysctl.conf:4: cannot set kernel.panic to 'bad': Invalid argument");
	/* '-' keys fail quietly */
	CHECK(!strstr(errors, "sysctl.conf:5"));
	CHECK(!strstr(errors, "sysctl.conf:6"));
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

TEST(config_dir_order_sysctl_conf_last)
{
	char dir[] = "/tmp/test-fw-sysctl.XXXXXX", path[256];
	FILE *f;
	int saved;
	unsigned n;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/sysctl.d", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sysctl.d/20-b.conf", dir);
	write_text(path, "kernel.panic = 20\n");
	snprintf(path, sizeof(path), "%s/sysctl.d/10-a.conf", dir);
	write_text(path, "kernel.panic = 10\nnet.ipv4.typo = 1\n");
	snprintf(path, sizeof(path), "%s/sysctl.d/README", dir);
	write_text(path, "not a conf file\n");
	snprintf(path, sizeof(path), "%s/sysctl.conf", dir);
	write_text(path, "kernel.panic = 30\n");
	written[0] = '\0';
	capture_begin(&f, &saved);
	n = sysctl_apply_config(dir, &fake);
	capture_end(f, saved);
	CHECK_INT(n, 1);
	CHECK_STR(written, "kernel/panic=10;kernel/panic=20;kernel/panic=30;");
	CHECK_CONTAINS(errors, "/sysctl.d/10-a.conf:2: 'net.ipv4.typo' is not a known setting");
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CHECK_INT(system(path), 0);
}

TEST(missing_config_is_fine)
{
	written[0] = '\0';
	CHECK_INT(sysctl_apply_config("/nonexistent", &fake), 0);
	CHECK_STR(written, "");
}

/* Issue 14: netd turns forwarding on only once its rules are in place;
 * these keys are the ones it holds back from the user's files. */
TEST(sysctl_forwarding_keys_are_known_by_family)
{
	CHECK_INT(sysctl_forwarding_family("net/ipv4/ip_forward"), 4);
	CHECK_INT(sysctl_forwarding_family("net/ipv4/conf/all/forwarding"), 4);
	CHECK_INT(sysctl_forwarding_family("net/ipv4/conf/eth0.1/forwarding"), 4);
	CHECK_INT(sysctl_forwarding_family("net/ipv6/conf/default/forwarding"), 6);
	CHECK_INT(sysctl_forwarding_family("net/ipv6/conf/wlan0/forwarding"), 6);
	CHECK_INT(sysctl_forwarding_family("net/ipv4/conf/all/rp_filter"), 0);
	CHECK_INT(sysctl_forwarding_family("net/ipv6/conf/all/mc_forwarding"), 0);
	CHECK_INT(sysctl_forwarding_family("net/ipv4/ip_forward_use_pmtu"), 0);
	CHECK_INT(sysctl_forwarding_family("net/ipv4/conf/forwarding"), 0);
}
