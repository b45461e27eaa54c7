#include "backoff.h"

void backoff_init(struct backoff *b, uint32_t min_ms, uint32_t max_ms)
{
	b->min_ms = min_ms ? min_ms : 1;
	b->max_ms = max_ms < b->min_ms ? b->min_ms : max_ms;
	backoff_reset(b);
}

void backoff_reset(struct backoff *b)
{
	b->next_ms = b->min_ms;
	b->failures = 0;
}

uint32_t backoff_fail(struct backoff *b)
{
	uint32_t delay = b->next_ms;

	b->failures++;
	b->next_ms = delay > b->max_ms / 2 ? b->max_ms : delay * 2;
	return delay;
}

int backoff_at_cap(const struct backoff *b)
{
	return b->failures > 0 && b->next_ms == b->max_ms;
}
