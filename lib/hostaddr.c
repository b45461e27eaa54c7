#include "hostaddr.h"
#include "fsutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int hostaddr_write(const char *path, struct in_addr a)
{
	char text[INET_ADDRSTRLEN + 1];

	if (!a.s_addr)
		return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	inet_ntop(AF_INET, &a, text, INET_ADDRSTRLEN);
	strcat(text, "\n");
	return write_file_atomic(path, text, strlen(text), 0644);
}

int hostaddr_read(const char *path, struct in_addr *a)
{
	char text[INET_ADDRSTRLEN + 2];
	ssize_t n = read_small_file(path, text, sizeof(text));

	if (n < 0)
		return (int)n;
	if (n > 0 && text[n - 1] == '\n')
		text[n - 1] = '\0';
	return inet_pton(AF_INET, text, a) == 1 ? 0 : -EINVAL;
}
