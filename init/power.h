/* The ACPI power button (bhyve's answer to SIGTERM; QEMU's
 * system_powerdown) arrives as KEY_POWER on an input event device. */
#ifndef INIT_POWER_H
#define INIT_POWER_H

typedef void (*power_button_cb)(void);

/* Watches every /dev/input/event* that can send KEY_POWER; returns how many. */
int power_button_watch(power_button_cb cb);

#endif
