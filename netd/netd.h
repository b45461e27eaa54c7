/* netd's core: the state of everything it runs, and the reactions to the
 * events that reach it (kernel, Wi-Fi daemon, DHCP client, signals). Only
 * the seams (system.h, proc.h, ctrl.h, firewall.h) touch the outside, so
 * the core runs in unit tests against their fakes.
 *
 *   events.c  what happens to the links, told to every subsystem in its
 *             table (events.h): links.c, netd.c and dhcp.c publish, and
 *             dhcp, ipv6, the firewall and the status subscribe
 *   links.c   what the kernel has (links, addresses, Wi-Fi interfaces) and
 *             making it match the plan: addresses, routes, re-apply
 *   dhcp.c    udhcpd on the served link, udhcpc on the uplink, the lease,
 *             resolv.conf
 *   ipv6.c    IPv6 for the inside: its address, router advertisements,
 *             the uplink's IPv6 state and DNS servers
 *   report.c  the status file and the milestones
 *   netd.c    start-up, mode, firewall, shutdown */
#ifndef NETD_NETD_H
#define NETD_NETD_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>

#include "appconf.h"
#include "backoff.h"
#include "bridge.h"
#include "dhcpd_conf.h"
#include "errcode.h"
#include "firewall.h"
#include "forwards.h"
#include "lease.h"
#include "loop.h"
#include "plan.h"
#include "ra.h"
#include "svc.h"
#include "system.h"
#include "wifi.h"

#define VIEW_LINKS 16
#define VIEW_ADDRS 64		/* IPv6: link-local, SLAAC and privacy addresses */
#define VIEW_WIFI 4
#define SHORT_LEASE_S 60	/* until the uplink's DNS servers are known */
#define MAX_MILESTONES 24
#define APPLY_BACKOFF_MIN_MS 100
#define APPLY_BACKOFF_MAX_MS 5000

/* The kernel's links, addresses and Wi-Fi interfaces, as its events told. */
struct view {
	struct sys_link links[VIEW_LINKS];
	unsigned n_links;
	struct sys_addr addrs[VIEW_ADDRS];
	unsigned n_addrs;
	struct sys_wifi wifi[VIEW_WIFI];
	unsigned n_wifi;
};

/* One link netd configures, and what it wants on it. */
struct link {
	const char *role;		/* "host link", "Wi-Fi" */
	char name[IF_NAMESIZE];
	int ifindex;			/* 0 while the kernel has none */
	unsigned flags;
	int manage_up;			/* netd sets it up (not the Wi-Fi daemon) */
	int want4, want6;
	struct sys_addr addr4, addr6;
	int want_gateway;
	struct in_addr gateway;
	int route_ok;
	struct backoff retry;
	struct loop_timer retry_timer;
};

/* IPv6 (ipv6.c). */
#define IPV6_MAX_ROUTES 4
#define RA_ROUTER_LIFETIME_S 1800	/* 3 x the longest interval */
#define RA_MAX_INTERVAL_MS 600000	/* RFC 4861's default MaxRtrAdvInterval */
#define RA_MIN_INTERVAL_MS 200000
#define RA_INITIAL_INTERVAL_MS 16000	/* MAX_INITIAL_RTR_ADVERT_INTERVAL */
#define RA_INITIAL_COUNT 3
#define RA_MIN_DELAY_MS 3000		/* MIN_DELAY_BETWEEN_RAS */
#define RA_ANSWER_DELAY_MS 500		/* MAX_RA_DELAY_TIME */
#define RA_VALID_S 86400
#define RA_PREFERRED_S 14400
#define RA_DNS_LIFETIME_S 1800
#define RA_BRIDGED_VALID_S 1800		/* bridged mode's prefix: the Wi-Fi network's */
#define RA_BRIDGED_PREFERRED_S 900

struct ipv6 {
	int on;				/* decided at start: the switch, the kernel */
	char off_reason[128];
	struct sys_route6 routes[IPV6_MAX_ROUTES];	/* the kernel's default routes */
	unsigned n_routes;
	int uplink_ready;		/* as last said in the log */
	/* the uplink's DNS servers, from its advertisements */
	struct in6_addr dns[RA_MAX_DNS];
	uint64_t dns_expires_ms[RA_MAX_DNS];
	unsigned n_dns;
	struct loop_timer dns_timer;	/* the next one to expire */
	/* the uplink advertised a prefix inside the inside's (refused) */
	const char *refused;		/* why, for the status; NULL: nothing */
	struct in6_addr refused_prefix;	/* said once per prefix */
	uint8_t refused_len;
	struct in6_addr fallback[RA_MAX_DNS];	/* when the uplink gives none */
	unsigned n_fallback;
	/* the advertiser, on the inside link */
	int ra_ifindex;			/* the socket's link; 0: closed */
	unsigned ra_initial;		/* fast advertisements left */
	uint64_t ra_last_ms;		/* the last one sent, 0: none yet */
	uint64_t ra_due_ms;		/* the next one, while ra_timer is pending */
	unsigned ra_sent;
	struct ra_params ra_last;	/* what was advertised last */
	struct loop_timer ra_timer;
	uint32_t seed;
};

