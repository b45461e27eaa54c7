#include "status.h"

#include <stdlib.h>
#include <string.h>

void status_init(struct status_buf *b)
{
	b->len = 0;
	b->text[0] = '\0';
	b->truncated = 0;
}

void status_add(struct status_buf *b, const char *key, const char *fmt, ...)
{
	char value[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	for (char *p = value; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 127)
			*p = '?';
	n = snprintf(b->text + b->len, sizeof(b->text) - b->len, "%s=%s\n", key, value);
	if (n < 0 || (size_t)n >= sizeof(b->text) - b->len) {
		b->text[b->len] = '\0';
		b->truncated = 1;
		return;
	}
	b->len += (size_t)n;
}

const char *status_get(const char *text, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key), n;
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			p += klen + 1;
			n = strcspn(p, "\n");
			if (n >= size)
				n = size - 1;
			memcpy(out, p, n);
			out[n] = '\0';
			return out;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* ---- for a person ------------------------------------------------------------ */

struct row {
	const char *label;
	const char *keys[5];	/* shown joined, the empty ones skipped */
	const char *seps[5];	/* what goes before each key's value */
};

static const struct row rows[] = {
	{ "state", { "state", "mode", "mode_reason" }, { "", ", mode ", " from " } },
	{ "host link", { "host_link", "host_link_state", "host_addr", "host_addr6", "host_gateway" },
	  { "", " ", ", ", ", ", ", gateway " } },
	{ "DHCP server", { "dhcp_server", "dhcp_server_settings", "dhcp_server_lease_s", "dhcp_server_restarts" },
	  { "", ", settings: ", ", short lease (s): ", ", restarts: " } },
	{ "Wi-Fi", { "wifi_iface", "wifi_phy", "wifi_link_state", "country" },
	  { "", " ", ", link ", ", country " } },
	{ "Wi-Fi daemon", { "wifi_daemon", "wifi_daemon_state", "wifi_daemon_restarts", "wifi_daemon_crash_loop" },
	  { "", " ", ", restarts: ", ", crash loop: " } },
	{ "network", { "wifi_state", "ssid", "bssid", "freq_mhz", "signal_dbm" },
	  { "", ", ssid ", ", bssid ", ", MHz: ", ", dBm: " } },
	{ "clients", { "stations" }, { "" } },
	{ "problem", { "wifi_problem" }, { "" } },
	{ "uplink", { "uplink", "uplink_addr", "uplink_gateway", "lease", "lease_s" },
	  { "", " ", ", via ", ", lease ", ", seconds: " } },
	{ "DHCP client", { "dhcp_client", "dhcp_client_restarts" }, { "", ", restarts: " } },
	{ "DNS", { "dns", "search" }, { "", ", search " } },
	{ "host's DNS", { "dns_forwarder", "dns_forwarder_upstream" }, { "forwarder ", ", asking " } },
	{ "mDNS reflector", { "mdns_reflector", "mdns_reflected", "mdns_dropped", "mdns_services" },
	  { "", ", passed: ", ", dropped: ", ", services announced: " } },
	{ "bridged mode", { "bridged", "bridged_host", "bridged_host6", "bridged_relayed", "bridged_fallback" },
	  { "", ", host ", ", IPv6 ", ", DHCP messages relayed: ", ": " } },
	{ "bridged neighbours", { "bridged_neighbours" }, { "" } },
	{ "forwarding", { "forwarding", "firewall", "fw_forwarded_packets", "fw_dropped_inbound_packets" },
	  { "", ", firewall ", ", forwarded packets: ", ", dropped inbound: " } },
	{ "IPv6", { "ipv6", "ipv6_off_reason", "uplink_addr6", "uplink_gateway6", "dns6" },
	  { "", ": ", ", uplink ", " via ", ", DNS " } },
	{ "advertising", { "ra", "ra_iface", "ra_prefix", "ra_router_lifetime_s", "ra_dns" },
	  { "", " on ", ", prefix ", ", router lifetime (s): ", ", DNS " } },
	{ "clock", { "clock", "clock_utc", "built_utc" }, { "", ", now ", ", image built " } },
	{ "last error", { "last_error", "last_error_ms" }, { "", " at ms " } },
};

static void print_row(const char *text, const struct row *r, FILE *out)
{
	char line[1024], v[512];
	size_t len = 0;

	line[0] = '\0';
	for (int k = 0; k < 5 && r->keys[k]; k++) {
		if (!status_get(text, r->keys[k], v, sizeof(v)) || !v[0])
			continue;
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", len ? r->seps[k] : "", v);
		if (len >= sizeof(line))
			break;
	}
	if (line[0])
		fprintf(out, "  %-14s %s\n", r->label, line);
}

static void print_milestones(const char *text, FILE *out)
{
	const char *p = text;
	int first = 1;

	while ((p = strstr(p, "milestone."))) {
		size_t n = strcspn(p, "\n");

		if (p == text || p[-1] == '\n') {
			const char *eq = memchr(p, '=', n);

			if (eq) {
				fprintf(out, "  %-14s %-22.*s %.*s ms\n", first ? "milestones" : "",
					(int)(eq - p - 10), p + 10, (int)(n - (size_t)(eq - p) - 1), eq + 1);
				first = 0;
			}
		}
		p += n;
	}
}

void status_print(const char *text, FILE *out)
{
	char when[32], pid[16];

	fprintf(out, "netd status (written at %s ms since boot, pid %s)\n",
		status_get(text, "updated_ms", when, sizeof(when)) ? when : "?",
		status_get(text, "netd_pid", pid, sizeof(pid)) ? pid : "?");
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++)
		print_row(text, &rows[k], out);
	print_milestones(text, out);
}
