// SRCS: netd/status/status.c
/* `netd status` reads a file on the var share, which the host can write:
 * on arbitrary bytes it must print without crashing, and a value written
 * with status_add comes back from status_get unchanged but for control
 * characters. */
#include "status.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct status_buf b;
	char text[STATUS_MAX], value[600], back[600];
	FILE *null = fopen("/dev/null", "w");
	size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;

	memcpy(text, data, n);
	text[n] = '\0';
	status_print(text, null);
	fclose(null);
	n = size < 500 ? size : 500;
	memcpy(value, data, n);
	value[n] = '\0';
	status_init(&b);
	status_add(&b, "ssid", "%s", value);
	if (!status_get(b.text, "ssid", back, sizeof(back)))
		abort();
	for (size_t k = 0; value[k]; k++)
		if (back[k] != (((unsigned char)value[k] < ' ' || value[k] == 127) ? '?' : value[k]))
			abort();
	return 0;
}
