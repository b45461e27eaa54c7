#ifndef NETD_UDHCPC_EVENT_H
#define NETD_UDHCPC_EVENT_H

/* udhcpc's script: reports event (argv[1]) and the lease to the daemon. */
int udhcpc_event_main(const char *event);

#endif
