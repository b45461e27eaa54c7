/* A UDP socket on one interface only (SO_BINDTODEVICE), broadcasts
 * allowed, bound to port (0: none, for sending), sharing the port with
 * others (SO_REUSEADDR): what the UDP relays and bridged mode's DHCP relay
 * listen and send with. The socket, or -errno. */
#ifndef NETD_IFSOCK_H
#define NETD_IFSOCK_H

#include <stdint.h>

int ifsock_udp(const char *ifname, uint16_t port);

#endif
