/* The host's DNS forwarder. In station mode netd runs dnsmasq on the host
 * link (eth0) only, DNS only (busybox udhcpd keeps DHCP), and the host's
 * lease names the guest as its DNS server (%%DNS%%). dnsmasq reads its
 * servers from a file that netd owns (paths.dns_upstream): the uplink's
 * servers from the moment a DHCP server of the network the guest is on
 * gave or confirmed the lease, until the association or the lease ends;
 * nothing otherwise, so that with no uplink a query is refused at once
 * instead of timing out, and a network just joined is never asked with
 * the last one's servers (which may be anyone there). Each
 * change is written and then told with SIGHUP, which makes dnsmasq read
 * the file again and flush its cache: the next query goes to the new
 * network, and nothing learnt on the old one is answered. A reload is
 * no restart: the sockets and the process stay. */
#include "dns.h"
#include "netd.h"
#include "events.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "fsutil.h"
#include "log.h"
#include "paths.h"

static struct {
	struct svc svc;
	char upstream[DNS_UPSTREAM_MAX];	/* what the file says now */
	char servers[DNS_UPSTREAM_MAX];		/* the same, one line: the status's */
	char own[INET_ADDRSTRLEN];		/* %%DNS%% while forwarding */
	int uplink;	/* a lease confirmed on the network the guest is on */
} dns;

int dns_forwarding(void)
{
	return netd.mode == MODE_STATION && netd.plan.eth.v4 == PLAN_V4_STATIC;
}

const char *dns_for_host(void)
{
	if (!dns_forwarding())
		return netd.dns;
	inet_ntop(AF_INET, &netd.plan.eth.addr, dns.own, sizeof(dns.own));
	return dns.own;
}

static int put_server(char *out, size_t size, size_t *len, const char *addr)
{
	*len += (size_t)snprintf(out + *len, size - *len, "nameserver %s\n", addr);
	if (*len < size)
		return 0;
	*len = size - 1;
	return -1;
}

size_t dns_upstream_text(const char *v4, const struct in6_addr *v6, unsigned n6, char *out,
			 size_t size)
{
	char copy[DNS_UPSTREAM_MAX], a6[INET6_ADDRSTRLEN], *save = NULL;
	struct in_addr a;
	size_t len;

	len = (size_t)snprintf(out, size, "# written by netd: the uplink's DNS servers, for dnsmasq%s\n",
			       v4[strspn(v4, " ")] || n6 ? "" : " (none: no uplink)");
	if (len >= size)
		return size - 1;
	snprintf(copy, sizeof(copy), "%s", v4);
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if (inet_pton(AF_INET, w, &a) == 1 && put_server(out, size, &len, w) < 0)
			return len;
	for (unsigned k = 0; k < n6; k++)
		if (put_server(out, size, &len, inet_ntop(AF_INET6, &v6[k], a6, sizeof(a6))) < 0)
			return len;
	return len;
}

/* Whether the servers in netd.dns are the current network's: with DHCP,
 * its server gave or confirmed the lease; with a static Wi-Fi address
 * (interfaces.conf's dns-nameservers), the guest is associated. */
static int uplink_known(void)
{
	if (netd.plan.wifi.v4 == PLAN_V4_DHCP)
		return dns.uplink && netd.have_lease;
	return dns.uplink;
}

/* The addresses of the file's nameserver lines, space-separated. */
static void list_servers(const char *text, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (const char *l = strstr(text, "nameserver "); l && len < size; l = strstr(l + 1, "\nnameserver ")) {
		const char *a = strchr(l, ' ') + 1, *end = strchr(a, '\n');
		int n = end ? (int)(end - a) : (int)strlen(a);

		len += (size_t)snprintf(out + len, size - len, "%s%.*s", len ? " " : "", n, a);
	}
}

/* The uplink's IPv6 DNS servers that may be asked: none while its IPv6
 * is not ready (a hotspot whose prefix was refused, say), and never one
 * inside the host link's prefix: the Wi-Fi side must not make the guest
 * send the host's queries to the host link. */
static unsigned usable_dns6(struct in6_addr *out)
{
	const struct plan_link *in = &netd.plan.eth;
	unsigned n = 0;

	if (!netd.ipv6.on || !ipv6_uplink_ready())
		return 0;
	for (unsigned k = 0; k < netd.ipv6.n_dns; k++)
		if (!in->has_addr6 || !net6_same_prefix(&netd.ipv6.dns[k], &in->addr6, in->prefix6))
			out[n++] = netd.ipv6.dns[k];
	return n;
}

