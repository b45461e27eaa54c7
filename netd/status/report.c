/* The status file (see status.h for the format, netd/README.md for the
 * keys) and the milestones of the boot timeline. Written on every change,
 * coalesced over a few milliseconds so that a burst of events costs one
 * write to the var share. */
#include "netd.h"
#include "events.h"
#include "dns.h"
#include "mdns.h"
#include "bridged.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "firewall.h"
#include "fsutil.h"
#include "log.h"
#include "paths.h"
#include "status.h"

#define COALESCE_MS 10
/* At most four writes a second on the share: a burst of changes costs one
 * write per quarter second, not one per event. Under TCG each write is
 * some 10-15 ms of the vCPU (the text, the firewall counters, the atomic
 * write over 9P). */
#define WRITE_GAP_MS 250
/* A station's uplink coming up (wpa_supplicant's start, the scan, the
 * association, the DHCP exchange) waits for no status write until the
 * lease is there, or this long after the start: on a resume that is the
 * time the user's network is gone, and the writes would take the vCPU
 * from wpa_supplicant. */
#define UPLINK_HOLD_MS 2000
#define INIT_MILESTONES_MAX 4096

static int write_failed;
static int force_next;	/* `netd status` asked: written at once, even if unchanged */
static int have_written;
static uint64_t last_write_ms;
static uint64_t due_ms;	/* when the status timer fires, if pending */

void report_milestone(const char *name)
{
	struct milestone *m;

	for (unsigned k = 0; k < netd.n_milestones; k++)
		if (!strcmp(netd.milestones[k].name, name))
			return;	/* the first time is the timeline's */
	if (netd.n_milestones == MAX_MILESTONES)
		return;
	m = &netd.milestones[netd.n_milestones++];
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->ms = loop_now_ms();
	log_info("milestone %s at %llu ms", name, (unsigned long long)m->ms);
	report_changed();
}

/* From wpa_supplicant's start until the uplink's lease, at most
 * UPLINK_HOLD_MS: when that hold ends, else 0. */
static uint64_t uplink_hold_end(void)
{
	const struct wifi *w = &netd.sup;

	if (netd.mode != MODE_STATION || !w->proc.pid || netd.have_lease)
		return 0;
	return w->started_ms + UPLINK_HOLD_MS;
}

/* When the next write may be: 10 ms from now, or later when a quarter
 * second since the last write is not over, or until HOLD_END while the
 * uplink comes up. */
static uint64_t write_due_ms(uint64_t now, uint64_t hold_end)
{
	uint64_t due = now + COALESCE_MS;

	if (have_written && last_write_ms + WRITE_GAP_MS > due)
		due = last_write_ms + WRITE_GAP_MS;
	return hold_end > due ? hold_end : due;
}

/* The earliest of the times asked for, so the uplink's lease ends the
 * hold at once; but a hold under way puts off a write already due. A
 * person asking (`netd status`) waits for neither the gap nor the hold. */
void report_changed(void)
{
	uint64_t now = loop_now_ms(), hold_end = force_next ? 0 : uplink_hold_end();
	uint64_t due = force_next ? now + COALESCE_MS : write_due_ms(now, hold_end);

	if (netd.status_timer.pending && due >= due_ms && hold_end <= now)
		return;
	due_ms = due;
	loop_timer_set(&netd.status_timer, due - now);
}

/* Whatever happened shows in the status. */
void report_on_event(const struct netd_ev *ev)
{
	(void)ev;
	report_changed();
}

/* ---- pieces ------------------------------------------------------------------ */

static const char *link_state(const struct link *l)
{
	if (!l->ifindex)
		return "missing";
	if (!(l->flags & SYS_LINK_UP))
		return "down";
	return l->flags & SYS_LINK_CARRIER ? "up" : "no-carrier";
}

static const char *addr_of(const struct link *l, const struct sys_addr *a, int want, char *buf, size_t size)
{
	char ip[INET6_ADDRSTRLEN];

	if (!want || !l->ifindex || !view_has_addr(a))
		return "";
	inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->v4 : (const void *)&a->v6, ip, sizeof(ip));
	snprintf(buf, size, "%s/%u", ip, a->prefix);
	return buf;
}

