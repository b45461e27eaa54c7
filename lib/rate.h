/* Limits by the second: how many things a second may pass, and how
 * often a complaint about it may be said. Times are a monotonic clock in
 * milliseconds; the caller passes it, so that this holds no clock. */
#ifndef WB_RATE_H
#define WB_RATE_H

#include <stdint.h>

/* One-second windows: the first thing counted opens one. */
struct rate_window {
	uint64_t start_ms;
	unsigned n;
};

/* Counts one more at now_ms: 1 when it is past per_second in its window
 * (to be dropped), 0 when it may pass. */
int rate_over(struct rate_window *w, unsigned per_second, uint64_t now_ms);

/* 1 when nothing was said in the second before now_ms, and notes now_ms
 * as said; 0 when it is too soon. *said_ms starts at 0: never said. */
int rate_may_say(uint64_t *said_ms, uint64_t now_ms);

#endif
