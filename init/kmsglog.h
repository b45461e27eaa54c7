/* kmsglog: keeps /var/log/dmesg current by copying the kernel log from
 * /dev/kmsg as it grows, in dmesg's format. A child of init, run as
 * `kmsglog FILE` (the init binary under another name). On SIGTERM it copies
 * what is left and exits, so the log ends with the shutdown's last lines. */
#ifndef INIT_KMSGLOG_H
#define INIT_KMSGLOG_H

#include <stddef.h>

#define KMSGLOG_ROTATE_BYTES (1024 * 1024)

int kmsglog_main(int argc, char **argv);
/* Turns one /dev/kmsg record ("pri,seq,usec,flags;text\n KEY=v...") into
 * "[    1.234567] text\n"; returns the length, 0 to skip, -1 if malformed. */
int kmsg_format(const char *rec, size_t len, char *out, size_t size);

#endif
