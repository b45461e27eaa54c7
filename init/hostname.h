/* The guest's host name, from the config share's `hostname` file. */
#ifndef INIT_HOSTNAME_H
#define INIT_HOSTNAME_H

#include <stddef.h>

#define HOSTNAME_DEFAULT "wifibox"

/* Reads path; on a missing, empty or invalid file, reports why (file:line)
 * and puts the default in out. Returns 0 if the file's name was used. */
int hostname_read(const char *path, char *out, size_t size);
int hostname_valid(const char *name);

#endif
