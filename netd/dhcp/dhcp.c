/* DHCP on both sides: udhcpd serves the host (station mode) or the
 * wireless clients (access-point mode) from the udhcpd.conf template, and
 * udhcpc gets the uplink's lease, which reaches netd through its script
 * (netd itself in udhcpc-event mode) as a datagram on the run socket. */
#include "netd.h"
#include "events.h"
#include "dns.h"
#include "remember.h"
#include "bridged.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "paths.h"

#define QUICK_EXIT_MS 2000	/* udhcpd dying this fast read a config it hated */
/* The lease's server answers a renewal in milliseconds (udhcpc waits 2 s
 * for it). Silence means another network: busybox udhcpc would then keep
 * the old address for half its lease time. */
#define RENEW_ANSWER_MS 4000
#define UDHCPD_ARP_MS_AP "500"	/* wireless clients may hold stale addresses */

/* ---- udhcpd ---------------------------------------------------------------- */

static struct link *served_link(void)
{
	return netd.mode == MODE_AP ? &netd.wifi : &netd.eth;
}

static void served(struct dhcpd_served *s)
{
	const struct plan_link *p = netd.mode == MODE_AP ? &netd.plan.wifi : &netd.plan.eth;

	s->addr = p->addr;
	s->prefix = p->prefix;
}

static int served_ready(void)
{
	struct link *l = served_link();

	if (l == &netd.eth && bridged_relaying())
		return 0;	/* the network's server serves the host */
	return l->ifindex && l->want4 && view_has_addr(&l->addr4);
}

static void use_default_template(void)
{
	struct dhcpd_served s;

	served(&s);
	dhcpd_tmpl_load(NULL, &s, &netd.tmpl);
	netd.tmpl_from_file = 0;
}

/* The config udhcpd should run with now; -1 if it cannot be made. */
static int build_conf(char *out, size_t size)
{
	struct dhcpd_served s;
	struct dhcpd_fill f = {
		.ifname = served_link()->name,
		.dns = dns_for_host(),
		.uplink_dns = netd.dns,
		.domain = netd.domain,
		.search = netd.search,
		.short_lease = netd.mode == MODE_STATION && !netd.dns_known ? SHORT_LEASE_S : 0,
	};

	served(&s);
	if (dhcpd_tmpl_fill(&netd.tmpl, &s, &f, out, size) >= 0) {
		netd.dhcpd_lease_s = f.short_lease;
		return 0;
	}
	netd_error(ERR_CONFIG_TOO_LARGE, "%s: too large once filled in: serving with the built-in default", paths.udhcpd_template);
	use_default_template();
	return dhcpd_tmpl_fill(&netd.tmpl, &s, &f, out, size) >= 0 ? 0 : -1;
}

static int write_conf(const char *text)
{
	int rc = write_file_atomic(paths.udhcpd_conf, text, strlen(text), 0644);

	if (rc < 0) {
		netd_error(ERR_WRITE_FAILED, "writing %s: %s", paths.udhcpd_conf, strerror(-rc));
		return -1;
	}
	snprintf(netd.dhcpd_conf, sizeof(netd.dhcpd_conf), "%s", text);
	return 0;
}

/* udhcpd reads its lease file at start and says "can't open" when there
 * is none yet (the first boot with an empty var share): a false error. */
static void make_leases_file(void)
{
	int fd;

	if (netd.have_leases_file)
		return;
	fd = open(paths.udhcpd_leases, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd >= 0)
		close(fd);
	else if (errno != ENOENT)	/* no directory yet: udhcpd makes do */
		log_warn("creating %s: %s", paths.udhcpd_leases, strerror(errno));
	netd.have_leases_file = fd >= 0;
}

static int dhcpd_argv(struct svc *s, const char **argv)
{
	static char text[DHCPD_CONF_MAX];
	int n = 0;

	(void)s;
	if (!served_ready() || build_conf(text, sizeof(text)) < 0)
		return -1;
	make_leases_file();
	if (strcmp(text, netd.dhcpd_conf) && write_conf(text) < 0)
		return -1;
	argv[n++] = paths.udhcpd;
	argv[n++] = "-f";
	argv[n++] = "-S";
	/* no 2 s ARP probe per address on the point-to-point host link */
	argv[n++] = "-a";
	argv[n++] = netd.mode == MODE_AP ? UDHCPD_ARP_MS_AP : "0";
	argv[n++] = paths.udhcpd_conf;
	argv[n] = NULL;
	return 0;
}

