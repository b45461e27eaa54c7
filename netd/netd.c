/* Start-up (mode, config, the first dump), the firewall, and shutdown. */
#include "netd.h"
#include "events.h"
#include "dns.h"
#include "udprelay.h"
#include "mdns.h"
#include "bridged.h"
#include "remember.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "firewall.h"
#include "fsutil.h"
#include "log.h"
#include "paths.h"

#define DEFAULT_CTRL_DIR "/var/run/wpa_supplicant"

struct netd netd;

/* stderr is the console: it gets errors and the few lines of
 * log_console; syslog gets the rest. debug: everything, everywhere. */
void netd_log_levels(int debug)
{
	log_set_level(debug ? LOG_DEBUG : LOG_INFO);
	log_set_stderr_level(debug ? LOG_DEBUG : LOG_ERR);
}

void netd_error(enum netd_err code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(netd.last_error, sizeof(netd.last_error), fmt, ap);
	va_end(ap);
	netd.last_error_code = code;
	netd.last_error_ms = loop_now_ms();
	log_err("%s", netd.last_error);
	report_changed();
}

/* ---- mode and config ----------------------------------------------------------- */

static void detect_mode(void)
{
	int sta = access(paths.wpa_conf, F_OK) == 0, ap = access(paths.hostapd_conf, F_OK) == 0;

	if (sta && ap)
		log_warn("both %s and %s exist: station mode", paths.wpa_conf, paths.hostapd_conf);
	netd.mode = sta ? MODE_STATION : ap ? MODE_AP : MODE_NONE;
	netd.mode_reason = sta ? paths.wpa_conf : ap ? paths.hostapd_conf : "no Wi-Fi config";
	if (netd.mode == MODE_NONE)
		netd_error(ERR_NO_WIFI_CONFIG, "neither %s nor %s exists: no Wi-Fi; the host link works", paths.wpa_conf,
			   paths.hostapd_conf);
	else
		log_console("%s mode (%s)", netd.mode == MODE_AP ? "access-point" : "station", netd.mode_reason);
}

static void read_interfaces(void)
{
	struct ifc_conf ifc;
	struct conf_reader r;
	int rc = conf_open(&r, paths.interfaces_conf);

	memset(&ifc, 0, sizeof(ifc));
	if (rc == -ENOENT)
		log_info("%s is missing: the contract's defaults apply", paths.interfaces_conf);
	else if (rc < 0)
		netd_error(ERR_CONFIG_UNREADABLE, "reading %s: %s: the contract's defaults apply", paths.interfaces_conf, strerror(-rc));
	else if (ifconf_parse(&r, &ifc))
		netd_error(ERR_CONFIG_SYNTAX, "%s has errors (see above): defaults apply to what could not be read",
			   paths.interfaces_conf);
	conf_close(&r);
	plan_resolve(&ifc, netd.mode, paths.interfaces_conf, &netd.plan);
}

/* wpa_supplicant's extra config (-I): a ctrl_interface when
 * wpa_supplicant.conf sets none, so that netd (and the host's wpa_cli) can
 * talk to the daemon, and the last uplink's channel for the first scan. */
static const char *write_wpa_extra(void)
{
	char text[160];
	int n = 0, add_ctrl = !netd.app.ctrl_dir[0], rc;
	unsigned freq = remember_first_freq();

	if (netd.mode != MODE_STATION || (!add_ctrl && !freq))
		return NULL;
	if (add_ctrl)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "ctrl_interface=%s\n", DEFAULT_CTRL_DIR);
	if (freq)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "initial_freq_list=%u\n", freq);
	rc = write_file_atomic(paths.wpa_extra_conf, text, (size_t)n, 0644);
	if (rc < 0) {
		netd_error(ERR_WRITE_FAILED, "writing %s: %s", paths.wpa_extra_conf, strerror(-rc));
		return NULL;
	}
	if (add_ctrl) {
		log_notice("%s sets no ctrl_interface: using %s", paths.wpa_conf, DEFAULT_CTRL_DIR);
		strcpy(netd.app.ctrl_dir, DEFAULT_CTRL_DIR);
	}
	return paths.wpa_extra_conf;
}

