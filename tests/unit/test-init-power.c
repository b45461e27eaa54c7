/* init's power button: KEY_POWER from an input event device. */
#include "check.h"

#include <fcntl.h>
#include <linux/input.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../../init/power.h"
#include "log.h"
#include "loop.h"

static int presses;

static void pressed(void)
{
	presses++;
}

static void stop(struct loop_timer *t)
{
	(void)t;
	loop_quit();
}

static long cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000 +
	       ru.ru_stime.tv_sec * 1000 + ru.ru_stime.tv_usec / 1000;
}

/* The loop for ms milliseconds of wall time. */
static void run_for(unsigned ms)
{
	static struct loop_timer t = { .lfd.fd = -1, .cb = stop };

	loop_timer_set(&t, ms);
	loop_run();
}

TEST(power_key_press_is_seen)
{
	struct input_event ev[2] = {
		{ .type = EV_KEY, .code = KEY_POWER, .value = 1 },
		{ .type = EV_KEY, .code = KEY_POWER, .value = 0 },
	};
	int p[2];

	log_open("test", LOG_SINK_STDERR);
	loop_init();
	CHECK_INT(pipe2(p, O_NONBLOCK), 0);
	CHECK_INT(power_button_add(p[0], pressed), 0);
	CHECK_INT(write(p[1], ev, sizeof(ev)), sizeof(ev));
	run_for(50);
	CHECK_INT(presses, 1);
	close(p[1]);
	run_for(50);	/* and the device goes: see below */
}

/* Issue 14: a device that failed stayed in epoll, readable for ever, and
 * process 1 spun at 100 % CPU. */
TEST(power_button_device_that_fails_is_dropped_not_spun_on)
{
	int p[2];
	long before;

	loop_init();
	CHECK_INT(pipe2(p, O_NONBLOCK), 0);
	CHECK_INT(power_button_add(p[0], pressed), 0);
	CHECK_INT(power_buttons_watched(), 1);
	close(p[1]);	/* the device ends: readable, and nothing to read */
	before = cpu_ms();
	run_for(400);
	CHECK_INT(power_buttons_watched(), 0);
	/* a spinning loop would have used the whole 400 ms */
	CHECK(cpu_ms() - before < 100);
	CHECK_INT(fcntl(p[0], F_GETFD), -1);	/* closed */
}
