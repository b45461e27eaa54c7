/* Bridged mode's host address, passed from netd to uds-passthru through
 * a file (by default HOSTADDR_FILE): one IPv4 address and a newline. netd
 * writes it when the host gets its address on the Wi-Fi network and
 * removes it when the host loses it; uds-passthru reads it when a peer
 * outside its network= connects, and lets that one peer in. */
#ifndef WB_HOSTADDR_H
#define WB_HOSTADDR_H

#include <netinet/in.h>

#define HOSTADDR_FILE "/run/netd/bridged-host"

/* Writes a (atomically), or removes the file for 0.0.0.0; 0 or -errno. */
int hostaddr_write(const char *path, struct in_addr a);
/* 0 with *a set; -ENOENT without the file; -EINVAL when it holds no
 * address; another -errno when it cannot be read. */
int hostaddr_read(const char *path, struct in_addr *a);

#endif
