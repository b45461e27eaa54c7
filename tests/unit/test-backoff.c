#include "check.h"
#include "backoff.h"

TEST(backoff_doubles_from_min_to_cap)
{
	struct backoff b;

	backoff_init(&b, 100, 5000);
	CHECK_INT(backoff_fail(&b), 100);
	CHECK_INT(backoff_fail(&b), 200);
	CHECK_INT(backoff_fail(&b), 400);
	CHECK_INT(backoff_fail(&b), 800);
	CHECK_INT(backoff_fail(&b), 1600);
	CHECK_INT(backoff_fail(&b), 3200);
	CHECK_INT(backoff_fail(&b), 5000);
	CHECK_INT(backoff_fail(&b), 5000);
	CHECK_INT(b.failures, 8);
}

TEST(backoff_never_gives_up_or_overflows)
{
	struct backoff b;
	int i;

	backoff_init(&b, 100, 0xffffffffu);
	for (i = 0; i < 100; i++)
		CHECK(backoff_fail(&b) >= 100);
	CHECK_INT(b.failures, 100);
	CHECK_INT(b.next_ms, 0xffffffffu);
}

TEST(backoff_reset_starts_over)
{
	struct backoff b;

	backoff_init(&b, 100, 1000);
	backoff_fail(&b);
	backoff_fail(&b);
	backoff_reset(&b);
	CHECK_INT(b.failures, 0);
	CHECK_INT(backoff_fail(&b), 100);
}

TEST(backoff_at_cap_reports_crash_loop)
{
	struct backoff b;

	backoff_init(&b, 100, 400);
	CHECK(!backoff_at_cap(&b));
	backoff_fail(&b);	/* 100, next 200 */
	CHECK(!backoff_at_cap(&b));
	backoff_fail(&b);	/* 200, next 400 */
	CHECK(backoff_at_cap(&b));
}

TEST(backoff_bad_bounds_are_sane)
{
	struct backoff b;

	backoff_init(&b, 0, 0);
	CHECK_INT(backoff_fail(&b), 1);
	CHECK_INT(backoff_fail(&b), 1);
}
