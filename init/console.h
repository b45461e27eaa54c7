/* The few lines a person at the console needs: written to /dev/console and
 * logged. Everything else goes only to the log. */
#ifndef INIT_CONSOLE_H
#define INIT_CONSOLE_H

void console_open(void);
void announce(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
