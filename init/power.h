/* The ACPI power button (bhyve's answer to SIGTERM; QEMU's
 * system_powerdown) arrives as KEY_POWER on an input event device. */
#ifndef INIT_POWER_H
#define INIT_POWER_H

typedef void (*power_button_cb)(void);

/* Watches every /dev/input/event* that can send KEY_POWER; returns how many. */
int power_button_watch(power_button_cb cb);
/* Watches one open event device (non-blocking); 0, or -1 when it cannot
 * be (it is then the caller's to close). A device that fails or ends is
 * closed and no longer watched. */
int power_button_add(int fd, power_button_cb cb);
int power_buttons_watched(void);

#endif
