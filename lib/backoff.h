/* Exponential back-off: min doubling to a cap, never giving up, reset
 * after a run that stayed up long enough to count as stable. */
#ifndef WB_BACKOFF_H
#define WB_BACKOFF_H

#include <stdint.h>

struct backoff {
	uint32_t min_ms;
	uint32_t max_ms;
	uint32_t next_ms;	/* delay the next failure will get */
	uint32_t failures;	/* consecutive failures since the last reset */
};

void backoff_init(struct backoff *b, uint32_t min_ms, uint32_t max_ms);
/* Records a failure and returns how long to wait before the next try. */
uint32_t backoff_fail(struct backoff *b);
void backoff_reset(struct backoff *b);
/* True once failures reached the cap: a crash loop, to be reported. */
int backoff_at_cap(const struct backoff *b);

#endif
