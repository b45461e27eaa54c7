/* lib/log: every line is made safe for a terminal before it goes out. */
#include "check.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"

static char captured[4096];

/* What one log_err call writes to stderr (the console, for a daemon). */
static const char *logged(const char *text)
{
	int mem = memfd_create("log", 0), saved = dup(STDERR_FILENO);
	ssize_t n;

	dup2(mem, STDERR_FILENO);
	log_err("%s", text);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(mem, captured, sizeof(captured) - 1, 0);
	close(mem);
	captured[n > 0 ? n : 0] = '\0';
	return captured;
}

TEST(log_escapes_terminal_controls_from_the_network)
{
	log_open("t", LOG_SINK_STDERR);
	/* clear screen, set the title, bell, carriage return over the line */
	CHECK_STR(logged("search '\x1b[2J\x1b]0;pwned\x07x\rroot#'"),
		  "t: search '\\x1b[2J\\x1b]0;pwned\\x07x\\x0droot#'\n");
	CHECK_STR(logged("tab\there, del\x7f, newline\nforged: line"),
		  "t: tab\\x09here, del\\x7f, newline\\x0aforged: line\n");
}

TEST(log_keeps_utf8_but_not_c1_controls_or_broken_bytes)
{
	log_open("t", LOG_SINK_STDERR);
	CHECK_STR(logged("SSID Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb6"),
		  "t: SSID Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb6\n");
	/* CSI as UTF-8 (U+009B) and as a lone 8-bit byte; an overlong '/' */
	CHECK_STR(logged("a\xc2\x9b" "2Jb\x9b" "2Jc\xc0\xaf"),
		  "t: a\\xc2\\x9b2Jb\\x9b2Jc\\xc0\\xaf\n");
	/* a sequence cut short, and a surrogate */
	CHECK_STR(logged("\xe2\x82 \xed\xa0\x80"), "t: \\xe2\\x82 \\xed\\xa0\\x80\n");
}

TEST(log_escape_cuts_between_characters)
{
	char out[8];

	CHECK_INT(log_escape("ab\x1b" "cd", out, sizeof(out)), 7);
	CHECK_STR(out, "ab\\x1bc");
	CHECK_INT(log_escape("abcde\x1b", out, sizeof(out)), 5);
	CHECK_STR(out, "abcde");
	CHECK_INT(log_escape("abcde\xc3\xa9", out, 7), 5);
	CHECK_STR(out, "abcde");
}