/* udhcpd dies at once on settings it rejects: twice, and the user's
 * template gives way to the built-in one, so the host keeps its DHCP. */
static void dhcpd_exited(struct svc *s)
{
	if (s->sup.last_status == PROC_ADOPTED_STATUS || s->sup.ran_ms >= QUICK_EXIT_MS || !netd.tmpl_from_file) {
		netd.dhcpd_quick_exits = 0;
		return;
	}
	if (++netd.dhcpd_quick_exits < 2)
		return;
	netd_error(ERR_HELPER_FAILED, "udhcpd exited at once twice with the settings of %s: serving with the built-in default",
		   paths.udhcpd_template);
	use_default_template();
	netd.dhcpd_quick_exits = 0;
}

static void dhcpd_changed(struct svc *s, int exited)
{
	if (exited)
		dhcpd_exited(s);
	if (s->sup.state == SUP_RUNNING)
		report_milestone("dhcp_server");
	report_changed();
	netd_check_done();
}

static const struct svc_ops dhcpd_ops = { .argv = dhcpd_argv, .changed = dhcpd_changed };

void dhcpd_update(void)
{
	static char text[DHCPD_CONF_MAX];

	if (netd.shutting_down || !served_ready())
		return;
	if (build_conf(text, sizeof(text)) < 0)
		return;
	if (!strcmp(text, netd.dhcpd_conf)) {
		if (netd.dhcpd.sup.state == SUP_STOPPED || netd.dhcpd.sup.state == SUP_STOPPING)
			svc_event(&netd.dhcpd, SUP_START);
		return;
	}
	if (write_conf(text) < 0)
		return;
	log_info("udhcpd settings changed: %s", netd.dhcpd.sup.state == SUP_STOPPED ? "starting it" : "restarting it");
	svc_event(&netd.dhcpd, netd.dhcpd.sup.state == SUP_STOPPED ? SUP_START : SUP_RESTART);
}

/* udhcpd's socket is bound to the interface it started on: when that goes
 * away, udhcpd must go too, and start again on the next one. */
static void dhcpd_link_gone(struct link *l)
{
	if (l == served_link() && netd.dhcpd.sup.state != SUP_STOPPED) {
		log_notice("udhcpd: %s went away: stopping it until the link is back", l->name);
		svc_event(&netd.dhcpd, SUP_STOP);
	}
}

/* ---- udhcpc ------------------------------------------------------------------ */

static char hostname_arg[80], last_ip_arg[INET_ADDRSTRLEN];

static int dhcpc_argv(struct svc *s, const char **argv)
{
	char host[64];
	struct in_addr last_ip;
	int n = 0;

	(void)s;
	if (!netd.wifi.ifindex)
		return -1;
	argv[n++] = paths.udhcpc;
	argv[n++] = "-f";
	argv[n++] = "-S";
	argv[n++] = "-i";
	argv[n++] = netd.wifi.name;
	argv[n++] = "-s";
	argv[n++] = paths.udhcpc_script;
	argv[n++] = "-O";
	argv[n++] = "search";
	/* quick retries: netd starts it once associated, and asks again
	 * (SIGUSR1) on every new association */
	argv[n++] = "-t";
	argv[n++] = "4";
	argv[n++] = "-T";
	argv[n++] = "2";
	argv[n++] = "-A";
	argv[n++] = "5";
	if (remember_ip_for(&netd.sup.link, &last_ip)) {
		inet_ntop(AF_INET, &last_ip, last_ip_arg, sizeof(last_ip_arg));
		argv[n++] = "-r";	/* the address it had there last */
		argv[n++] = last_ip_arg;
	}
	if (gethostname(host, sizeof(host)) == 0 && host[0] && strcmp(host, "(none)") && valid_domain(host)) {
		snprintf(hostname_arg, sizeof(hostname_arg), "hostname:%s", host);
		argv[n++] = "-x";
		argv[n++] = hostname_arg;
	}
	argv[n] = NULL;
	return 0;
}

