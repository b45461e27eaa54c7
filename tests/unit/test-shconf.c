#include "check.h"
#include "log.h"
#include "shconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Wifibox's own sample, etc/wpa_supplicant/appliance/uds_passthru.conf.sample. */
static const char wpa_sample[] =
	"# This is a configuration file for the Unix Domain Socket (UDS)\n"
	"# pass-through feature.\n"
	"\n"
	"# The `network` setting should specify the IP address of the guest,\n"
	"# which should match how it was defined in the interfaces.conf file.\n"
	"network=10.0.0.1:255.255.255.0\n"
	"\n"
	"# The `sockets` setting should list all the sockets to be forwarded\n"
	"# for the host on the given ports.  The `path` will be created on the\n"
	"# host as a UDS with the specific owner and permissions, independently\n"
	"# of how it was set in wpa_supplicant.conf.  When `p2p_disabled=1` is\n"
	"# set for wpa_supplicant.conf, it might make sense to remove the\n"
	"# corresponding forwarding.  Keep this in sync with\n"
	"# wpa_supplicant.conf in general.\n"
	"_sockdir=/var/run/wpa_supplicant\n"
	"_perms=\"user=root,group=0,mode=770\"\n"
	"sockets=\"path=${_sockdir}/wlan0,${_perms},port=1200\n"
	"path=${_sockdir}/p2p-dev-wlan0,${_perms},port=1201\"\n";

static int parse(struct shconf *c, const char *text)
{
	return shconf_parse_mem(c, "t.conf", text, strlen(text));
}

/* Parses text that must be rejected; checks the line and the message. */
static void check_rejected(const char *text, unsigned line, const char *what)
{
	struct shconf c;
	char prefix[32];

	CHECK_INT(parse(&c, text), -EINVAL);
	CHECK_INT(c.error_line, line);
	snprintf(prefix, sizeof(prefix), "t.conf:%u: ", line);
	CHECK_CONTAINS(c.error, prefix);
	CHECK_CONTAINS(c.error, what);
	shconf_free(&c);
}

/* Parses text that must be accepted; checks one variable's value. */
static void check_value(const char *text, const char *name, const char *want)
{
	struct shconf c;

	CHECK_INT(parse(&c, text), 0);
	CHECK_STR(c.error, "");
	CHECK_STR(shconf_get(&c, name), want);
	shconf_free(&c);
}

TEST(shconf_reads_wifibox_sample)
{
	struct shconf c;

	log_open("test", 0);
	CHECK_INT(parse(&c, wpa_sample), 0);
	CHECK_STR(shconf_get(&c, "network"), "10.0.0.1:255.255.255.0");
	CHECK_STR(shconf_get(&c, "sockets"),
		  "path=/var/run/wpa_supplicant/wlan0,user=root,group=0,mode=770,port=1200\n"
		  "path=/var/run/wpa_supplicant/p2p-dev-wlan0,user=root,group=0,mode=770,port=1201");
	CHECK_INT(shconf_find(&c, "sockets")->line, 17);
	CHECK_INT(shconf_find(&c, "network")->line, 6);
	CHECK_INT(c.warnings, 0);
	CHECK(shconf_get(&c, "enabled") == NULL);
	shconf_free(&c);
}

TEST(shconf_hash_starts_a_comment_only_at_a_word)
{
	check_value("a=b#c\n", "a", "b#c");
	check_value("a=b #c\n", "a", "b");
	check_value("a=b\t# c\n", "a", "b");
	check_value("a=\"b # c\"\n", "a", "b # c");
	check_value("# a=1\n   # b=2\na=3\n", "a", "3");
}

TEST(shconf_quotes_and_escapes_as_sh)
{
	check_value("a='x $y \\z \"q\"'\n", "a", "x $y \\z \"q\"");
	check_value("a=\"\\$x \\` \\\" \\\\ \\n\"\n", "a", "$x ` \" \\ \\n");
	check_value("a=\\$x\\ y\n", "a", "$x y");
	check_value("a=pre'mid'\"post\"\n", "a", "premidpost");
	check_value("a=''\n", "a", "");
	check_value("a=\n", "a", "");
	check_value("a=x=y,z\n", "a", "x=y,z");
	check_value("a=*?[x]{y}!\n", "a", "*?[x]{y}!");
}