static const char *ipv4(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* Optional numbers: the key is always there, empty when unknown. */
static void add_num(struct status_buf *b, const char *key, int known, long long v)
{
	if (known)
		status_add(b, key, "%lld", v);
	else
		status_add(b, key, "%s", "");
}

static const char *svc_text(const struct svc *s)
{
	return sup_state_name(s->sup.state);
}

static void add_bridged(struct status_buf *b)
{
	char ip[INET_ADDRSTRLEN];
	struct in_addr host = bridged_host();

	status_add(b, "bridged", "%s", bridged_state());
	status_add(b, "bridged_host", "%s", host.s_addr ? ipv4(host, ip) : "");
	status_add(b, "bridged_neighbours", "%s", bridged_neighbours());
	status_add(b, "bridged_relayed", "%llu", bridged_relayed());
	status_add(b, "bridged_fallback", "%s", bridged_fallback_reason());
	status_add(b, "bridged_host6", "%s", bridged_hosts6());
}

static void add_host_link(struct status_buf *b)
{
	char a[64], gw[INET_ADDRSTRLEN];
	const struct link *l = &netd.eth;

	status_add(b, "host_link", "%s", l->name);
	status_add(b, "host_link_state", "%s", link_state(l));
	status_add(b, "host_addr", "%s", addr_of(l, &l->addr4, l->want4, a, sizeof(a)));
	status_add(b, "host_addr6", "%s", addr_of(l, &l->addr6, l->want6, a, sizeof(a)));
	status_add(b, "host_gateway", "%s", l->want_gateway ? ipv4(l->gateway, gw) : "");
	status_add(b, "dhcp_server", "%s", svc_text(&netd.dhcpd));
	status_add(b, "dhcp_server_settings", "%s", netd.tmpl_from_file ? paths.udhcpd_template : "built-in");
	add_num(b, "dhcp_server_lease_s", netd.dhcpd_lease_s != 0, netd.dhcpd_lease_s);
	status_add(b, "dhcp_server_restarts", "%u", netd.dhcpd.sup.restarts);
	status_add(b, "dns_forwarder", "%s", dns_state());
	status_add(b, "dns_forwarder_upstream", "%s", dns_upstream());
	status_add(b, "mdns_reflector", "%s", mdns_reflector_state());
	status_add(b, "mdns_reflected", "%llu", mdns_reflected());
	status_add(b, "mdns_dropped", "%llu", mdns_dropped());
	status_add(b, "mdns_services", "%u", mdns_service_count());
	add_bridged(b);
}

static void add_wifi_link(struct status_buf *b)
{
	const struct wpa_link *w = &netd.sup.link;

	status_add(b, "wifi_state", "%s", w->state);
	status_add(b, "wifi_connected", "%d", netd.sup.connected);
	status_add(b, "wifi_connected_ms", "%llu", (unsigned long long)(netd.sup.connected ? netd.sup.connected_ms : 0));
	status_add(b, "ssid", "%s", w->ssid);
	status_add(b, "bssid", "%s", w->bssid);
	add_num(b, "freq_mhz", w->freq != 0, w->freq);
	add_num(b, "signal_dbm", w->has_signal && netd.sup.connected, w->signal);
	status_add(b, "key_mgmt", "%s", w->key_mgmt);
	if (netd.mode == MODE_AP)
		status_add(b, "stations", "%d", w->stations);
}

static void add_wifi(struct status_buf *b)
{
	const struct wifi *s = &netd.sup;

	status_add(b, "wifi_iface", "%s", netd.wifi.ifindex ? netd.wifi.name : "");
	if (netd.wifi.ifindex)
		status_add(b, "wifi_phy", "phy%u", netd.wiphy);
	else
		status_add(b, "wifi_phy", "%s", "");
	status_add(b, "wifi_link_state", "%s", link_state(&netd.wifi));
	status_add(b, "country", "%s", netd.app.country);
	status_add(b, "wifi_daemon", "%s", netd.mode == MODE_NONE ? "none" : s->daemon);
	status_add(b, "wifi_daemon_state", "%s", wifi_state_name(s->state));
	status_add(b, "wifi_daemon_pid", "%d", (int)s->proc.pid);
	status_add(b, "wifi_daemon_restarts", "%u", s->sup.restarts);
	status_add(b, "wifi_daemon_crash_loop", "%d", s->sup.crash_loop);
	status_add(b, "wifi_daemon_started_ms", "%llu", (unsigned long long)s->started_ms);
	add_wifi_link(b);
	status_add(b, "wifi_problem", "%s", s->problem);
}

static void add_uplink(struct status_buf *b)
{
	char a[64], gw[INET_ADDRSTRLEN];
	const struct link *up = netd.mode == MODE_AP ? &netd.eth : &netd.wifi;

	status_add(b, "uplink", "%s", netd.mode == MODE_NONE || !up->ifindex ? "" : up->name);
	status_add(b, "uplink_addr", "%s", addr_of(up, &up->addr4, up->want4, a, sizeof(a)));
	status_add(b, "uplink_gateway", "%s", up->want_gateway ? ipv4(up->gateway, gw) : "");
	status_add(b, "dhcp_client", "%s", netd.mode == MODE_STATION ? svc_text(&netd.dhcpc) : "off");
	status_add(b, "dhcp_client_restarts", "%u", netd.dhcpc.sup.restarts);
	status_add(b, "lease", "%s", netd.have_lease ? "bound" : netd.lease_refused ? "refused" : "none");
	status_add(b, "lease_refused", "%s", netd.lease_refused ? netd.lease_refused : "");
	add_num(b, "lease_s", netd.have_lease, netd.lease.seconds);
	status_add(b, "dns", "%s", netd.dns);
	status_add(b, "domain", "%s", netd.domain);
	status_add(b, "search", "%s", netd.search);
}

static void add_firewall(struct status_buf *b)
{
	struct fw_counters c;

	status_add(b, "forwarding", "%d", netd.forwarding > 0);
	status_add(b, "forwarding6", "%d", netd.forwarding6 > 0);
	status_add(b, "firewall", "%s", netd.fw_state > 0 ? "ok" : netd.fw_state < 0 ? "failed" : "pending");
	if (netd.fw_state <= 0 || fw_read_counters(&c) < 0)
		return;
	status_add(b, "fw_forwarded_packets", "%llu", (unsigned long long)c.forwarded_packets);
	status_add(b, "fw_forwarded_bytes", "%llu", (unsigned long long)c.forwarded_bytes);
	status_add(b, "fw_dropped_inbound_packets", "%llu", (unsigned long long)c.dropped_inbound_packets);
	status_add(b, "fw_dropped_inbound_bytes", "%llu", (unsigned long long)c.dropped_inbound_bytes);
}

static void add_addrs6(struct status_buf *b, const char *key, const struct in6_addr *a, unsigned n)
{
	char text[RA_MAX_DNS * (INET6_ADDRSTRLEN + 1)], ip[INET6_ADDRSTRLEN];
	size_t len = 0;

	text[0] = '\0';
	for (unsigned k = 0; k < n; k++) {
		inet_ntop(AF_INET6, &a[k], ip, sizeof(ip));
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", k ? " " : "", ip);
	}
	status_add(b, key, "%s", text);
}

static const char *ra_state(void)
{
	const struct ipv6 *v = &netd.ipv6;

	if (!v->on)
		return "off";
	if (!v->ra_ifindex || !v->ra_sent)
		return "waiting";
	return v->ra_last.router_lifetime_s ? "advertising" : "prefix-only";
}

/* IPv6 (issue 8): the switch, the uplink's state, what the host is told. */
static void add_ipv6(struct status_buf *b)
{
	const struct ipv6 *v = &netd.ipv6;
	const struct link *up = ipv6_uplink();
	const struct sys_route6 *gw = NULL;
	char a[INET6_ADDRSTRLEN + 4], ip[INET6_ADDRSTRLEN];
	struct sys_addr addr;

	for (unsigned k = 0; up && up->ifindex && k < v->n_routes; k++)
		if (v->routes[k].ifindex == up->ifindex)
			gw = &v->routes[k];
	status_add(b, "ipv6", "%s", v->on ? "on" : "off");
	status_add(b, "ipv6_off_reason", "%s", v->on ? "" : v->off_reason);
	status_add(b, "ipv6_uplink", "%s", ipv6_uplink_ready() ? "yes" : "no");
	status_add(b, "uplink_addr6", "%s", v->on && ipv6_first_global(up, &addr) ?
		   addr_of(up, &addr, 1, a, sizeof(a)) : "");
	status_add(b, "uplink_gateway6", "%s", v->on && gw ? inet_ntop(AF_INET6, &gw->gateway, ip, sizeof(ip)) : "");
	add_addrs6(b, "dns6", v->dns, v->n_dns);
	status_add(b, "uplink6_refused", "%s", v->refused ? v->refused : "");
	status_add(b, "ra", "%s", ra_state());
	status_add(b, "ra_iface", "%s", v->ra_ifindex ? ipv6_inside()->name : "");
	if (v->ra_sent) {
		inet_ntop(AF_INET6, &v->ra_last.prefix, ip, sizeof(ip));
		status_add(b, "ra_prefix", "%s/%u", ip, v->ra_last.prefix_len);
	} else {
		status_add(b, "ra_prefix", "%s", "");
	}
	add_num(b, "ra_router_lifetime_s", v->ra_sent != 0, v->ra_last.router_lifetime_s);
	add_addrs6(b, "ra_dns", v->ra_last.dns, v->ra_last.n_dns);
	status_add(b, "ra_sent", "%u", v->ra_sent);
}

/* ---- milestones: init's file and ours, in time order ---------------------- */

static int valid_name(const char *s, size_t n)
{
	if (!n || n >= sizeof(((struct milestone *)0)->name))
		return 0;
	for (size_t k = 0; k < n; k++)
		if (!isalnum((unsigned char)s[k]) && s[k] != '_' && s[k] != '-' && s[k] != '.')
			return 0;
	return 1;
}

/* "<name> <ms>" lines; anything else is skipped. */
static unsigned read_init_milestones(struct milestone *out, unsigned max)
{
	char text[INIT_MILESTONES_MAX], *line, *next, *sp, *end;
	unsigned n = 0;

	if (read_small_file(paths.milestones, text, sizeof(text)) <= 0)
		return 0;
	for (line = text; line && *line && n < max; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		sp = strchr(line, ' ');
		if (!sp || !valid_name(line, (size_t)(sp - line)))
			continue;
		out[n].ms = strtoull(sp + 1, &end, 10);
		if (end == sp + 1 || *end)
			continue;
		snprintf(out[n].name, sizeof(out[n].name), "init.%.*s", (int)(sp - line), line);
		n++;
	}
	return n;
}

static void add_milestones(struct status_buf *b)
{
	struct milestone all[MAX_MILESTONES * 2], t;
	unsigned n = read_init_milestones(all, MAX_MILESTONES);

	for (unsigned k = 0; k < netd.n_milestones; k++)
		all[n++] = netd.milestones[k];
	for (unsigned i = 1; i < n; i++)	/* insertion sort: stable, tiny */
		for (unsigned j = i; j > 0 && all[j - 1].ms > all[j].ms; j--) {
			t = all[j];
			all[j] = all[j - 1];
			all[j - 1] = t;
		}
	for (unsigned k = 0; k < n; k++) {
		char key[64];

		snprintf(key, sizeof(key), "milestone.%.31s", all[k].name);
		status_add(b, key, "%llu", (unsigned long long)all[k].ms);
	}
}

/* ---- the clock ------------------------------------------------------------------ */

/* 802.1X checks the server's certificate dates against the guest's clock,
 * which bhyve's RTC sets from the host. An image cannot have been built
 * after now: a clock before the build date is certainly wrong. */
const char *clock_state(int64_t now_s, int64_t built_s)
{
	if (!built_s)
		return "unchecked";
	return now_s < built_s ? "before-build-date" : "ok";
}

static void add_utc(struct status_buf *b, const char *key, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char text[32];

	if (!gmtime_r(&tt, &tm) || !strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm))
		text[0] = '\0';
	status_add(b, key, "%s", text);
}

