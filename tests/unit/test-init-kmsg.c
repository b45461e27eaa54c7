#include "check.h"
#include "../../init/kmsglog.h"

static int fmt(const char *rec, char *out, size_t size)
{
	return kmsg_format(rec, strlen(rec), out, size);
}

TEST(formats_like_dmesg)
{
	char out[256];

	CHECK(fmt("6,339,5140900,-;NET: Registered PF_PACKET protocol family\n", out, sizeof(out)) > 0);
	CHECK_STR(out, "[    5.140900] NET: Registered PF_PACKET protocol family\n");
}

TEST(drops_continuation_lines)
{
	char out[256];

	fmt("4,1,1000001,-;e1000: link up\n SUBSYSTEM=net\n DEVICE=n2\n", out, sizeof(out));
	CHECK_STR(out, "[    1.000001] e1000: link up\n");
}

TEST(rejects_malformed)
{
	char out[64];

	CHECK_INT(fmt("garbage without a semicolon", out, sizeof(out)), -1);
	CHECK_INT(fmt("x,y;text", out, sizeof(out)), -1);
}

TEST(truncates_to_buffer)
{
	char out[16];
	int n = fmt("6,1,0,-;a very long kernel message\n", out, sizeof(out));

	CHECK_INT(n, 15);
	CHECK_INT(strlen(out), 15);
}
