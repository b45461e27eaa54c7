#include "check.h"
#include "../../uds-passthru/relay.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* An owner such as conn.c or host.c: counts what the relay asks of it. */
struct owner {
	struct relay r;
	int ready_calls, timeouts, released;
	int kill_in_ready;	/* marks itself for closing from its own callback */
	int second_mark;	/* what a second relay_close_soon answered */
	struct owner *other;	/* marked for closing from this one's callback */
};

static struct owner *freed_owner;
static struct queue_budget budget = { .limit = 1 << 20 };
static struct ev_timer stop;

static void on_ready(struct relay *r, short revents)
{
	struct owner *o = container_of(r, struct owner, r);
	unsigned char buf[16];

	(void)revents;
	o->ready_calls++;
	(void)relay_read(r, buf, sizeof(buf));
	if (o->kill_in_ready) {
		CHECK_INT(relay_close_soon(r), 1);
		o->second_mark = relay_close_soon(r);
		/* Still whole inside the callback: only marked. */
		CHECK_INT(o->released, 0);
		CHECK(fcntl(r->tcp.fd, F_GETFD) >= 0);
	}
	if (o->other)
		relay_close_soon(&o->other->r);
}

static void on_timeout(struct relay *r)
{
	container_of(r, struct owner, r)->timeouts++;
}

static void on_release(struct relay *r)
{
	struct owner *o = container_of(r, struct owner, r);

	o->released++;
	freed_owner = o;
}

static const struct relay_ops ops = { on_ready, on_timeout, on_release };

static void quit(struct ev_timer *t)
{
	(void)t;
	ev_quit();
}

static void pair(int sv[2])
{
	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
}

TEST(relay_closing_from_a_callback_frees_at_the_next_turn_once)
{
	struct owner o = { .kill_in_ready = 1 };
	int sv[2], fd;

	pair(sv);
	fd = sv[0];
	relay_start(&o.r, &ops, fd, POLLIN, 4096, &budget);
	CHECK_INT(write(sv[1], "x", 1), 1);
	CHECK_INT(write(sv[1], "y", 1), 1);
	ev_timer_at(&stop, ev_now_ms() + 100, quit);
	ev_run();
	CHECK_INT(o.ready_calls, 1);	/* nothing more once marked */
	CHECK_INT(o.second_mark, 0);
	CHECK_INT(o.released, 1);
	CHECK(freed_owner == &o);
	CHECK(fcntl(fd, F_GETFD) < 0 && errno == EBADF);
	CHECK_INT(o.timeouts, 0);
	close(sv[1]);
}

/* Both ready in the same round: whichever runs first closes the other,
 * which must then not be called, though poll() reported it. */
TEST(relay_closed_by_another_callback_of_the_same_round_is_not_called)
{
	struct owner a = { 0 }, b = { 0 };
	int sa[2], sb[2];

	pair(sa);
	pair(sb);
	a.other = &b;
	b.other = &a;
	relay_start(&a.r, &ops, sa[0], POLLIN, 4096, &budget);
	relay_start(&b.r, &ops, sb[0], POLLIN, 4096, &budget);
	CHECK_INT(write(sa[1], "x", 1), 1);
	CHECK_INT(write(sb[1], "x", 1), 1);
	ev_timer_at(&stop, ev_now_ms() + 100, quit);
	ev_run();
	CHECK_INT(a.ready_calls + b.ready_calls, 1);
	CHECK_INT(a.released + b.released, 1);
	relay_free(a.released ? &b.r : &a.r);
	close(sa[1]);
	close(sb[1]);
}

TEST(relay_calls_the_owner_at_its_deadline_and_not_once_disarmed)
{
	struct owner a = { 0 }, b = { 0 };
	int sa[2], sb[2];
	uint64_t now = ev_now_ms();

	pair(sa);
	pair(sb);
	relay_start(&a.r, &ops, sa[0], 0, 4096, &budget);
	relay_start(&b.r, &ops, sb[0], 0, 4096, &budget);
	relay_arm(&a.r, 0, now + 10);
	relay_arm(&b.r, 0, now + 10);
	relay_arm(&b.r, 0, 0);	/* no deadline any more */
	ev_timer_at(&stop, now + 80, quit);
	ev_run();
	CHECK_INT(a.timeouts, 1);
	CHECK_INT(b.timeouts, 0);
	CHECK_INT(a.ready_calls + b.ready_calls, 0);
	relay_free(&a.r);
	relay_free(&b.r);
	CHECK_INT(a.released + b.released, 2);
	close(sa[1]);
	close(sb[1]);
}

TEST(relay_marked_for_closing_keeps_no_deadline_of_its_owner)
{
	struct owner o = { 0 };
	int sv[2];
	uint64_t now = ev_now_ms();

	pair(sv);
	relay_start(&o.r, &ops, sv[0], POLLIN, 4096, &budget);
	relay_close_soon(&o.r);
	relay_arm(&o.r, POLLIN, now + 5);	/* too late: it is closing */
	CHECK_INT(write(sv[1], "x", 1), 1);
	ev_timer_at(&stop, now + 50, quit);
	ev_run();
	CHECK_INT(o.released, 1);
	CHECK_INT(o.timeouts + o.ready_calls, 0);
	close(sv[1]);
}

TEST(relay_read_tells_bytes_nothing_yet_and_the_end)
{
	struct owner o = { 0 };
	unsigned char buf[8];
	int sv[2];

	pair(sv);
	relay_start(&o.r, &ops, sv[0], 0, 4096, &budget);
	o.r.last_ms = 0;
	CHECK(relay_would_block(relay_read(&o.r, buf, sizeof(buf))));
	CHECK(o.r.last_ms == 0);
	CHECK_INT(write(sv[1], "abc", 3), 3);
	CHECK_INT(relay_read(&o.r, buf, sizeof(buf)), 3);
	CHECK(o.r.last_ms != 0);
	close(sv[1]);
	CHECK_INT(relay_read(&o.r, buf, sizeof(buf)), 0);
	CHECK(!relay_would_block(-EPIPE));
	relay_free(&o.r);
}

TEST(relay_write_one_chunk_at_a_time_or_all)
{
	struct owner o = { 0 };
	unsigned char buf[16];
	int sv[2];

	pair(sv);
	relay_start(&o.r, &ops, sv[0], 0, 4096, &budget);
	CHECK_INT(queue_push(&o.r.to_tcp, NULL, 0, "one", 3, 0), 0);
	CHECK_INT(queue_push(&o.r.to_tcp, NULL, 0, "two", 3, 0), 0);
	CHECK_INT(relay_write(&o.r, 1), 3);
	CHECK_INT(read(sv[1], buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "one", 3) == 0);
	CHECK_INT(queue_push(&o.r.to_tcp, NULL, 0, "six", 3, 0), 0);
	CHECK_INT(relay_write(&o.r, 0), 6);
	CHECK_INT(read(sv[1], buf, sizeof(buf)), 6);
	CHECK(memcmp(buf, "twosix", 6) == 0);
	close(sv[1]);
	relay_free(&o.r);
}
