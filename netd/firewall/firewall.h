/* The firewall seam: netd describes the network it runs, this module turns
 * it into netd's own iptables chains through libiptc, in one commit per
 * table. Applying the same description twice leaves the tables unchanged;
 * the user's own rules are never touched.
 *
 * netd calls fw_apply() whenever the mode, the uplink or the port forwards
 * change, and fw_read_counters() when it writes its status. */
#ifndef NETD_FIREWALL_H
#define NETD_FIREWALL_H

#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

enum fw_mode {
	FW_MODE_STATION,	/* uplink = the Wi-Fi interface, inside = eth0 */
	FW_MODE_AP,		/* uplink = eth0, inside = the Wi-Fi interface */
};

struct fw_forward {
	uint8_t proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t ipv6;			/* inside_addr6, in the IPv6 tables only */
	uint16_t outside_lo, outside_hi;	/* port range on the uplink */
	struct in_addr inside_addr;	/* a host on the inside network */
	struct in6_addr inside_addr6;
	uint16_t inside_port;		/* first port; a range maps one to one */
};

#define FW_MAX_FORWARDS 128

struct fw_config {
	enum fw_mode mode;
	char uplink[IF_NAMESIZE];	/* "" while there is no uplink yet */
	char inside[IF_NAMESIZE];
	struct in_addr inside_net;	/* e.g. 10.0.0.0 */
	struct in_addr inside_mask;	/* e.g. 255.255.255.0 */
	const struct fw_forward *forwards;	/* from forwards.h: fwd_load() */
	size_t n_forwards;
	const uint16_t *bridge_ports;	/* uds-passthru TCP ports, host side only */
	size_t n_bridge_ports;
	/* forwarding.conf's UDP relays: their ports, opened from the uplink
	 * (IPv4), station mode only */
	const uint16_t *relay_ports;
	size_t n_relay_ports;
	/* mDNS (UDP 5353) from the host link (the reflector), from the Wi-Fi
	 * interface (the reflector, the services of mdnsd-services.conf) */
	int mdns_host, mdns_wifi;
	/* bridged mode (issue 17): the host's own address on the Wi-Fi
	 * network, not masqueraded and reachable from there; 0: none */
	struct in_addr bridged_host;
	/* ...and the Wi-Fi network's IPv6 prefix its addresses are in (the
	 * guest routes only the host's own ones to eth0); 0: none */
	struct in6_addr bridged_prefix6;
	uint8_t bridged_prefix6_len;
	/* IPv6 (issue 8): the same policy through libip6tc, NAT66 out of the
	 * uplink. 0: netd makes no IPv6 chains at all. */
	int ipv6;
};

struct fw_counters {
	uint64_t forwarded_packets, forwarded_bytes;
	uint64_t dropped_inbound_packets, dropped_inbound_bytes;
};

/* 0 on success; -1 with the reason logged (what, which table, why). On
 * failure the kernel keeps the tables as they were: a table is replaced
 * in one commit or not at all. With c->ipv6 the IPv6 tables are made to
 * match too; each family's tables are applied even if the other's fail. errno is EAGAIN when another program held
 * the xtables lock or changed a table under us: retry later (netd: on a
 * back-off timer). */
int fw_apply(const struct fw_config *c);
/* The families whose rules the last fw_apply() committed: netd lets a
 * family forward only while its rules are in place. */
#define FW_IN_PLACE_IPV4 1u
#define FW_IN_PLACE_IPV6 2u
unsigned fw_in_place(void);
/* Totals over netd's rules, both families; 0, or -1 with the reason
 * logged. */
int fw_read_counters(struct fw_counters *out);
/* Per rule, for a detailed status: cb gets each counted rule's comment
 * (e.g. "wifibox: port forward tcp 2222 -> 10.0.0.2:22") and counters. */
typedef void (*fw_counter_cb)(const char *comment, uint64_t packets, uint64_t bytes, void *ctx);
int fw_each_counter(fw_counter_cb cb, void *ctx);

/* The user's own rules: the contract's `iptables` file (iptables-restore
 * form) in the config share, loaded with the image's iptables-restore
 * --noflush on top of netd's chains, once per boot. netd, in its loop:
 *
 *   struct fw_user_rules u;
 *   after the first fw_apply() that returned 0:
 *     if (fw_user_rules_prepare(&u, FW_IPTABLES_RESTORE, "/media/etc/iptables",
 *                               "/run/netd/iptables.loaded") == 1)
 *         spawn u.argv (execv(u.argv[0], u.argv)), stdin /dev/null, stdout
 *         and stderr on one pipe; read the pipe into a buffer (4 KiB is
 *         plenty; drop the rest) until EOF;
 *   when the child exits (loop_child):
 *     fw_user_rules_done(&u, wstatus, buf, len);
 *   and do not call fw_apply() while the child runs: both replace whole
 *   tables, and the later commit would drop the other's changes (delay
 *   the fw_apply until the child is reaped).
 *
 * A syntax error makes iptables-restore stop before committing the table
 * it is in; netd's chains are never flushed because of --noflush. The
 * stamp file (on tmpfs) keeps a netd restart from loading the file twice,
 * which would append its rules again. */
#define FW_IPTABLES_RESTORE "/usr/sbin/iptables-restore"
#define FW_IP6TABLES_RESTORE "/usr/sbin/ip6tables-restore"

struct fw_user_rules {
	const char *argv[7];
	char program[128];
	char path[256];
	char stamp[256];
};

/* 1: run u->argv; 0: nothing to do (no file, or already loaded this boot,
 * said in the log); -1: the paths do not fit (logged). */
int fw_user_rules_prepare(struct fw_user_rules *u, const char *program,
			  const char *path, const char *stamp);
/* Reports the outcome: on failure the tool's message, as "path:line: ...",
 * to the log. Writes the stamp either way (a failed file is not retried
 * on every restart; it is reported again at the next boot). 0 if the
 * rules were loaded, -1 if not. */
int fw_user_rules_done(const struct fw_user_rules *u, int wstatus,
		       const char *output, size_t len);
/* The message fw_user_rules_done() logs, for tests: the tool's output made
 * into one line that names the file and the line. */
void fw_user_rules_explain(const struct fw_user_rules *u, int wstatus,
			   const char *output, size_t len, char *buf, size_t size);

#endif