static void dhcpc_changed(struct svc *s, int exited)
{
	(void)s;
	(void)exited;
	report_changed();
	netd_check_done();
}

static const struct svc_ops dhcpc_ops = { .argv = dhcpc_argv, .changed = dhcpc_changed };

static int dhcpc_wanted(void)
{
	if (netd.shutting_down || netd.mode != MODE_STATION || netd.plan.wifi.v4 != PLAN_V4_DHCP ||
	    !netd.wifi.ifindex)
		return 0;
	/* started at the first association; then it stays */
	return netd.sup.connected || netd.dhcpc.sup.state != SUP_STOPPED;
}

static void dhcpc_update(void)
{
	int want = dhcpc_wanted();

	if (want && netd.dhcpc.sup.state == SUP_STOPPED)
		svc_event(&netd.dhcpc, SUP_START);
	else if (!want && netd.dhcpc.sup.state != SUP_STOPPED)
		svc_event(&netd.dhcpc, SUP_STOP);
}

static void dhcp_wifi_connected(int connected)
{
	if (!connected)
		return;
	if (netd.dhcpc.sup.state == SUP_RUNNING && svc_signal(&netd.dhcpc, SIGUSR1) == 0) {
		log_info("udhcpc on %s: asking for the lease again after the new association", netd.wifi.name);
		if (netd.have_lease)
			loop_timer_set(&netd.renew_timer, RENEW_ANSWER_MS);
		return;
	}
	dhcpc_update();
}


/* ---- the lease ----------------------------------------------------------------- */

static void join_dns(const struct lease *l, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (unsigned k = 0; k < l->n_dns; k++) {
		char a[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &l->dns[k], a, sizeof(a));
		len += (size_t)snprintf(out + len, size - len, "%s%s", k ? " " : "", a);
		if (len >= size)
			return;
	}
}

static void write_resolv_conf(const struct lease *l)
{
	char text[1024];
	size_t len;
	int rc;

	len = (size_t)snprintf(text, sizeof(text), "# written by netd from %s%s\n",
			       strcmp(l->ifname, "interfaces.conf") ? "the DHCP lease on " : "", l->ifname);
	if (l->search[0] || l->domain[0])
		len += (size_t)snprintf(text + len, sizeof(text) - len, "search %s\n",
					l->search[0] ? l->search : l->domain);
	for (unsigned k = 0; k < l->n_dns; k++) {
		char a[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &l->dns[k], a, sizeof(a));
		len += (size_t)snprintf(text + len, sizeof(text) - len, "nameserver %s\n", a);
	}
	rc = write_file_atomic(paths.resolv_conf, text, len, 0644);
	if (rc < 0)
		netd_error(ERR_WRITE_FAILED, "writing %s: %s", paths.resolv_conf, strerror(-rc));
}

/* Without a DHCP uplink (access point, or a static station address), the
 * DNS servers are interfaces.conf's dns-nameservers, for udhcpd's
 * %%DNS%% and resolv.conf. */
static void static_dns(void)
{
	const struct plan_link *from[] = { &netd.plan.wifi, &netd.plan.eth };
	struct lease l;

	if (netd.mode == MODE_NONE || netd.plan.wifi.v4 == PLAN_V4_DHCP)
		return;
	memset(&l, 0, sizeof(l));
	snprintf(l.ifname, sizeof(l.ifname), "%s", "interfaces.conf");
	for (size_t k = 0; k < 2; k++)
		for (unsigned i = 0; i < from[k]->n_dns && l.n_dns < LEASE_MAX_DNS; i++)
			l.dns[l.n_dns++] = from[k]->dns[i];
	if (!l.n_dns)
		return;
	join_dns(&l, netd.dns, sizeof(netd.dns));
	netd.dns_known = 1;
	write_resolv_conf(&l);
}

static void drop_lease(void)
{
	if (!netd.have_lease)
		return;
	netd.have_lease = 0;
	links_set_uplink_addr(NULL);
	/* the last DNS servers stay with udhcpd: still the best guess */
	events_link(EV_LEASE_LOST, &netd.wifi);
}

/* ---- a lease that would cut the host off -------------------------------------- */

static int unicast4(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return h >> 24 != 0 && h >> 24 != 127 && h < 0xe0000000u;
}

