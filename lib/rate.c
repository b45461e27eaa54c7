#include "rate.h"

int rate_over(struct rate_window *w, unsigned per_second, uint64_t now_ms)
{
	if (w->n == 0 || now_ms - w->start_ms >= 1000) {
		w->start_ms = now_ms;
		w->n = 0;
	}
	return ++w->n > per_second;
}

int rate_may_say(uint64_t *said_ms, uint64_t now_ms)
{
	if (*said_ms && now_ms - *said_ms < 1000)
		return 0;
	*said_ms = now_ms;
	return 1;
}