static void read_appconf(void)
{
	const char *path = netd.mode == MODE_AP ? paths.hostapd_conf : paths.wpa_conf;
	struct conf_reader r;
	int rc;

	memset(&netd.app, 0, sizeof(netd.app));
	if (netd.mode == MODE_NONE)
		return;
	rc = conf_open(&r, path);
	if (rc < 0) {
		netd_error(ERR_CONFIG_UNREADABLE, "reading %s: %s", path, strerror(-rc));
		return;
	}
	appconf_parse(&r, netd.mode, &netd.app);
	conf_close(&r);
}

/* ---- the Wi-Fi daemon's news ---------------------------------------------------- */

static void forwarding_check(void)
{
	int ready;

	if (netd.fw_state <= 0 || netd.forwarding <= 0)
		return;
	if (netd.mode == MODE_STATION)
		ready = netd.have_lease && netd.wifi.ifindex && !strcmp(netd.fw_uplink, netd.wifi.name);
	else
		ready = netd.mode == MODE_AP && netd.sup.connected && netd.fw_inside[0];
	if (ready)
		report_milestone("forwarding");
}

static void wifi_notify(struct wifi *w, enum wifi_note n)
{
	switch (n) {
	case WN_STATE:
		if (w->state == WS_STARTING)
			report_milestone("wifi_daemon");
		break;
	case WN_CONNECTED:
		report_milestone("associated");
		events_link(EV_ASSOCIATED, &netd.wifi);
		break;
	case WN_DISCONNECTED:
		events_link(EV_DISASSOCIATED, &netd.wifi);
		break;
	case WN_LINK:
		break;
	case WN_PROBLEM:
		snprintf(netd.last_error, sizeof(netd.last_error), "%s", w->problem);
		netd.last_error_code = w->problem_code;
		netd.last_error_ms = loop_now_ms();
		break;
	case WN_DONE:
		netd_check_done();
		return;
	}
	report_changed();
}

/* ---- the firewall ------------------------------------------------------------------ */

#define FW_MAX_ATTEMPTS 8	/* then wait for the next change */

static void fw_describe(struct fw_config *c)
{
	const struct plan_link *in = netd.mode == MODE_AP ? &netd.plan.wifi : &netd.plan.eth;
	const char *wifi = netd.wifi.ifindex ? netd.wifi.name : "";
	/* A station's uplink rules name the Wi-Fi interface it expects
	 * (interfaces.conf's, else wlan0) before it exists: when it comes,
	 * as wpa_supplicant starts and on every resume, there is nothing to
	 * rewrite. One of another name is written in when it is found. */
	const char *uplink = netd.wifi.ifindex ? netd.wifi.name : netd.plan.wifi.name;

	memset(c, 0, sizeof(*c));
	c->mode = netd.mode == MODE_AP ? FW_MODE_AP : FW_MODE_STATION;
	snprintf(c->uplink, sizeof(c->uplink), "%s", netd.mode == MODE_AP ? netd.eth.name : uplink);
	snprintf(c->inside, sizeof(c->inside), "%s", netd.mode == MODE_AP ? wifi : netd.eth.name);
	c->inside_mask = prefix_mask(in->prefix);
	c->inside_net.s_addr = in->addr.s_addr & c->inside_mask.s_addr;
	c->forwards = netd.forwards.items;
	c->n_forwards = netd.forwards.n;
	c->bridge_ports = netd.bridge_ports;
	c->n_bridge_ports = netd.n_bridge_ports;
	c->relay_ports = udprelay_ports(&c->n_relay_ports);
	c->mdns_host = mdns_wants_host();
	c->mdns_wifi = mdns_wants_wifi();
	c->bridged_host = bridged_host();
	c->bridged_prefix6_len = bridged_prefix6(&c->bridged_prefix6);
	c->ipv6 = netd.ipv6.on;
}