/* Why a lease cannot be applied as it is, or NULL. The host link comes
 * first: an uplink address or router inside its network would send the
 * host's traffic out of the Wi-Fi (or make the gateway the guest's own
 * address); refusing is the only safe answer, since no route can tell
 * the two networks apart. */
static const char *lease_problem(const struct lease *l)
{
	const struct plan_link *host = &netd.plan.eth;

	if (!unicast4(l->ip) || (l->has_router && !unicast4(l->router)))
		return "not-unicast";
	if (net4_overlap(l->ip, l->prefix, host->addr, host->prefix) ||
	    (l->has_router && net4_overlap(l->router, 32, host->addr, host->prefix)))
		return "overlaps-host-link";
	return NULL;
}

static void refuse_lease(const struct lease *l, const char *why)
{
	const struct plan_link *host = &netd.plan.eth;
	struct in_addr net = { host->addr.s_addr & prefix_mask(host->prefix).s_addr };
	char ip[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN], hn[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &l->ip, ip, sizeof(ip));
	inet_ntop(AF_INET, &l->router, gw, sizeof(gw));
	inet_ntop(AF_INET, &net, hn, sizeof(hn));
	if (netd.have_lease)
		drop_lease();
	if (netd.lease_refused == why)
		return;	/* said once, not at every renewal */
	netd.lease_refused = why;
	if (!strcmp(why, "overlaps-host-link"))
		netd_error(ERR_ADDRESS_CONFLICT, "uplink lease on %s refused: %s/%u%s%s overlaps the host link %s %s/%u; "
			   "the host keeps its link. To use this network, move the host subnet: "
			   "iface %s address in %s", l->ifname, ip, l->prefix, l->has_router ? " via " : "",
			   l->has_router ? gw : "", netd.eth.name, hn, host->prefix, netd.eth.name,
			   paths.interfaces_conf);
	else
		netd_error(ERR_INVALID_ADDRESS, "uplink lease on %s refused: %s/%u%s%s is not a unicast address", l->ifname, ip,
			   l->prefix, l->has_router ? " via " : "", l->has_router ? gw : "");
}

/* DNS servers the host could not use, or that would point it back at
 * its own link, are not passed on. */
static void usable_dns(struct lease *l)
{
	const struct plan_link *host = &netd.plan.eth;
	char a[INET_ADDRSTRLEN];
	unsigned n = 0;

	for (unsigned k = 0; k < l->n_dns; k++) {
		if (unicast4(l->dns[k]) && !net4_overlap(l->dns[k], 32, host->addr, host->prefix)) {
			l->dns[n++] = l->dns[k];
			continue;
		}
		log_warn("uplink lease on %s: DNS server %s is %s: not passed on", l->ifname,
			 inet_ntop(AF_INET, &l->dns[k], a, sizeof(a)),
			 unicast4(l->dns[k]) ? "on the host link" : "not a unicast address");
	}
	l->n_dns = (uint8_t)n;
}

/* The console hears of a new address, not of every renewal. */
static void announce_lease(const struct lease *l)
{
	char ip[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &l->ip, ip, sizeof(ip));
	inet_ntop(AF_INET, &l->router, gw, sizeof(gw));
	if (netd.have_lease && netd.lease.ip.s_addr == l->ip.s_addr && netd.lease.prefix == l->prefix)
		log_info("uplink lease on %s: %s/%u for %u s", l->ifname, ip, l->prefix, l->seconds);
	else
		log_console("uplink address %s/%u%s%s on %s (lease %u s)", ip, l->prefix,
			    l->has_router ? " via " : "", l->has_router ? gw : "", l->ifname, l->seconds);
}

/* A lease without DNS servers says this network gives none: the last
 * network's must not linger in udhcpd.conf and resolv.conf. */
static void take_dns(const struct lease *l)
{
	if (!l->n_dns && netd.dns[0])
		log_notice("uplink lease on %s has no DNS servers: the host gets the fallback ones", l->ifname);
	join_dns(l, netd.dns, sizeof(netd.dns));
	_Static_assert(sizeof(netd.domain) == sizeof(l->domain) && sizeof(netd.search) == sizeof(l->search),
		       "the lease's names fit as they are");
	memcpy(netd.domain, l->domain, sizeof(netd.domain));
	memcpy(netd.search, l->search, sizeof(netd.search));
	netd.dns_known = 1;
	write_resolv_conf(l);
}

