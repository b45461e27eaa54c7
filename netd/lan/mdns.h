/* mDNS on the Wi-Fi LAN (issue 16): a reflector between the host link and
 * the Wi-Fi side, and a responder for mdnsd-services.conf. See mdns.c. */
#ifndef NETD_MDNS_H
#define NETD_MDNS_H

#define MDNS_REFLECT_PER_SECOND 100	/* messages passed each way in a second */
#define MDNS_LOOP_WINDOW_MS 800		/* the same bytes again within it: a loop */

/* Reads the switch (the plan) and mdnsd-services.conf. */
void mdns_init(void);
/* Warns for services without a port forward (after the forwards are read). */
void mdns_check_forwards(void);
/* Says goodbye for the services, closes the sockets. */
void mdns_stop(void);
/* What the firewall opens: UDP 5353 from the host link, from the Wi-Fi. */
int mdns_wants_host(void);
int mdns_wants_wifi(void);
/* For the status: "on", "off"; the counters. */
const char *mdns_reflector_state(void);
unsigned mdns_service_count(void);
unsigned long long mdns_reflected(void);
unsigned long long mdns_dropped(void);

#endif
