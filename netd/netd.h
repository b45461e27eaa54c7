/* netd's core: the state of everything it runs, and the reactions to the
 * events that reach it (kernel, Wi-Fi daemon, DHCP client, signals). Only
 * the seams (system.h, proc.h, ctrl.h, firewall.h) touch the outside, so
 * the core runs in unit tests against their fakes.
 *
 *   links.c   what the kernel has (links, addresses, Wi-Fi interfaces) and
 *             making it match the plan: addresses, routes, re-apply
 *   dhcp.c    udhcpd on the served link, udhcpc on the uplink, the lease,
 *             resolv.conf
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
#include "firewall.h"
#include "forwards.h"
#include "lease.h"
#include "loop.h"
#include "plan.h"
#include "svc.h"
#include "system.h"
#include "wifi.h"

#define VIEW_LINKS 16
#define VIEW_ADDRS 32
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
	char dhcpd_conf[DHCPD_CONF_MAX];	/* what udhcpd runs with */
	uint32_t dhcpd_lease_s;		/* the short lease while it applies */

	struct svc dhcpc;
	struct lease lease;
	int have_lease;
	int dns_known;			/* the uplink's DNS came at least once */
	char dns[64], domain[LEASE_NAME_MAX], search[LEASE_SEARCH_MAX];
	struct loop_fd sock;		/* udhcpc-event messages */

	int forwarding;			/* ip_forward written */
	int fw_state;			/* 0 none yet, 1 ok, -1 failed */
	char fw_uplink[IF_NAMESIZE], fw_inside[IF_NAMESIZE];
	struct backoff fw_retry;
	unsigned fw_attempts;		/* failures since the last change */
	struct loop_timer fw_timer;
	struct fwd_list forwards;
	uint16_t bridge_ports[BRIDGE_MAX_PORTS];
	size_t n_bridge_ports;
	struct fwuser fwuser;

	struct milestone milestones[MAX_MILESTONES];
	unsigned n_milestones;
	char last_error[200];
	uint64_t last_error_ms;
	uint64_t start_ms;
	unsigned starts;		/* netd starts this boot */
	int shutting_down;
	int stopped;
	int dumping;			/* the first dump: look, do not touch yet */
	struct loop_timer status_timer;
};

extern struct netd netd;

/* netd.c */
int netd_start(void);
void netd_shutdown(void);
void netd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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
void dhcpd_link_gone(struct link *l);
void dhcpc_update(void);
void dhcp_wifi_connected(int connected);
void dhcp_lease_message(const char *msg, size_t len);
int dhcp_open_socket(void);
void dhcp_adopt(void);
void dhcp_stop_all(void);

/* fwuser.c */
void fwuser_start(void);
int fwuser_running(void);

/* report.c */
void report_milestone(const char *name);
void report_changed(void);
void report_write_now(void);
int report_build(char *buf, size_t size);
void report_load_previous(void);
void report_timer_fired(struct loop_timer *t);

#endif