TEST(shconf_quotes_span_lines)
{
	check_value("a='one\ntwo'\n", "a", "one\ntwo");
	check_value("a=\"one\n  two\"\nb=1\n", "a", "one\n  two");
}

TEST(shconf_joins_continued_lines)
{
	check_value("a=one\\\ntwo\n", "a", "onetwo");
	check_value("a=\"one\\\ntwo\"\n", "a", "onetwo");
	check_value("a='one\\\ntwo'\n", "a", "one\\\ntwo");
	check_value("a=1 \\\n b=2\n", "b", "2");
	check_value("net\\\nwork=x\n", "network", "x");
}

TEST(shconf_expands_variables)
{
	check_value("x=1\na=$x$x\n", "a", "11");
	check_value("x=1\na=${x}b\n", "a", "1b");
	check_value("x=1\na=$xb\n", "a", "");
	check_value("x='a b'\ny=$x\n", "y", "a b");
	check_value("x=1\na=\"[$x]\"\n", "a", "[1]");
	check_value("a=$\n", "a", "$");
	check_value("a=\"$\"\n", "a", "$");
	check_value("a=$/x\n", "a", "$/x");
	check_value("x=1\nx=${x}2\n", "x", "12");
}

TEST(shconf_unset_expands_to_nothing_with_a_warning)
{
	struct shconf c;

	CHECK_INT(parse(&c, "_sockdir=/run\na=${_sockdr}/wlan0\n"), 0);
	CHECK_STR(shconf_get(&c, "a"), "/wlan0");
	CHECK_INT(c.warnings, 1);
	shconf_free(&c);
}

TEST(shconf_reads_several_assignments_per_line)
{
	struct shconf c;

	CHECK_INT(parse(&c, "a=1 b=2; c=3;\nd=4 ;e=5\n"), 0);
	CHECK_STR(shconf_get(&c, "a"), "1");
	CHECK_STR(shconf_get(&c, "b"), "2");
	CHECK_STR(shconf_get(&c, "c"), "3");
	CHECK_STR(shconf_get(&c, "d"), "4");
	CHECK_STR(shconf_get(&c, "e"), "5");
	shconf_free(&c);
	/* sh assigns left to right: b sees the new a. */
	check_value("a=1 b=$a\n", "b", "1");
}

TEST(shconf_last_assignment_wins)
{
	struct shconf c;

	CHECK_INT(parse(&c, "a=1\n\na=2\n"), 0);
	CHECK_STR(shconf_get(&c, "a"), "2");
	CHECK_INT(shconf_find(&c, "a")->line, 3);
	CHECK_INT(c.n, 1);
	shconf_free(&c);
}

TEST(shconf_no_final_newline)
{
	check_value("a=1", "a", "1");
	check_value("a=\"1\"", "a", "1");
}

TEST(shconf_rejects_commands)
{
	check_rejected("a=1\necho hi\n", 2, "'echo' is a shell command");
	check_rejected("export a=1\n", 1, "'export' is a shell command");
	check_rejected("if true; then a=1; fi\n", 1, "'if' is a shell command");
	check_rejected("a = 1\n", 1, "no blanks are allowed around '='");
	check_rejected("a=b c\n", 1, "a value with blanks must be quoted");
	check_rejected("1a=2\n", 1, "expected name=value");
	check_rejected("a.b=2\n", 1, "a name has only letters");
	check_rejected("a=1;;\n", 1, "unexpected ';'");
	check_rejected("; a=1\n", 1, "unexpected ';'");
}

TEST(shconf_rejects_what_would_run_or_depend_on_the_environment)
{
	check_rejected("a=$(id)\n", 1, "command substitution");
	check_rejected("a=\"$(id)\"\n", 1, "command substitution");
	check_rejected("a=$((1+1))\n", 1, "command substitution");
	check_rejected("a=`id`\n", 1, "command substitution");
	check_rejected("\n\na=\"x`id`\"\n", 3, "command substitution");
	check_rejected("a=${b:-c}\n", 1, "parameter operators are not supported");
	check_rejected("a=${b#x}\n", 1, "parameter operators");
	check_rejected("a=${#b}\n", 1, "string length");
	check_rejected("a=${b\n", 1, "expected '}'");
	check_rejected("a=${}\n", 1, "expected a variable name");
	check_rejected("a=$1\n", 1, "special parameter");
	check_rejected("a=\"$@\"\n", 1, "special parameter");
	check_rejected("a=$$\n", 1, "special parameter");
	check_rejected("a=~/x\n", 1, "unquoted '~'");
	check_rejected("a=x:~/y\n", 1, "unquoted '~'");
	check_rejected("a=x|y\n", 1, "shell operator");
	check_rejected("a=(1 2)\n", 1, "shell operator");
	check_rejected("a=1 >/tmp/x\n", 1, "expected name=value");
	/* Quoted, or not at an expanding place, a tilde is plain text. */
	check_value("a='~/x'\n", "a", "~/x");
	check_value("a=x~y\n", "a", "x~y");
}

