#include "power.h"
#include "log.h"
#include "loop.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/epoll.h>
#include <unistd.h>

#define MAX_BUTTONS 4
#define BITS_PER_LONG (8 * sizeof(unsigned long))

static struct loop_fd buttons[MAX_BUTTONS];
static int n_buttons;
static power_button_cb on_press;

static int can_send_power_key(int fd)
{
	unsigned long keys[KEY_MAX / BITS_PER_LONG + 1] = { 0 };

	if (ioctl(fd, EVIOCGBIT(EV_KEY, sizeof(keys)), keys) < 0)
		return 0;
	return (keys[KEY_POWER / BITS_PER_LONG] >> (KEY_POWER % BITS_PER_LONG)) & 1;
}

/* A device that failed (ENODEV when it is unplugged, or an end of file)
 * stays readable for ever: left in epoll, it would spin process 1. */
static void button_gone(struct loop_fd *lfd, const char *why)
{
	log_warn("power button device (fd %d): %s: no longer watched", lfd->fd, why);
	loop_fd_del(lfd);
	close(lfd->fd);
	lfd->fd = -1;
	n_buttons--;
}

static void button_event(struct loop_fd *lfd, uint32_t events)
{
	struct input_event ev[8];
	ssize_t n = read(lfd->fd, ev, sizeof(ev));

	(void)events;
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		button_gone(lfd, n == 0 ? "end of file" : strerror(errno));
		return;
	}
	for (ssize_t i = 0; i < n / (ssize_t)sizeof(ev[0]); i++)
		if (ev[i].type == EV_KEY && ev[i].code == KEY_POWER && ev[i].value == 1)
			on_press();
}

static struct loop_fd *free_slot(void)
{
	for (int k = 0; k < MAX_BUTTONS; k++)
		if (!buttons[k].registered)
			return &buttons[k];
	return NULL;
}

int power_button_add(int fd, power_button_cb cb)
{
	struct loop_fd *b = free_slot();

	on_press = cb;
	if (!b)
		return -1;
	b->fd = fd;
	b->cb = button_event;
	if (loop_fd_add(b, EPOLLIN) < 0)
		return -1;
	n_buttons++;
	return 0;
}

int power_buttons_watched(void)
{
	return n_buttons;
}

int power_button_watch(power_button_cb cb)
{
	DIR *d = opendir("/dev/input");
	struct dirent *e;
	char path[300];

	on_press = cb;
	if (!d) {
		log_warn("no /dev/input: the power button will not be seen");
		return 0;
	}
	while ((e = readdir(d)) && n_buttons < MAX_BUTTONS) {
		int fd;

		if (strncmp(e->d_name, "event", 5) != 0)
			continue;
		snprintf(path, sizeof(path), "/dev/input/%s", e->d_name);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!can_send_power_key(fd) || power_button_add(fd, cb) < 0) {
			close(fd);
			continue;
		}
		log_info("watching %s for the power button", path);
	}
	closedir(d);
	if (n_buttons == 0)
		log_warn("no input device sends KEY_POWER: the power button will not be seen");
	return n_buttons;
}
