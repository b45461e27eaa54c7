/* Shared by the real sides of the kernel seam (system*.c) only. */
#ifndef NETD_SYSTEM_IMPL_H
#define NETD_SYSTEM_IMPL_H

#include "system.h"

int rtnl_open(const struct sys_handlers *h);
void rtnl_close(void);
int nl80211_open(const struct sys_handlers *h);
void nl80211_close(void);
void ra_set_handlers(const struct sys_handlers *h);

#endif
