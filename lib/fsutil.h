/* Small file helpers shared by the daemons. */
#ifndef WB_FSUTIL_H
#define WB_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* Writes data to path through a temporary file and rename(2), so that a
 * reader sees the old or the new content, never half of it. 0 or -errno. */
int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);
/* mkdir -p; 0 or -errno. */
int mkdir_p(const char *path, mode_t mode);
/* Writes value to an existing kernel file (sysfs, procfs) in place, as
 * one write; 0 or -errno. */
int write_kernel_value(const char *path, const char *value);
/* Reads at most max-1 bytes of a small file, NUL-terminated; length or
 * -errno (-ENOBUFS when max is 0: not even the NUL fits). */
ssize_t read_small_file(const char *path, char *buf, size_t max);

#endif
