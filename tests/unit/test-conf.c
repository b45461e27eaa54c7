#include "check.h"
#include "conf.h"

#include <errno.h>
#include <stdlib.h>

static const char *const known[] = { "address", "netmask", "gateway" };

TEST(conf_strips_comments_and_blank_lines)
{
	static const char text[] = "# header\n\n  iface eth0 inet static  # why\naddress \"a#b\"\n";
	struct conf_reader r;

	CHECK_INT(conf_open_mem(&r, "t.conf", text, sizeof(text) - 1), 0);
	CHECK_STR(conf_next(&r), "iface eth0 inet static");
	CHECK_INT(r.line, 3);
	CHECK_STR(conf_next(&r), "address \"a#b\"");
	CHECK(conf_next(&r) == NULL);
	CHECK_INT(r.errors, 0);
	conf_close(&r);
}

TEST(conf_reports_overlong_line_and_goes_on)
{
	size_t n = CONF_MAX_LINE * 3;
	char *text = malloc(n + 16);
	struct conf_reader r;

	memset(text, 'x', n);
	strcpy(text + n, "\nok\n");
	CHECK_INT(conf_open_mem(&r, "t.conf", text, strlen(text)), 0);
	CHECK_STR(conf_next(&r), "ok");
	CHECK_INT(r.errors, 1);
	CHECK_INT(r.line, 2);
	conf_close(&r);
	free(text);
}

TEST(conf_stops_at_max_lines)
{
	size_t n = (CONF_MAX_LINES + 10) * 2;
	char *text = malloc(n);
	struct conf_reader r;
	int lines = 0;

	for (size_t i = 0; i < n; i += 2) {
		text[i] = 'a';
		text[i + 1] = '\n';
	}
	CHECK_INT(conf_open_mem(&r, "t.conf", text, n), 0);
	while (conf_next(&r))
		lines++;
	CHECK_INT(lines, CONF_MAX_LINES);
	CHECK_INT(r.errors, 1);
	conf_close(&r);
	free(text);
}

TEST(conf_rejects_nul_bytes)
{
	static const char text[] = "a\0b\nok\n";
	struct conf_reader r;

	CHECK_INT(conf_open_mem(&r, "t.conf", text, sizeof(text) - 1), 0);
	CHECK_STR(conf_next(&r), "ok");
	CHECK_INT(r.errors, 1);
	conf_close(&r);
}

/* Every line, as written: blank lines, comments and a '#' inside are
 * data; only the newline and a '\r' before it go. Over-long lines and NUL
 * bytes are reported and skipped, and counted, as conf_next does. */
TEST(conf_next_raw_keeps_every_line_as_written)
{
	static const char head[] = "# c\r\n\n \t\nname # x\r\n";
	size_t h = sizeof(head) - 1, n = CONF_MAX_LINE + 1;
	char *text = malloc(h + n + 8);
	struct conf_reader r;

	memcpy(text, head, h);
	memset(text + h, 'x', n);
	strcpy(text + h + n, "\nlast");
	CHECK_INT(conf_open_mem(&r, "t.conf", text, strlen(text)), 0);
	CHECK_STR(conf_next_raw(&r), "# c");
	CHECK_INT(r.line, 1);
	CHECK_STR(conf_next_raw(&r), "");
	CHECK_INT(r.line, 2);
	CHECK_STR(conf_next_raw(&r), " \t");
	CHECK_STR(conf_next_raw(&r), "name # x");
	CHECK_INT(r.line, 4);
	CHECK_INT(r.errors, 0);
	CHECK_STR(conf_next_raw(&r), "last");
	CHECK_INT(r.line, 6);
	CHECK_INT(r.errors, 1);
	CHECK(conf_next_raw(&r) == NULL);
	conf_close(&r);
	free(text);
}

TEST(conf_missing_file_is_enoent)
{
	struct conf_reader r;

	CHECK_INT(conf_open(&r, "/nonexistent/x.conf"), -ENOENT);
	CHECK(conf_next(&r) == NULL);
}

TEST(conf_split_words)
{
	char s[] = "  iface  eth0\tinet static ";
	char *w[3];

	CHECK_INT(conf_split(s, w, 3), 3);
	CHECK_STR(w[0], "iface");
	CHECK_STR(w[2], "inet");
}

TEST(conf_suggest_finds_typo)
{
	CHECK_STR(conf_suggest("adress", known, 3), "address");
	CHECK_STR(conf_suggest("Netmask", known, 3), "netmask");
	CHECK(conf_suggest("bogus-option", known, 3) == NULL);
}