static void set_forwarding(int *state, const char *path, int on, const char *family)
{
	if (*state == on)
		return;
	if (sys_sysctl(path, on ? "1" : "0") < 0) {
		netd_error(ERR_KERNEL_REFUSED, "turning %s forwarding %s failed%s", family, on ? "on" : "off",
			   on ? ": the uplink cannot be shared" : "");
		return;
	}
	if (*state >= 0 || on)
		log_info("%s forwarding %s", family, on ? "on: the firewall's rules are in place" :
			 "off: the firewall's rules are not in place");
	*state = on;
}

/* The kernel forwards a family only while netd's rules for it are in
 * place: the built-in policies are ACCEPT, so forwarding without them
 * would route the Wi-Fi side to the host link. Off again when they
 * cannot be applied; and off if the user's sysctl files say so. */
static void follow_firewall(void)
{
	unsigned ok = fw_in_place();
	int sharing = netd.mode != MODE_NONE && !netd.shutting_down;

	set_forwarding(&netd.forwarding, "/proc/sys/net/ipv4/ip_forward",
		       sharing && (ok & FW_IN_PLACE_IPV4) && netd.forward_wish.v4 != 0, "IPv4");
	if (netd.ipv6.on)
		set_forwarding(&netd.forwarding6, "/proc/sys/net/ipv6/conf/all/forwarding",
			       sharing && (ok & FW_IN_PLACE_IPV6) && netd.forward_wish.v6 != 0, "IPv6");
}

static void apply_firewall(int retry)
{
	struct fw_config c;

	if (netd.shutting_down || fwuser_running())
		return;	/* the user's rules tool re-calls us when it is done */
	fw_describe(&c);
	if (!c.inside[0])
		return;	/* access point without its interface yet: nothing inside */
	if (netd.fw_state > 0 && !strcmp(c.uplink, netd.fw_uplink) && !strcmp(c.inside, netd.fw_inside) &&
	    c.bridged_host.s_addr == netd.fw_bridged_host.s_addr &&
	    c.bridged_prefix6_len == netd.fw_bridged_prefix6_len &&
	    !memcmp(&c.bridged_prefix6, &netd.fw_bridged_prefix6, sizeof(c.bridged_prefix6))) {
		forwarding_check();
		return;
	}
	if (!retry)
		netd.fw_attempts = 0;
	loop_timer_cancel(&netd.fw_timer);
	if (fw_apply(&c) < 0) {
		netd.fw_state = -1;
		follow_firewall();
		if (++netd.fw_attempts < FW_MAX_ATTEMPTS) {
			netd_error(ERR_FIREWALL_FAILED, "programming the firewall (uplink '%s'): failed, will retry", c.uplink);
			loop_timer_set(&netd.fw_timer, backoff_fail(&netd.fw_retry));
		} else {
			netd_error(ERR_FIREWALL_FAILED, "programming the firewall (uplink '%s'): failed %u times; trying again at the next change",
				   c.uplink, netd.fw_attempts);
		}
		return;
	}
	backoff_reset(&netd.fw_retry);
	netd.fw_state = 1;
	follow_firewall();
	strcpy(netd.fw_uplink, c.uplink);
	strcpy(netd.fw_inside, c.inside);
	netd.fw_bridged_host = c.bridged_host;
	netd.fw_bridged_prefix6 = c.bridged_prefix6;
	netd.fw_bridged_prefix6_len = c.bridged_prefix6_len;
	log_info("firewall: masquerade out of '%s', inside '%s', %zu port forwards", c.uplink, c.inside,
		 c.n_forwards);
	fwuser_start();
	forwarding_check();
	report_changed();
}

void netd_update_firewall(void)
{
	apply_firewall(0);
}

