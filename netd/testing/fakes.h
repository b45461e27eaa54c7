/* The stand-ins unit tests link instead of the real seams, and what they
 * let a test see and steer. Not part of the netd binary. */
#ifndef NETD_FAKES_H
#define NETD_FAKES_H

#include <stddef.h>

#include "firewall.h"
#include "proc.h"
#include "system.h"
#include "wpactl.h"

/* system-fake.c: calls are logged one per line: "link_up 2",
 * "addr_add 2 10.0.0.1/24", "addr_del ...", "route_add 3 192.168.1.1",
 * "regdom DE", "sysctl PATH VALUE". */
extern char fake_sys_log[8192];
extern const struct sys_handlers *fake_sys;
extern int fake_sys_fail;		/* the next calls fail while > 0 */
void fake_sys_reset(void);
/* Called inside sys_open and sys_open_wifi: the start-up dumps. */
extern void (*fake_sys_dump)(void);
extern void (*fake_sys_dump_wifi)(void);
void fake_sys_link(int ifindex, const char *name, unsigned flags, int gone);
void fake_sys_addr4(int ifindex, const char *cidr, int gone);
void fake_sys_wifi(int ifindex, const char *name, int gone);
/* IPv6: the kernel's state, addresses with flags, default routes, and the
 * advertisements sent ("ra_open IFINDEX NAME", "ra_send LEN", "ra_close"). */
extern enum sys_ipv6 fake_sys_ipv6;
/* The kernel's forwarding switches as the sysctl writes left them, and
 * what the user's sysctl files say about them. */
extern int fake_sys_forward4, fake_sys_forward6;
extern struct sys_forwarding_wish fake_sysctl_wish;
#define RA_FAKE_MAX 512
extern unsigned char fake_ra[RA_FAKE_MAX];	/* the last one sent */
extern size_t fake_ra_len;
extern int fake_ra_sends, fake_ra_ifindex;	/* ifindex: 0 when closed */
void fake_sys_addr6(int ifindex, const char *cidr, unsigned flags, int gone);
void fake_sys_route6(int ifindex, const char *gateway, int gone);
/* A prefix route ("route6_del IFINDEX PREFIX/LEN" when netd removes one). */
void fake_sys_prefix6(int ifindex, const char *cidr, int gone);

/* proc-fake.c: "spawn NAME ARGV...", "kill NAME SIG", "adopt NAME ARG". */
extern char fake_proc_log[8192];
extern int fake_proc_spawn_fail;
extern int fake_proc_adopt_ok;		/* proc_adopt succeeds */
void fake_proc_reset(void);
void fake_proc_exit(struct proc *p, int wstatus);

/* ctrl-fake.c: "open PATH", "send N CMD" (N: the connection's number). */
extern char fake_ctrl_log[8192];
extern int fake_ctrl_present;		/* ctrl_open finds the socket */
void fake_ctrl_reset(void);
/* Deliver a reply on the command socket / an event on the monitor. */
void fake_ctrl_reply(struct wpactl *c, const char *text);
void fake_ctrl_event(struct wpactl *c, const char *text);
void fake_ctrl_watch_fire(struct wpactl *c);
void fake_ctrl_set_send_error(int err);

/* firewall-fake.c: fake_fw_fail fails both families, fake_fw_fail6 only
 * IPv6; fake_fw_saw_forwarding counts the calls made while the kernel
 * already forwarded (either family). */
extern int fake_fw_calls, fake_fw_fail, fake_fw_fail6, fake_fw_saw_forwarding;
extern struct fw_config fake_fw_last;

/* testing.c: stderr (the log) captured into a string. */
void capture_start(void);
const char *capture_end(void);
/* Counts the lines of log holding needle. */
int count_lines(const char *log, const char *needle);
/* Appends a formatted line to a fake's log. */
void fake_log(char *log, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
