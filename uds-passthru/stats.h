/* Counters of what went wrong, and log lines that cannot flood syslog:
 * a peer sending garbage a thousand times a second is logged once a
 * second, with the count of what was left out. */
#ifndef UDSP_STATS_H
#define UDSP_STATS_H

#include <stdint.h>

struct udsp_stats {
	uint64_t accepted;	/* TCP connections */
	uint64_t refused;	/* peers outside the subnet */
	uint64_t over_limit;	/* connections refused: too many */
	uint64_t garbage;	/* protocol errors, bad hellos, silent peers */
	uint64_t oversize;	/* datagrams over UDSP_DGRAM_MAX, dropped */
	uint64_t dropped;	/* datagrams dropped: a queue was full */
	uint64_t expired;	/* requests dropped: no daemon in time */
	uint64_t relayed_up;	/* datagrams towards the daemon */
	uint64_t relayed_down;	/* datagrams towards the client */
	uint64_t answered;	/* of those, replies (not events) */
	uint64_t resets;	/* connections reset: the daemon went away */
	uint64_t orphan_replies;	/* replies whose client had gone: dropped, never passed on */
	uint64_t stalled;	/* framed peers closed: they stopped reading */
	uint64_t late_replies;	/* raw: replies after socat's host side stopped reading */
};

extern struct udsp_stats udsp_stats;

/* Logs the counters in one line. */
void stats_log(const char *why);
/* Both modes' signals: SIGUSR1 logs the counters, the others stop. */
void stats_on_signal(int signo);

struct ratelimit {
	uint64_t last_ms;
	unsigned suppressed;
};

/* Logs at priority unless the same limiter logged less than a second ago. */
void log_limited(struct ratelimit *rl, int priority, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
