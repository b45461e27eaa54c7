#include "check.h"
#include "../../uds-passthru/queue.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

TEST(queue_keeps_chunks_in_order)
{
	struct queue q;

	queue_init(&q, 1000, NULL);
	CHECK_INT(queue_push(&q, "H", 1, "one", 3, 0), 0);
	CHECK_INT(queue_push(&q, NULL, 0, "two", 3, 0), 0);
	CHECK_INT(q.count, 2);
	CHECK_INT(q.bytes, 7);
	CHECK(memcmp(queue_head(&q)->data, "Hone", 4) == 0);
	queue_pop(&q);
	CHECK(memcmp(queue_head(&q)->data, "two", 3) == 0);
	queue_pop(&q);
	CHECK(queue_head(&q) == NULL);
	CHECK_INT(q.bytes, 0);
	queue_pop(&q);	/* harmless when empty */
}

TEST(queue_refuses_past_its_limits)
{
	struct queue_budget budget = { .limit = 150 };
	struct queue a, b;
	char data[100] = { 0 };

	queue_init(&a, 120, &budget);
	queue_init(&b, 120, &budget);
	CHECK_INT(queue_push(&a, NULL, 0, data, 100, 0), 0);
	CHECK_INT(queue_push(&a, NULL, 0, data, 21, 0), -ENOBUFS);	/* own limit */
	CHECK_INT(queue_push(&b, NULL, 0, data, 51, 0), -ENOBUFS);	/* shared budget */
	CHECK_INT(queue_push(&b, NULL, 0, data, 50, 0), 0);
	CHECK_INT(budget.used, 150);
	queue_clear(&a);
	CHECK_INT(budget.used, 50);
	queue_clear(&b);
	CHECK_INT(budget.used, 0);
}

TEST(queue_write_resumes_partial_writes)
{
	static char big[200000];
	char *out = malloc(sizeof(big) + 10);
	struct queue q;
	int p[2];
	size_t got = 0;
	ssize_t n;

	signal(SIGPIPE, SIG_IGN);	/* the last write is to a closed pipe */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i % 251);
	CHECK_INT(pipe(p), 0);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	queue_init(&q, sizeof(big) + 100, NULL);
	CHECK_INT(queue_push(&q, "<", 1, big, sizeof(big), 0), 0);
	CHECK_INT(queue_push(&q, NULL, 0, ">", 1, 0), 0);
	/* The pipe takes less than all of it: write, drain, write again. */
	while (q.count) {
		n = queue_write(&q, p[1]);
		CHECK(n > 0 || n == -EAGAIN);
		while ((n = read(p[0], out + got, sizeof(big) + 10 - got)) > 0)
			got += (size_t)n;
	}
	CHECK_INT(got, sizeof(big) + 2);
	CHECK_INT(out[0], '<');
	CHECK(memcmp(out + 1, big, sizeof(big)) == 0);
	CHECK_INT(out[sizeof(big) + 1], '>');
	CHECK_INT(queue_write(&q, p[1]), 0);
	close(p[0]);
	CHECK_INT(queue_push(&q, NULL, 0, "x", 1, 0), 0);
	CHECK_INT(queue_write(&q, p[1]), -EPIPE);
	queue_clear(&q);
	close(p[1]);
	free(out);
}

TEST(queue_expires_by_deadline)
{
	struct queue q;

	queue_init(&q, 1000, NULL);
	queue_push(&q, NULL, 0, "a", 1, 100);
	queue_push(&q, NULL, 0, "b", 1, 0);
	queue_push(&q, NULL, 0, "c", 1, 50);
	queue_push(&q, NULL, 0, "d", 1, 300);
	CHECK_INT(queue_next_deadline(&q), 50);
	CHECK_INT(queue_expire(&q, 99), 1);
	CHECK_INT(queue_expire(&q, 100), 1);
	CHECK_INT(q.count, 2);
	CHECK_INT(queue_head(&q)->data[0], 'b');
	CHECK_INT(queue_next_deadline(&q), 300);
	/* The tail is right after removals: a push lands at the end. */
	queue_push(&q, NULL, 0, "e", 1, 0);
	CHECK_INT(queue_expire(&q, 1000), 1);
	queue_pop(&q);
	CHECK_INT(queue_head(&q)->data[0], 'e');
	queue_clear(&q);
}

TEST(queue_never_expires_a_chunk_partly_written)
{
	struct queue q;

	queue_init(&q, 1000, NULL);
	queue_push(&q, NULL, 0, "abc", 3, 10);
	queue_head(&q)->off = 1;
	CHECK_INT(queue_expire(&q, 20), 0);
	queue_clear(&q);
}