void firewall_on_event(const struct netd_ev *ev)
{
	switch (ev->type) {
	case EV_WIFI_FOUND:
	case EV_WIFI_GONE:
	case EV_LEASE:
		netd_update_firewall();	/* the uplink or the inside moved */
		break;
	case EV_ASSOCIATED:
		forwarding_check();
		break;
	case EV_LINK_FOUND:
	case EV_LINK_CHANGED:
	case EV_LINK_CONFIGURED:
	case EV_LINK_GONE:
	case EV_ADDR:
	case EV_DISASSOCIATED:
	case EV_LEASE_LOST:
	case EV_DNS6:
	case EV_COUNT:
		break;
	}
}

static void fw_retry_fired(struct loop_timer *t)
{
	(void)t;
	apply_firewall(1);
}

static void load_forwards(void)
{
	const struct plan_link *in = netd.mode == MODE_AP ? &netd.plan.wifi : &netd.plan.eth;
	struct bridge_host host = { netd.plan.eth.addr, netd.plan.eth.prefix };
	struct fwd_env env;
	int rc, network_ok;

	memset(&env, 0, sizeof(env));
	env.mask = prefix_mask(in->prefix);
	env.net.s_addr = in->addr.s_addr & env.mask.s_addr;
	env.self = in->addr;
	if (netd.ipv6.on && in->has_addr6) {
		env.self6 = in->addr6;
		env.prefix6 = in->prefix6;
	}
	netd.n_bridge_ports = bridge_ports_load(paths.uds_passthru_conf, &host, &network_ok,
						netd.bridge_ports, BRIDGE_MAX_PORTS);
	if (!network_ok)
		netd_error(ERR_CONFIG_MISMATCH, "%s: network= is not eth0's address (see above): the host cannot reach "
			   "the control-socket bridge", paths.uds_passthru_conf);
	rc = fwd_load(paths.port_forwards, &env, &netd.forwards);
	if (rc > 0)
		netd_error(ERR_CONFIG_SYNTAX, "%s: %d lines skipped (see above): the others apply", paths.port_forwards, rc);
	else if (rc < 0 && rc != -ENOENT)
		netd_error(ERR_CONFIG_UNREADABLE, "reading %s: %s: no port forwards", paths.port_forwards, strerror(-rc));
}

/* ---- start and stop ---------------------------------------------------------------- */

/* Only netd's own run directory is needed before eth0 serves; udhcpd's
 * lease directory (init makes it; the var share may be partial) is on the
 * var share, slow 9P round trips, and is looked at just after. The status
 * file's directory is made when the first write finds it missing. */
static void make_dirs(void)
{
	char dir[256];
	int rc;

	snprintf(dir, sizeof(dir), "%s", paths.udhcpd_leases);
	*strrchr(dir, '/') = '\0';
	if (access(dir, F_OK) < 0 && (rc = mkdir_p(dir, 0755)) < 0)
		netd_error(ERR_WRITE_FAILED, "creating %s: %s", dir, strerror(-rc));
	if (netd.app.ctrl_dir[0] && (rc = mkdir_p(netd.app.ctrl_dir, 0770)) < 0)
		log_warn("creating %s: %s", netd.app.ctrl_dir, strerror(-rc));
}

/* The defaults new interfaces take, then the user's sysctl files, which
 * have the last word as they had with OpenRC; but forwarding is not
 * theirs to turn on before the firewall is in place: their forwarding
 * keys are noted, and followed once the rules are committed. */
static void kernel_settings(void)
{
	unsigned bad;

	ipv6_kernel_settings();
	bad = sys_apply_sysctl_config(paths.config_dir, &netd.forward_wish);
	if (bad)
		netd_error(ERR_KERNEL_REFUSED, "%u sysctl settings from %s were not applied (see above)", bad, paths.config_dir);
	if (netd.mode != MODE_NONE && netd.forward_wish.v4 == 0)
		log_notice("%s: net.ipv4.ip_forward = 0: the uplink is not shared", paths.config_dir);
}

