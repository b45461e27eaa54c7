#include "check.h"
#include "../../lib/rate.h"

TEST(rate_passes_per_second_then_drops_until_the_next_window)
{
	struct rate_window w = { 0 };
	int over = 0;

	for (int i = 0; i < 5; i++)
		over += rate_over(&w, 3, 5000 + (uint64_t)i);
	CHECK_INT(over, 2);
	CHECK_INT(rate_over(&w, 3, 5999), 1);	/* same second */
	CHECK_INT(rate_over(&w, 3, 6000), 0);	/* a new one */
	CHECK_INT(rate_over(&w, 3, 6001), 0);
}

TEST(rate_first_window_opens_at_the_first_event_even_at_time_zero)
{
	struct rate_window w = { 0 };

	CHECK_INT(rate_over(&w, 1, 0), 0);
	CHECK_INT(rate_over(&w, 1, 10), 1);
	CHECK_INT(rate_over(&w, 1, 999), 1);
	CHECK_INT(rate_over(&w, 1, 1000), 0);
}

TEST(rate_may_say_once_a_second_and_at_once_the_first_time)
{
	uint64_t said = 0;

	CHECK_INT(rate_may_say(&said, 300), 1);	/* never said: even early in boot */
	CHECK_INT(rate_may_say(&said, 301), 0);
	CHECK_INT(rate_may_say(&said, 1299), 0);
	CHECK_INT(rate_may_say(&said, 1300), 1);
	CHECK(said == 1300);
}
