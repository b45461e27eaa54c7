/* lib/loop: the event loop every daemon, and process 1, runs on. */
#include "check.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

static int child_status = -1, timed_out, got_usr1;

static void child_done(struct loop_child *c, int wstatus)
{
	(void)c;
	child_status = wstatus;
	if (got_usr1)
		loop_quit();
}

static void on_signal(int signo)
{
	got_usr1 |= signo == SIGUSR1;
	if (child_status >= 0)
		loop_quit();
}

static void give_up(struct loop_timer *t)
{
	(void)t;
	timed_out = 1;
	loop_quit();
}

/* Issue 14: loop_signals blocked SIGCHLD, then failed to make its
 * signalfd; init went on without reaping, for ever. Here no descriptor
 * is left when it tries. */
TEST(loop_reaps_and_signals_without_a_signalfd)
{
	static const int sigs[] = { SIGUSR1 };
	static struct loop_timer timer = { .lfd.fd = -1, .cb = give_up };
	struct loop_child child = { .cb = child_done };
	struct rlimit was, none;
	int next_fd, rc;

	log_open("test", 0);
	CHECK_INT(loop_init(), 0);
	CHECK_INT(loop_timer_set(&timer, 3000), 0);	/* its timerfd exists now */
	next_fd = dup(0);
	close(next_fd);
	getrlimit(RLIMIT_NOFILE, &was);
	none = was;
	none.rlim_cur = (rlim_t)next_fd;
	setrlimit(RLIMIT_NOFILE, &none);
	rc = loop_signals(sigs, 1, on_signal);
	setrlimit(RLIMIT_NOFILE, &was);
	CHECK_INT(rc, 0);
	child.pid = fork();
	if (child.pid == 0)
		_exit(7);
	loop_child_add(&child);
	kill(getpid(), SIGUSR1);
	CHECK_INT(loop_run(), 0);
	CHECK_INT(timed_out, 0);
	CHECK(WIFEXITED(child_status) && WEXITSTATUS(child_status) == 7);
	CHECK_INT(got_usr1, 1);
	CHECK_INT(waitpid(-1, NULL, WNOHANG), -1);	/* nothing left to reap */
}