TEST(queue_write_one_stops_at_a_chunk_boundary)
{
	struct queue q;
	char out[16];
	int p[2];

	CHECK_INT(pipe(p), 0);
	queue_init(&q, 100, NULL);
	queue_push(&q, NULL, 0, "one", 3, 0);
	queue_push(&q, NULL, 0, "two", 3, 0);
	CHECK_INT(queue_write_one(&q, p[1]), 3);
	CHECK_INT(q.count, 1);
	CHECK_INT(read(p[0], out, sizeof(out)), 3);
	CHECK_INT(queue_write_one(&q, p[1]), 3);
	CHECK_INT(queue_write_one(&q, p[1]), 0);
	close(p[0]);
	close(p[1]);
}

TEST(queue_splice_moves_whole_chunks_in_order)
{
	struct queue_budget budget = { .limit = 1000 };
	struct queue a, b;

	queue_init(&a, 100, &budget);
	queue_init(&b, 100, &budget);
	queue_push(&a, NULL, 0, "1", 1, 0);
	queue_push(&b, NULL, 0, "2x", 2, 0);
	queue_push(&b, NULL, 0, "3", 1, 0);
	queue_push(&b, NULL, 0, "4", 1, 0);
	queue_head(&b)->off = 1;	/* "2x" half sent: cannot move */
	CHECK_INT(queue_splice(&a, &b), 1);
	CHECK_INT(a.count, 3);
	CHECK_INT(a.bytes, 3);
	CHECK_INT(b.count, 0);
	CHECK(queue_head(&b) == NULL);
	CHECK_INT(budget.used, 3);
	CHECK_INT(queue_head(&a)->data[0], '1');
	queue_pop(&a);
	CHECK_INT(queue_head(&a)->data[0], '3');
	queue_push(&a, NULL, 0, "5", 1, 0);	/* the tail moved along */
	queue_pop(&a);
	queue_pop(&a);
	CHECK_INT(queue_head(&a)->data[0], '5');
	queue_clear(&a);
	CHECK_INT(queue_splice(&a, &b), 0);
	CHECK_INT(budget.used, 0);
}

static int is_event_chunk(const struct chunk *c)
{
	return c->len && c->data[0] == '<';
}

static const char *order(const struct queue *q)
{
	static char buf[256];
	size_t len = 0;

	buf[0] = '\0';
	for (const struct chunk *c = q->head; c; c = c->next)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%.*s", len ? "," : "", (int)c->len,
					(const char *)c->data);
	return buf;
}

/* Issue 14: a raw reply goes out before the events queued for the same
 * client, in the order the replies came, and never into a partly
 * written chunk. */
TEST(queue_push_ahead_overtakes_events_only)
{
	struct queue_budget budget = { .limit = 1000 };
	struct queue q;

	queue_init(&q, 1000, &budget);
	queue_push(&q, NULL, 0, "<1", 2, 0);
	queue_push(&q, NULL, 0, "<2", 2, 0);
	CHECK_INT(queue_push_ahead(&q, "R1", 2, is_event_chunk), 0);
	CHECK_INT(queue_push_ahead(&q, "R2", 2, is_event_chunk), 0);
	CHECK_STR(order(&q), "R1,R2,<1,<2");
	queue_pop(&q);
	queue_pop(&q);
	q.head->off = 1;	/* "<1" started to leave */
	CHECK_INT(queue_push_ahead(&q, "R3", 2, is_event_chunk), 0);
	CHECK_STR(order(&q), "<1,R3,<2");
	queue_clear(&q);
	CHECK_INT(queue_push_ahead(&q, "R4", 2, is_event_chunk), 0);	/* empty */
	CHECK_INT(queue_push(&q, NULL, 0, "<5", 2, 0), 0);	/* the tail follows */
	CHECK_STR(order(&q), "R4,<5");
	CHECK_INT(q.count, 2);
	CHECK_INT(budget.used, 4);
	queue_clear(&q);
	CHECK_INT(budget.used, 0);
}

static int not_event_chunk(const struct chunk *c)
{
	return !is_event_chunk(c);
}

TEST(queue_drop_if_keeps_the_rest_in_order)
{
	struct queue_budget budget = { .limit = 1000 };
	struct queue q;

	queue_init(&q, 1000, &budget);
	for (const char *s = "<1\0R1\0<2\0R2\0"; *s; s += 3)
		queue_push(&q, NULL, 0, s, 2, 0);
	q.head->off = 1;	/* partly written: cannot be resent */
	CHECK_INT(queue_drop_if(&q, not_event_chunk), 3);
	CHECK_STR(order(&q), "<2");
	CHECK_INT(q.count, 1);
	CHECK_INT(q.bytes, 2);
	CHECK_INT(budget.used, 2);
	CHECK_INT(queue_push(&q, NULL, 0, "<3", 2, 0), 0);	/* the tail is right */
	CHECK_STR(order(&q), "<2,<3");
	queue_clear(&q);
}
