/* The last uplink that worked, for the next boot (issue 18): see hint.h. */
#ifndef NETD_REMEMBER_H
#define NETD_REMEMBER_H

#include <netinet/in.h>

#include "wpaev.h"

/* Reads the hint (station mode); says what it will do with it. */
void remember_load(void);
/* The frequency of the first scan, or 0: all channels. */
unsigned remember_first_freq(void);
/* 1 and *ip: the address to ask for again on the network joined now (the
 * same SSID, or the same access point while the SSID is not known yet). */
int remember_ip_for(const struct wpa_link *now, struct in_addr *ip);

#endif