/* The user's iptables files being loaded (fwuser.c). */
struct fwuser {
	struct proc proc;
	struct loop_fd out;
	char buf[4096];
	size_t len;
	struct fw_user_rules u;
	unsigned next;		/* the next file */
	int started, running;
};

struct milestone {
	char name[32];
	uint64_t ms;
};

struct netd {
	enum netd_mode mode;
	const char *mode_reason;
	struct plan plan;
	struct appconf app;
	struct view view;
	struct link lo, eth, wifi;
	uint32_t wiphy;

	struct wifi sup;

	struct svc dhcpd;
	struct dhcpd_tmpl tmpl;
	int tmpl_from_file;		/* else the built-in default */
	unsigned dhcpd_quick_exits;
	int have_leases_file;		/* udhcpd's, made before it first starts */
	char dhcpd_conf[DHCPD_CONF_MAX];	/* what udhcpd runs with */
	uint32_t dhcpd_lease_s;		/* the short lease while it applies */

	struct svc dhcpc;
	struct loop_timer renew_timer;	/* a renewal asked after a new association */
	struct lease lease;
	int have_lease;
	const char *lease_refused;	/* why the last lease was not applied, or NULL */
	int dns_known;			/* the uplink's DNS came at least once */
	char dns[64], domain[LEASE_NAME_MAX], search[LEASE_SEARCH_MAX];
	struct loop_fd sock;		/* udhcpc-event messages */

	int forwarding, forwarding6;	/* as written: 1 on, 0 off, -1 not yet */
	struct sys_forwarding_wish forward_wish;	/* the user's sysctl files */
	int fw_state;			/* 0 none yet, 1 ok, -1 failed */
	char fw_uplink[IF_NAMESIZE], fw_inside[IF_NAMESIZE];
	struct in_addr fw_bridged_host;	/* bridged mode's host, as last applied */
	struct in6_addr fw_bridged_prefix6;
	uint8_t fw_bridged_prefix6_len;
	struct backoff fw_retry;
	unsigned fw_attempts;		/* failures since the last change */
	struct loop_timer fw_timer;
	struct fwd_list forwards;
	uint16_t bridge_ports[BRIDGE_MAX_PORTS];
	size_t n_bridge_ports;
	struct fwuser fwuser;

	struct ipv6 ipv6;

	struct milestone milestones[MAX_MILESTONES];
	unsigned n_milestones;
	char last_error[400];		/* room for what to do about it, path included */
	enum netd_err last_error_code;	/* the same, for programs */
	uint64_t last_error_ms;
	uint64_t start_ms;
	int64_t built_s;		/* the image's build date (its files'
					 * mtime, SOURCE_DATE_EPOCH); 0 unknown */
	unsigned starts;		/* netd starts this boot */
	int shutting_down;
	int stopped;
	int dumping;			/* the first dump: look, do not touch yet */
	struct loop_timer status_timer;
};

extern struct netd netd;

/* netd.c */
void netd_log_levels(int debug);
int netd_start(void);
void netd_shutdown(void);
/* Something went wrong that the user should see: logged, and kept in
 * the status as last_error= (the text) and last_error_code=. */
void netd_error(enum netd_err code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void netd_update_firewall(void);
void netd_check_done(void);
void netd_refresh(void);

/* links.c */
void links_init(void);
void links_apply(struct link *l);
void links_set_uplink_addr(const struct lease *l);	/* NULL: none */
extern const struct sys_handlers links_handlers;
int view_has_addr(const struct sys_addr *a);

/* dhcp.c */
void dhcp_init(void);
void dhcpd_update(void);
void dhcp_lease_message(const char *msg, size_t len);
int dhcp_open_socket(void);
void dhcp_stop_all(void);

/* ipv6.c */
void ipv6_init(void);
void ipv6_kernel_settings(void);	/* before the user's sysctl files */
void ipv6_start(void);			/* after them: decides on or off */
void ipv6_update(void);			/* something it depends on changed */
void ipv6_uplink_forget(const char *why);	/* its DNS servers: another router */
void ipv6_shutdown(void);
struct link *ipv6_inside(void);
struct link *ipv6_uplink(void);
int ipv6_uplink_ready(void);
int ipv6_first_global(const struct link *l, struct sys_addr *out);
void ipv6_on_route6(const struct sys_route6 *r, int gone);
/* 1 when the address was refused (removed: it is the inside's prefix). */
int ipv6_on_addr(const struct sys_addr *a, int gone);
unsigned ipv6_on_ndopt(int ifindex, const uint8_t *opts, size_t len);
void ipv6_on_rs(int ifindex);

/* fwuser.c */
void fwuser_start(void);
int fwuser_running(void);

/* report.c */
void report_milestone(const char *name);
void report_changed(void);
void report_write_now(void);
int report_build(char *buf, size_t size);
/* The next report_write_now() writes even if nothing but the time changed. */
void report_force_next_write(void);
void report_load_previous(void);
void report_timer_fired(struct loop_timer *t);
/* The clock against the build date: "ok", "before-build-date" (certainly
 * wrong: certificate checks will fail), or "unchecked" (built_s 0). */
const char *clock_state(int64_t now_s, int64_t built_s);

#endif