static void take_lease(const struct lease *offered)
{
	struct lease copy = *offered;
	const char *why = lease_problem(&copy);

	if (why) {
		refuse_lease(&copy, why);
		return;
	}
	netd.lease_refused = NULL;
	usable_dns(&copy);
	announce_lease(&copy);
	netd.lease = copy;
	netd.have_lease = 1;
	links_set_uplink_addr(&copy);
	take_dns(&copy);
	report_milestone("lease");
	dhcpd_update();
	events_link(EV_LEASE, &netd.wifi);
}

/* Nobody answered for the lease on the network just joined: it is not
 * the lease's network. Its address and routes go, and udhcpc starts over
 * (its first act is a deconfig, then a discover). */
static void renew_unanswered(struct loop_timer *t)
{
	char ip[INET_ADDRSTRLEN];

	(void)t;
	if (!netd.have_lease || netd.dhcpc.sup.state != SUP_RUNNING)
		return;
	log_notice("udhcpc on %s: no answer for the lease %s on the network just joined: asking for a new one",
		   netd.wifi.name, inet_ntop(AF_INET, &netd.lease.ip, ip, sizeof(ip)));
	drop_lease();
	svc_event(&netd.dhcpc, SUP_RESTART);
	report_changed();
}

static void apply_lease(const struct lease *l)
{
	if (l->event != LEASE_LEASEFAIL)
		loop_timer_cancel(&netd.renew_timer);	/* a server answered */
	switch (l->event) {
	case LEASE_BOUND:
	case LEASE_RENEW:
		take_lease(l);
		break;
	case LEASE_DECONFIG:
		drop_lease();
		netd.lease_refused = NULL;
		break;
	case LEASE_LEASEFAIL:
		log_warn("udhcpc on %s: no answer from a DHCP server yet", l->ifname);
		break;
	case LEASE_NAK:
		log_warn("udhcpc on %s: the DHCP server refused the address (NAK)", l->ifname);
		break;
	}
	report_changed();
}

void dhcp_lease_message(const char *msg, size_t len)
{
	struct lease l;

	if (lease_parse(msg, len, &l) < 0)
		return;
	if (netd.mode != MODE_STATION || strcmp(l.ifname, netd.wifi.name) || !netd.wifi.ifindex) {
		log_warn("udhcpc %s on %s: not the uplink, ignored", lease_event_name(l.event), l.ifname);
		return;
	}
	apply_lease(&l);
}

