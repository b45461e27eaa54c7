/* lib/fsutil: the small file helpers every program uses. */
#include "check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fsutil.h"

static const char *temp_file(const char *text)
{
	static char path[64];

	snprintf(path, sizeof(path), "/tmp/test-fsutil-%d", (int)getpid());
	write_file_atomic(path, text, strlen(text), 0600);
	return path;
}

TEST(read_small_file_reads_and_terminates)
{
	char buf[8];
	const char *path = temp_file("hello, world\n");

	CHECK_INT(read_small_file(path, buf, sizeof(buf)), 7);
	CHECK_STR(buf, "hello, ");
	unlink(path);
}

/* A caller whose buffer is used up (init's modalias store) passes 0: no
 * byte may be written, not even the NUL. The buffer sits inside a larger
 * object so that a write past it shows as a changed guard, and under
 * AddressSanitizer as a crash before that. */
TEST(read_small_file_with_no_room_writes_nothing)
{
	struct {
		char buf[1];
		char guard[15];
	} s;
	const char *path = temp_file("more than one byte\n");

	memset(&s, 'x', sizeof(s));
	CHECK_INT(read_small_file(path, s.buf, 0), -ENOBUFS);
	CHECK(s.buf[0] == 'x');
	CHECK(!memcmp(s.guard, "xxxxxxxxxxxxxxx", sizeof(s.guard)));
	unlink(path);
}

TEST(read_small_file_with_room_for_the_nul_only)
{
	char buf[1] = { 'x' };
	const char *path = temp_file("abc");

	CHECK_INT(read_small_file(path, buf, 1), 0);
	CHECK_INT(buf[0], '\0');
	unlink(path);
}
