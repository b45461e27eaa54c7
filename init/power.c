#include "power.h"
#include "log.h"
#include "loop.h"

#include <dirent.h>
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

static void button_event(struct loop_fd *lfd, uint32_t events)
{
	struct input_event ev[8];
	ssize_t n = read(lfd->fd, ev, sizeof(ev));

	(void)events;
	for (ssize_t i = 0; i < n / (ssize_t)sizeof(ev[0]); i++)
		if (ev[i].type == EV_KEY && ev[i].code == KEY_POWER && ev[i].value == 1)
			on_press();
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
		if (!can_send_power_key(fd)) {
			close(fd);
			continue;
		}
		buttons[n_buttons].fd = fd;
		buttons[n_buttons].cb = button_event;
		loop_fd_add(&buttons[n_buttons], EPOLLIN);
		log_info("watching %s for the power button", path);
		n_buttons++;
	}
	closedir(d);
	if (n_buttons == 0)
		log_warn("no input device sends KEY_POWER: the power button will not be seen");
	return n_buttons;
}
