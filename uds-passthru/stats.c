#include "stats.h"
#include "evloop.h"
#include "log.h"

#include "rate.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>

struct udsp_stats udsp_stats;

void stats_log(const char *why)
{
	const struct udsp_stats *s = &udsp_stats;

	log_notice("%s: %llu connections (%llu refused outside the subnet, %llu over the limit), "
		   "%llu datagrams up, %llu down (%llu replies); dropped: %llu garbage, %llu oversize, "
		   "%llu queue full, %llu no daemon in time; %llu resets; %llu replies for clients "
		   "gone, %llu stalled peers closed; %llu replies later than socat's host side waits", why,
		   (unsigned long long)s->accepted, (unsigned long long)s->refused,
		   (unsigned long long)s->over_limit, (unsigned long long)s->relayed_up,
		   (unsigned long long)s->relayed_down, (unsigned long long)s->answered,
		   (unsigned long long)s->garbage,
		   (unsigned long long)s->oversize, (unsigned long long)s->dropped,
		   (unsigned long long)s->expired, (unsigned long long)s->resets,
		   (unsigned long long)s->orphan_replies, (unsigned long long)s->stalled,
		   (unsigned long long)s->late_replies);
}

void stats_on_signal(int signo)
{
	if (signo == SIGUSR1)
		stats_log("statistics");
	else
		ev_quit();
}

void log_limited(struct ratelimit *rl, int priority, const char *fmt, ...)
{
	uint64_t now = ev_now_ms();
	char text[600];
	va_list ap;

	if (!rate_may_say(&rl->last_ms, now)) {
		rl->suppressed++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (rl->suppressed)
		log_msg(priority, "%s (and %u more like it)", text, rl->suppressed);
	else
		log_msg(priority, "%s", text);
	rl->suppressed = 0;
}