TEST(shconf_reports_where_a_quote_was_opened)
{
	check_rejected("a=1\nb=\"open\n\n\n", 2, "unterminated double quote");
	check_rejected("a='open\n", 1, "unterminated single quote");
	check_rejected("a=x\\", 1, "backslash at the end of the file");
}

TEST(shconf_rejects_bad_bytes_with_their_line)
{
	check_rejected("a=1\r\nb=2\r\n", 1, "DOS line endings");
	check_rejected("a=1\nb=2\r\n", 2, "carriage return");
	{
		static const char text[] = "a=1\nb=\0\n";
		struct shconf c;

		CHECK_INT(shconf_parse_mem(&c, "t.conf", text, sizeof(text) - 1), -EINVAL);
		CHECK_INT(c.error_line, 2);
		CHECK_CONTAINS(c.error, "NUL byte");
		shconf_free(&c);
	}
}

TEST(shconf_bounds_sizes)
{
	char *text = malloc(SHCONF_MAX_FILE + 64);
	struct shconf c;
	size_t n;

	/* A value just over the limit. */
	strcpy(text, "a=");
	memset(text + 2, 'x', SHCONF_MAX_VALUE + 1);
	text[SHCONF_MAX_VALUE + 3] = '\0';
	CHECK_INT(parse(&c, text), -EINVAL);
	CHECK_CONTAINS(c.error, "value longer than");
	shconf_free(&c);
	/* Exactly at the limit is fine. */
	text[SHCONF_MAX_VALUE + 2] = '\0';
	CHECK_INT(parse(&c, text), 0);
	CHECK_INT(strlen(shconf_get(&c, "a")), SHCONF_MAX_VALUE);
	shconf_free(&c);
	/* Too many variables. */
	n = 0;
	for (int i = 0; i <= SHCONF_MAX_VARS; i++)
		n += (size_t)sprintf(text + n, "v%d=1\n", i);
	CHECK_INT(parse(&c, text), -EINVAL);
	CHECK_CONTAINS(c.error, "more than 256 variables");
	CHECK_INT(c.error_line, SHCONF_MAX_VARS + 1);
	shconf_free(&c);
	/* A long name. */
	memset(text, 'n', SHCONF_MAX_NAME + 1);
	strcpy(text + SHCONF_MAX_NAME + 1, "=1\n");
	CHECK_INT(parse(&c, text), -EINVAL);
	CHECK_CONTAINS(c.error, "name longer than");
	shconf_free(&c);
	/* A file over the limit. */
	memset(text, '#', SHCONF_MAX_FILE + 1);
	CHECK_INT(shconf_parse_mem(&c, "t.conf", text, SHCONF_MAX_FILE + 1), -EINVAL);
	CHECK_CONTAINS(c.error, "file larger than");
	shconf_free(&c);
	free(text);
}

TEST(shconf_reads_files)
{
	char path[] = "/tmp/test-shconf-XXXXXX";
	int fd = mkstemp(path);
	struct shconf c;

	CHECK(fd >= 0);
	CHECK_INT(write(fd, wpa_sample, sizeof(wpa_sample) - 1), (long)sizeof(wpa_sample) - 1);
	close(fd);
	CHECK_INT(shconf_parse_file(&c, path), 0);
	CHECK_STR(shconf_get(&c, "network"), "10.0.0.1:255.255.255.0");
	shconf_free(&c);
	unlink(path);
	CHECK_INT(shconf_parse_file(&c, path), -ENOENT);
	shconf_free(&c);
	CHECK_INT(shconf_parse_file(&c, "/"), -EISDIR);
	CHECK_CONTAINS(c.error, "cannot read");
	shconf_free(&c);
}