static void add_clock(struct status_buf *b)
{
	int64_t now = (int64_t)time(NULL);

	status_add(b, "clock", "%s", clock_state(now, netd.built_s));
	add_utc(b, "clock_utc", now);
	if (netd.built_s)
		add_utc(b, "built_utc", netd.built_s);
	else
		status_add(b, "built_utc", "%s", "");
}

/* ---- the file ------------------------------------------------------------------ */

static char boot_id[40];

int report_build(char *buf, size_t size)
{
	static struct status_buf b;

	status_init(&b);
	status_add(&b, "version", "1");
	status_add(&b, "boot_id", "%s", boot_id);
	status_add(&b, "netd_pid", "%d", (int)getpid());
	status_add(&b, "netd_starts", "%u", netd.starts);
	status_add(&b, "updated_ms", "%llu", (unsigned long long)loop_now_ms());
	status_add(&b, "state", "%s", netd.stopped ? "stopped" : netd.shutting_down ? "stopping" : "running");
	status_add(&b, "mode", "%s", mode_name(netd.mode));
	status_add(&b, "mode_reason", "%s", netd.mode_reason);
	add_host_link(&b);
	add_wifi(&b);
	add_uplink(&b);
	add_firewall(&b);
	add_ipv6(&b);
	add_clock(&b);
	status_add(&b, "last_error", "%s", netd.last_error);
	status_add(&b, "last_error_code", "%s", netd_err_name(netd.last_error_code));
	status_add(&b, "last_error_ms", "%llu", (unsigned long long)netd.last_error_ms);
	add_milestones(&b);
	if (b.len + 1 > size)
		return -1;
	memcpy(buf, b.text, b.len + 1);
	return (int)b.len;
}