/* Writes the servers of now; SIGHUP to dnsmasq when they changed. */
static void follow_uplink(void)
{
	char text[DNS_UPSTREAM_MAX];
	struct in6_addr v6[RA_MAX_DNS];
	unsigned n6;
	size_t len;
	int rc;

	if (!dns_forwarding())
		return;
	n6 = usable_dns6(v6);
	len = dns_upstream_text(uplink_known() ? netd.dns : "", v6, n6, text, sizeof(text));
	if (!strcmp(text, dns.upstream))
		return;
	rc = write_file_atomic(paths.dns_upstream, text, len, 0644);
	if (rc < 0) {
		netd_error(ERR_WRITE_FAILED, "writing %s: %s", paths.dns_upstream, strerror(-rc));
		return;
	}
	snprintf(dns.upstream, sizeof(dns.upstream), "%s", text);
	list_servers(text, dns.servers, sizeof(dns.servers));
	if (dns.svc.sup.state == SUP_RUNNING && svc_signal(&dns.svc, SIGHUP) == 0)
		log_info("dnsmasq: DNS servers now %s; its cache is flushed",
			 dns.servers[0] ? dns.servers : "none (no uplink): queries refused");
	report_changed();
}

static int dnsmasq_argv(struct svc *s, const char **argv)
{
	static char iface[IF_NAMESIZE + 16], resolv[128];
	int n = 0;

	(void)s;
	if (!dns_forwarding() || netd.shutting_down || !netd.eth.ifindex)
		return -1;
	snprintf(iface, sizeof(iface), "--interface=%s", netd.eth.name);
	snprintf(resolv, sizeof(resolv), "--resolv-file=%s", paths.dns_upstream);
	argv[n++] = paths.dnsmasq;
	argv[n++] = "--keep-in-foreground";
	argv[n++] = "--conf-file=";		/* everything is here */
	argv[n++] = "--pid-file=";		/* netd keeps its own */
	argv[n++] = "--no-hosts";
	argv[n++] = resolv;
	argv[n++] = "--no-poll";		/* netd says when: SIGHUP */
	argv[n++] = iface;			/* the host link only */
	argv[n++] = "--bind-dynamic";		/* its IPv6 address comes later */
	argv[n++] = "--user=nobody";
	argv[n++] = "--group=nogroup";
	argv[n] = NULL;
	return 0;
}

static void dnsmasq_changed(struct svc *s, int exited)
{
	if (exited && !netd.shutting_down && s->sup.ran_ms < 2000)
		netd_error(ERR_HELPER_FAILED, "dnsmasq exited at once (status %d): the host's DNS through the guest "
			   "is down; its lease also names the fallback servers", s->sup.last_status);
	report_changed();
	netd_check_done();
}

static const struct svc_ops dnsmasq_ops = { .argv = dnsmasq_argv, .changed = dnsmasq_changed };

static void start(void)
{
	if (!dns_forwarding() || netd.shutting_down || !netd.eth.ifindex)
		return;
	/* One an earlier netd left running keeps its servers until the
	 * uplink's news says otherwise: the lease is adopted a moment later. */
	if (dns.svc.sup.state != SUP_STOPPED)
		return;
	follow_uplink();
	svc_event(&dns.svc, SUP_START);
}

void dns_init(void)
{
	ssize_t n;

	memset(&dns, 0, sizeof(dns));
	svc_init(&dns.svc, "dnsmasq", &dnsmasq_ops);
	if (!dns_forwarding())
		return;
	/* A dnsmasq an earlier netd left running reads what it wrote: the
	 * same servers need no reload (which would flush the cache). */
	if (svc_adopt(&dns.svc, "dnsmasq", "--no-poll") < 0)
		return;
	n = read_small_file(paths.dns_upstream, dns.upstream, sizeof(dns.upstream));
	if (n < 0)
		dns.upstream[0] = '\0';
	list_servers(dns.upstream, dns.servers, sizeof(dns.servers));
}

const char *dns_state(void)
{
	return dns_forwarding() ? sup_state_name(dns.svc.sup.state) : "off";
}

const char *dns_upstream(void)
{
	return dns.servers;
}

void dns_stop(void)
{
	svc_event(&dns.svc, SUP_STOP);
}

int dns_stopped(void)
{
	return dns.svc.sup.state == SUP_STOPPED;
}

struct proc *dns_proc(void)
{
	return &dns.svc.proc;
}

void dns_on_event(const struct netd_ev *ev)
{
	switch (ev->type) {
	case EV_LINK_CONFIGURED:
		if (ev->link == &netd.eth)
			start();
		break;
	case EV_LEASE:
		dns.uplink = 1;
		follow_uplink();
		break;
	case EV_LEASE_LOST:
	case EV_WIFI_GONE:
	case EV_DISASSOCIATED:
		dns.uplink = 0;
		follow_uplink();
		break;
	case EV_DNS6:
		follow_uplink();
		break;
	case EV_ASSOCIATED:
		/* with DHCP, the lease's renewal says which network this is */
		if (netd.plan.wifi.v4 != PLAN_V4_DHCP) {
			dns.uplink = 1;
			follow_uplink();
		}
		break;
	case EV_LINK_FOUND:
	case EV_LINK_CHANGED:
	case EV_LINK_GONE:
	case EV_ADDR:
	case EV_WIFI_FOUND:
	case EV_COUNT:
		break;
	}
}