/* The host link comes first: it is what keeps the host in touch and lets
 * it read the logs; the Wi-Fi side, the firewall and the var share wait. */
/* Said once, at the start, on the console too (a person must see it): the
 * status says it for as long as it lasts. */
static void check_clock(void)
{
	if (!strcmp(clock_state((int64_t)time(NULL), netd.built_s), "before-build-date"))
		log_console("the clock is before this image's build date: certificate checks "
			    "(802.1X) will fail until it is right (is the host's clock right?)");
}

int netd_start(void)
{
	const char *extra;
	int rc;

	netd.start_ms = loop_now_ms();
	netd.forwarding = netd.forwarding6 = -1;
	netd.status_timer.lfd.fd = netd.fw_timer.lfd.fd = -1;
	netd.status_timer.cb = report_timer_fired;
	netd.fw_timer.cb = fw_retry_fired;
	backoff_init(&netd.fw_retry, APPLY_BACKOFF_MIN_MS, APPLY_BACKOFF_MAX_MS);
	report_milestone("netd_start");
	check_clock();
	detect_mode();
	read_appconf();
	read_interfaces();
	if ((rc = mkdir_p(paths.run_dir, 0755)) < 0)
		netd_error(ERR_WRITE_FAILED, "creating %s: %s", paths.run_dir, strerror(-rc));
	remember_load();
	extra = write_wpa_extra();
	links_init();
	ipv6_init();
	wifi_init(&netd.sup, netd.mode, &netd.app, extra, wifi_notify);
	if (extra)
		wifi_first_scan_on(&netd.sup, remember_first_freq());
	bridged_init();	/* before DHCP: the relay may stand in for udhcpd */
	dhcp_init();
	dns_init();
	udprelay_init();
	mdns_init();
	dhcp_open_socket();
	/* the whole picture first: a restarted netd finds its addresses there
	 * and does not set them again */
	netd.dumping = 1;
	if (sys_open(&links_handlers) < 0) {
		netd_error(ERR_NO_RTNETLINK, "rtnetlink is unusable: netd cannot configure the links");
		report_write_now();
		return -1;
	}
	netd.dumping = 0;
	links_apply(&netd.lo);
	links_apply(&netd.eth);

	report_load_previous();
	make_dirs();
	kernel_settings();
	ipv6_start();
	load_forwards();
	mdns_check_forwards();
	netd.dumping = 1;
	sys_open_wifi();
	netd.dumping = 0;
	links_apply(&netd.wifi);
	netd_update_firewall();
	report_write_now();
	return 0;
}

void netd_refresh(void)
{
	report_force_next_write();
	if (netd.mode == MODE_STATION && netd.sup.connected && netd.sup.ctl.ready) {
		wpactl_request(&netd.sup.ctl, WREQ_SIGNAL_POLL);
		return;	/* its reply writes the status */
	}
	report_write_now();
}

void netd_check_done(void)
{
	if (!netd.shutting_down || netd.sup.state != WS_DONE || netd.dhcpd.sup.state != SUP_STOPPED ||
	    netd.dhcpc.sup.state != SUP_STOPPED || !dns_stopped())
		return;
	log_notice("stopped: the Wi-Fi daemon, the DHCP helpers and dnsmasq are down");
	netd.stopped = 1;
	report_write_now();
	loop_quit();
}

void netd_shutdown(void)
{
	if (netd.shutting_down)
		return;
	log_notice("stopping");
	mdns_stop();	/* first: its goodbye must go out while the Wi-Fi is still up */
	ipv6_shutdown();
	netd.shutting_down = 1;
	wifi_event(&netd.sup, WE_SHUTDOWN);
	dhcp_stop_all();
	dns_stop();
	udprelay_stop();
	bridged_stop();
	report_changed();
	netd_check_done();
}
