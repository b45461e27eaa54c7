#include "check.h"
#include "../../init/hostname.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char path[64];

static void write_file(const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/test-hostname.%d", (int)getpid());
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

TEST(valid_names)
{
	CHECK(hostname_valid("wifibox"));
	CHECK(hostname_valid("wifi-box.home.arpa"));
	CHECK(hostname_valid("a"));
	CHECK(!hostname_valid(""));
	CHECK(!hostname_valid("-box"));
	CHECK(!hostname_valid("box-"));
	CHECK(!hostname_valid("wifi box"));
	CHECK(!hostname_valid("a..b"));
	CHECK(!hostname_valid("a_b"));
}

TEST(reads_first_line)
{
	char name[80];

	write_file("# comment\n  myrouter \nignored\n");
	CHECK_INT(hostname_read(path, name, sizeof(name)), 0);
	CHECK_STR(name, "myrouter");
	unlink(path);
}

TEST(invalid_falls_back_to_default)
{
	char name[80];

	write_file("my router!\n");
	CHECK_INT(hostname_read(path, name, sizeof(name)), -1);
	CHECK_STR(name, HOSTNAME_DEFAULT);
	write_file("\n\n");
	CHECK_INT(hostname_read(path, name, sizeof(name)), -1);
	CHECK_STR(name, HOSTNAME_DEFAULT);
	unlink(path);
}

TEST(missing_gives_default)
{
	char name[80];

	CHECK_INT(hostname_read("/nonexistent/hostname", name, sizeof(name)), -1);
	CHECK_STR(name, HOSTNAME_DEFAULT);
}