void report_force_next_write(void)
{
	force_next = 1;
}

/* Keys whose value moves without anything happening to netd: the time
 * of writing and the counters, current as of that time. */
static int volatile_key(const char *line, size_t len)
{
	static const char *const keys[] = {
		"updated_ms=", "ra_sent=", "fw_forwarded_packets=", "fw_forwarded_bytes=",
		"fw_dropped_inbound_packets=", "fw_dropped_inbound_bytes=", "clock_utc=",
	};

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (len >= strlen(keys[k]) && !memcmp(line, keys[k], strlen(keys[k])))
			return 1;
	return 0;
}

static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
}

/* Two statuses equal but for their volatile values. */
static int same_but_volatile(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *a_end = a + alen, *b_end = b + blen;

	while (a < a_end && b < b_end) {
		size_t la = line_len(a, a_end), lb = line_len(b, b_end);
		size_t key = (size_t)(strchrnul(a, '=') - a) + 1;

		if (la != lb || memcmp(a, b, la)) {
			if (key > la || key > lb || memcmp(a, b, key) || !volatile_key(a, la))
				return 0;
		}
		a += la;
		b += lb;
	}
	return a == a_end && b == b_end;
}

void report_write_now(void)
{
	static char text[STATUS_MAX], written[STATUS_MAX];
	static int written_len = -1;
	int n = report_build(text, sizeof(text)), rc;

	loop_timer_cancel(&netd.status_timer);
	if (n < 0)
		return;
	/* An event that changed nothing the status shows (a router's periodic
	 * advertisement) costs no write on the share; `netd status` asks for
	 * one anyway, to see updated_ms move. */
	if (!force_next && written_len >= 0 && same_but_volatile(text, (size_t)n, written, (size_t)written_len))
		return;
	force_next = 0;
	rc = write_file_atomic(paths.status, text, (size_t)n, 0644);
	if (rc == -ENOENT) {
		/* an empty or partial var share: make the directory once */
		char dir[256];

		snprintf(dir, sizeof(dir), "%s", paths.status);
		*strrchr(dir, '/') = '\0';
		if (mkdir_p(dir, 0755) == 0)
			rc = write_file_atomic(paths.status, text, (size_t)n, 0644);
	}
	if (rc < 0 && !write_failed)
		log_err("writing the status file %s: %s (the host cannot see netd's state)",
			paths.status, strerror(-rc));
	write_failed = rc < 0;
	written_len = rc < 0 ? -1 : n;
	if (rc >= 0) {
		memcpy(written, text, (size_t)n);
		have_written = 1;
		last_write_ms = loop_now_ms();
	}
}

void report_timer_fired(struct loop_timer *t)
{
	(void)t;
	report_write_now();
}

/* Counts netd's starts in this boot, from the status an earlier netd left. */
void report_load_previous(void)
{
	char text[STATUS_MAX], old_id[40], starts[16];

	if (read_small_file(paths.boot_id, boot_id, sizeof(boot_id)) > 0)
		boot_id[strcspn(boot_id, "\n")] = '\0';
	netd.starts = 1;
	if (read_small_file(paths.status, text, sizeof(text)) <= 0)
		return;
	if (status_get(text, "boot_id", old_id, sizeof(old_id)) && !strcmp(old_id, boot_id) &&
	    status_get(text, "netd_starts", starts, sizeof(starts)))
		netd.starts = (unsigned)strtoul(starts, NULL, 10) + 1;
}