static void socket_readable(struct loop_fd *lfd, uint32_t events)
{
	char buf[LEASE_MSG_MAX + 1];
	ssize_t n;

	(void)events;
	while ((n = recv(lfd->fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0)
		dhcp_lease_message(buf, (size_t)n);
}

int dhcp_open_socket(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(paths.socket) >= sizeof(sa.sun_path)) {
		netd_error(ERR_SOCKET_FAILED, "creating the udhcpc event socket: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	strcpy(sa.sun_path, paths.socket);
	unlink(paths.socket);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		netd_error(ERR_SOCKET_FAILED, "binding %s: %s", paths.socket, strerror(errno));
		close(fd);
		return -1;
	}
	chmod(paths.socket, 0600);
	netd.sock.fd = fd;
	netd.sock.cb = socket_readable;
	return loop_fd_add(&netd.sock, EPOLLIN);
}

/* ---- an earlier netd's helpers ----------------------------------------------- */

/* udhcpc left running on the uplink: its last lease is in the file its
 * script keeps, so the address and DNS need not wait for a renewal. */
static void dhcp_adopt(void)
{
	char msg[LEASE_MSG_MAX + 1];
	ssize_t n;

	if (netd.mode != MODE_STATION || netd.plan.wifi.v4 != PLAN_V4_DHCP)
		return;
	if (svc_adopt(&netd.dhcpc, "udhcpc", netd.wifi.name) < 0)
		return;
	n = read_small_file(paths.lease, msg, sizeof(msg));
	if (n > 0)
		dhcp_lease_message(msg, (size_t)n);
}

static void adopt_dhcpd(void)
{
	ssize_t n;

	if (svc_adopt(&netd.dhcpd, "udhcpd", paths.udhcpd_conf) < 0)
		return;
	/* what it runs with: a change restarts it, the same leaves it be */
	n = read_small_file(paths.udhcpd_conf, netd.dhcpd_conf, sizeof(netd.dhcpd_conf));
	if (n < 0)
		netd.dhcpd_conf[0] = '\0';
}

void dhcp_stop_all(void)
{
	svc_event(&netd.dhcpc, SUP_STOP);
	svc_event(&netd.dhcpd, SUP_STOP);
}

/* ---- setup -------------------------------------------------------------------- */

static void load_template(void)
{
	struct dhcpd_served s;
	struct conf_reader r;
	int rc;

	served(&s);
	rc = conf_open(&r, paths.udhcpd_template);
	if (rc == -ENOENT) {
		log_info("%s is missing: using the built-in udhcpd settings", paths.udhcpd_template);
		use_default_template();
		return;
	}
	if (rc < 0) {
		netd_error(ERR_CONFIG_UNREADABLE, "reading %s: %s: using the built-in udhcpd settings", paths.udhcpd_template, strerror(-rc));
		use_default_template();
		return;
	}
	if (dhcpd_tmpl_load(&r, &s, &netd.tmpl) && !netd.tmpl.too_large)
		netd_error(ERR_CONFIG_SYNTAX, "%s has errors (see above): the other lines apply", paths.udhcpd_template);
	conf_close(&r);
	netd.tmpl_from_file = !netd.tmpl.too_large;
	if (netd.tmpl.too_large)
		netd_error(ERR_CONFIG_TOO_LARGE, "%s is too large: serving with the built-in settings (see above)",
			   paths.udhcpd_template);
}

/* The DNS servers of this boot's last lease, if an earlier netd had one:
 * udhcpd then starts (or is kept) with them, not with the fallbacks. */
static void last_known_dns(void)
{
	char msg[LEASE_MSG_MAX + 1];
	struct lease l;
	ssize_t n = read_small_file(paths.lease, msg, sizeof(msg));

	if (n <= 0 || netd.mode != MODE_STATION || lease_parse(msg, (size_t)n, &l) < 0 ||
	    (l.event != LEASE_BOUND && l.event != LEASE_RENEW) || !l.n_dns)
		return;
	join_dns(&l, netd.dns, sizeof(netd.dns));
	snprintf(netd.domain, sizeof(netd.domain), "%s", l.domain);
	snprintf(netd.search, sizeof(netd.search), "%s", l.search);
	netd.dns_known = 1;
}

void dhcp_init(void)
{
	svc_init(&netd.dhcpd, "udhcpd", &dhcpd_ops);
	svc_init(&netd.dhcpc, "udhcpc", &dhcpc_ops);
	netd.renew_timer.lfd.fd = -1;
	netd.renew_timer.cb = renew_unanswered;
	netd.sock.fd = -1;
	load_template();
	static_dns();
	last_known_dns();
	adopt_dhcpd();
}

/* ---- events -------------------------------------------------------------------- */

void dhcp_on_event(const struct netd_ev *ev)
{
	switch (ev->type) {
	case EV_WIFI_FOUND:
		dhcp_adopt();	/* a udhcpc left running by the last netd */
		dhcpc_update();
		dhcpd_update();
		break;
	case EV_WIFI_GONE:
		dhcpd_link_gone(ev->link);
		dhcpc_update();
		dhcpd_update();
		break;
	case EV_LINK_GONE:
		if (ev->link)
			dhcpd_link_gone(ev->link);
		break;
	case EV_LINK_CONFIGURED:
		if (ev->link != &netd.lo)
			dhcpd_update();	/* serving need not wait for the kernel's news */
		break;
	case EV_ADDR:
		if (ev->link == &netd.eth || ev->link == &netd.wifi)
			dhcpd_update();
		break;
	case EV_ASSOCIATED:
		dhcp_wifi_connected(1);
		break;
	case EV_LINK_FOUND:
	case EV_LINK_CHANGED:
	case EV_DISASSOCIATED:
	case EV_LEASE:
	case EV_LEASE_LOST:
	case EV_DNS6:
	case EV_COUNT:
		break;
	}
}
