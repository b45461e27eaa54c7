/* The rule set fw_build() makes, compared line by line with the expected
 * one in iptables-save form. */
#include "fw-rules.h"
#include "check.h"

#include <arpa/inet.h>
#include <stdlib.h>

static struct fw_ruleset rs;
static char text[16384];

/* The rules of one chain, one per line. */
static const char *chain_text(enum fw_chain ch)
{
	size_t i, len = 0;

	text[0] = '\0';
	for (i = 0; i < rs.n; i++) {
		if (rs.rules[i].chain != ch)
			continue;
		len += (size_t)fw_rule_format(rs.family, &rs.rules[i], text + len, sizeof(text) - len);
		len += (size_t)snprintf(text + len, sizeof(text) - len, "\n");
	}
	return text;
}

static struct fw_config station(const char *uplink)
{
	struct fw_config c = { .mode = FW_MODE_STATION };

	snprintf(c.uplink, sizeof(c.uplink), "%s", uplink);
	snprintf(c.inside, sizeof(c.inside), "eth0");
	inet_pton(AF_INET, "10.0.0.0", &c.inside_net);
	inet_pton(AF_INET, "255.255.255.0", &c.inside_mask);
	return c;
}

static struct fw_forward fwd(uint8_t proto, uint16_t lo, uint16_t hi, const char *addr, uint16_t port)
{
	struct fw_forward f = { .proto = proto, .outside_lo = lo, .outside_hi = hi, .inside_port = port };

	inet_pton(AF_INET, addr, &f.inside_addr);
	return f;
}

static const uint16_t bridge[] = { 1200, 1201 };

TEST(station_input)
{
	struct fw_config c = station("wlan0");

	c.bridge_ports = bridge;
	c.n_bridge_ports = 2;
	CHECK_INT(fw_build(&c, &rs), 0);
	CHECK_STR(chain_text(FW_CHAIN_INPUT),
		  "-A WIFIBOX-INPUT -i lo -m comment --comment \"wifibox: loopback\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment \"wifibox: replies\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i eth0 -p udp -m udp --dport 67 -m comment --comment \"wifibox: dhcp server\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i eth0 -p udp -m udp --dport 53 -m comment --comment \"wifibox: dns\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i eth0 -p tcp -m tcp --dport 53 -m comment --comment \"wifibox: dns\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i eth0 -p icmp -m comment --comment \"wifibox: icmp from the inside\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i eth0 -p tcp -m tcp --dport 1200 -m comment --comment \"wifibox: control-socket bridge\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i eth0 -p tcp -m tcp --dport 1201 -m comment --comment \"wifibox: control-socket bridge\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i eth0 -m comment --comment \"wifibox: other inside traffic\" -j REJECT --reject-with icmp-port-unreachable\n"
		  "-A WIFIBOX-INPUT -p udp -m udp --sport 67 --dport 68 -m comment --comment \"wifibox: dhcp client\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -p icmp -m icmp --icmp-type 3 -m comment --comment \"wifibox: icmp errors\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -p icmp -m icmp --icmp-type 11 -m comment --comment \"wifibox: icmp errors\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -p icmp -m icmp --icmp-type 12 -m comment --comment \"wifibox: icmp errors\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -m comment --comment \"wifibox: drop inbound\" -j DROP\n");
}

/* Issue 16: forwarding.conf's relays open their UDP ports from the Wi-Fi
 * side, over IPv4 only, and nothing else; not in access-point mode. */
TEST(relay_ports_open_from_the_uplink_only)
{
	static const uint16_t relays[] = { 11223 };
	struct fw_config c = station("wlan0");

	c.relay_ports = relays;
	c.n_relay_ports = 1;
	CHECK_INT(fw_build(&c, &rs), 0);
	CHECK_CONTAINS(chain_text(FW_CHAIN_INPUT),
		       "-A WIFIBOX-INPUT -i eth0 -m comment --comment \"wifibox: other inside traffic\" -j REJECT --reject-with icmp-port-unreachable\n"
		       "-A WIFIBOX-INPUT -i wlan0 -p udp -m udp --dport 11223 -m comment --comment \"wifibox: udp relay (forwarding.conf)\" -j ACCEPT\n"
		       "-A WIFIBOX-INPUT -p udp -m udp --sport 67 --dport 68");
	c.ipv6 = 1;
	CHECK_INT(fw_build6(&c, &rs), 0);
	CHECK(!strstr(chain_text(FW_CHAIN_INPUT), "11223"));
	c = station("");	/* no uplink yet: nothing to open */
	c.relay_ports = relays;
	c.n_relay_ports = 1;
	CHECK_INT(fw_build(&c, &rs), 0);
	CHECK(!strstr(chain_text(FW_CHAIN_INPUT), "11223"));
}

/* Issue 16: mDNS opens UDP 5353 only where it listens: the Wi-Fi for the
 * services of mdnsd-services.conf, the host link too for the reflector,
 * both families; nothing while both are off. */
TEST(mdns_opens_5353_only_where_it_listens)
{
	struct fw_config c = station("wlan0");

	CHECK_INT(fw_build(&c, &rs), 0);
	CHECK(!strstr(chain_text(FW_CHAIN_INPUT), "5353"));
	c.mdns_wifi = 1;
	CHECK_INT(fw_build(&c, &rs), 0);
	CHECK_CONTAINS(chain_text(FW_CHAIN_INPUT),
		       "-A WIFIBOX-INPUT -i wlan0 -p udp -m udp --dport 5353 -m comment --comment \"wifibox: mdns\" -j ACCEPT\n");
	CHECK(!strstr(chain_text(FW_CHAIN_INPUT), "-i eth0 -p udp -m udp --dport 5353"));
	c.mdns_host = 1;
	c.ipv6 = 1;
	CHECK_INT(fw_build6(&c, &rs), 0);
	CHECK_CONTAINS(chain_text(FW_CHAIN_INPUT),
		       "-A WIFIBOX-INPUT -i eth0 -p udp -m udp --dport 5353 -m comment --comment \"wifibox: mdns reflector\" -j ACCEPT\n"
		       "-A WIFIBOX-INPUT -i wlan0 -p udp -m udp --dport 5353");
}

TEST(station_one_forward)
{
	struct fw_config c = station("wlan0");
	struct fw_forward f = fwd(IPPROTO_TCP, 2222, 2222, "10.0.0.2", 22);

	c.forwards = &f;
	c.n_forwards = 1;
	CHECK_INT(fw_build(&c, &rs), 0);
	CHECK_STR(chain_text(FW_CHAIN_FORWARD),
		  "-A WIFIBOX-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment \"wifibox: forwarded replies\" -j ACCEPT\n"
		  "-A WIFIBOX-FORWARD -i eth0 -o wlan0 -m comment --comment \"wifibox: forward out\" -j ACCEPT\n"
		  "-A WIFIBOX-FORWARD -d 10.0.0.2/32 -i wlan0 -o eth0 -p tcp -m tcp --dport 22 -m conntrack --ctstate DNAT -m comment --comment \"wifibox: port forward tcp 2222 -> 10.0.0.2:22\" -j ACCEPT\n"
		  "-A WIFIBOX-FORWARD ! -i eth0 -m comment --comment \"wifibox: drop inbound\" -j DROP\n"
		  "-A WIFIBOX-FORWARD -m comment --comment \"wifibox: drop other\" -j DROP\n");
	CHECK_STR(chain_text(FW_CHAIN_PREROUTING),
		  "-A WIFIBOX-PREROUTING -i wlan0 -p tcp -m tcp --dport 2222 -m addrtype --dst-type LOCAL -m comment --comment \"wifibox: port forward tcp 2222 -> 10.0.0.2:22\" -j DNAT --to-destination 10.0.0.2:22\n");
	CHECK_STR(chain_text(FW_CHAIN_POSTROUTING),
		  "-A WIFIBOX-POSTROUTING -o wlan0 -m comment --comment \"wifibox: masquerade\" -j MASQUERADE\n");
}

/* Bridged mode (issue 17): the host's own address goes out as itself and
 * is reachable from the Wi-Fi side; everyone else on eth0 is still
 * masqueraded, and the guest's INPUT is the same as in NAT mode. */
TEST(bridged_host_is_not_masqueraded_and_is_reachable)
{
	struct fw_config c = station("wlan0");
	char input_nat[4096];

	CHECK_INT(fw_build(&c, &rs), 0);
	snprintf(input_nat, sizeof(input_nat), "%s", chain_text(FW_CHAIN_INPUT));
	inet_pton(AF_INET, "192.168.50.123", &c.bridged_host);
	CHECK_INT(fw_build(&c, &rs), 0);
	CHECK_STR(chain_text(FW_CHAIN_INPUT), input_nat);
	CHECK_STR(chain_text(FW_CHAIN_FORWARD),
		  "-A WIFIBOX-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment \"wifibox: forwarded replies\" -j ACCEPT\n"
		  "-A WIFIBOX-FORWARD -i eth0 -o wlan0 -m comment --comment \"wifibox: forward out\" -j ACCEPT\n"
		  "-A WIFIBOX-FORWARD -d 192.168.50.123/32 -i wlan0 -o eth0 -m comment --comment \"wifibox: to the bridged host\" -j ACCEPT\n"
		  "-A WIFIBOX-FORWARD ! -i eth0 -m comment --comment \"wifibox: drop inbound\" -j DROP\n"
		  "-A WIFIBOX-FORWARD -m comment --comment \"wifibox: drop other\" -j DROP\n");
	CHECK_STR(chain_text(FW_CHAIN_POSTROUTING),
		  "-A WIFIBOX-POSTROUTING -s 192.168.50.123/32 -o wlan0 -m comment --comment \"wifibox: bridged host: not masqueraded\" -j ACCEPT\n"
		  "-A WIFIBOX-POSTROUTING -o wlan0 -m comment --comment \"wifibox: masquerade\" -j MASQUERADE\n");
	/* no IPv6 rule names it until the Wi-Fi network has an IPv6 prefix */
	CHECK_INT(fw_build6(&c, &rs), 0);
	CHECK(!strstr(chain_text(FW_CHAIN_FORWARD), "bridged"));
	CHECK(!strstr(chain_text(FW_CHAIN_POSTROUTING), "bridged"));
	inet_pton(AF_INET6, "2001:db8:50::", &c.bridged_prefix6);
	c.bridged_prefix6_len = 64;
	CHECK_INT(fw_build6(&c, &rs), 0);
	CHECK_CONTAINS(chain_text(FW_CHAIN_FORWARD),
		       "-A WIFIBOX-FORWARD -d 2001:db8:50::/64 -i wlan0 -o eth0 -m comment --comment \"wifibox: to the bridged host\" -j ACCEPT\n");
	CHECK_STR(chain_text(FW_CHAIN_POSTROUTING),
		  "-A WIFIBOX-POSTROUTING -s 2001:db8:50::/64 -o wlan0 -m comment --comment \"wifibox: bridged host: not masqueraded\" -j ACCEPT\n"
		  "-A WIFIBOX-POSTROUTING -o wlan0 -m comment --comment \"wifibox: masquerade\" -j MASQUERADE\n");
}

TEST(range_forward_maps_one_to_one)
{
	struct fw_config c = station("wlan0");
	struct fw_forward f[2] = {
		fwd(IPPROTO_UDP, 60000, 60010, "10.0.0.2", 60000),
		fwd(IPPROTO_TCP, 8000, 8010, "10.0.0.3", 9000),
	};

	c.forwards = f;
	c.n_forwards = 2;
	CHECK_INT(fw_build(&c, &rs), 0);
	/* Same ports: no offset needed. Shifted: the base port after '/'. */
	CHECK_STR(chain_text(FW_CHAIN_PREROUTING),
		  "-A WIFIBOX-PREROUTING -i wlan0 -p udp -m udp --dport 60000:60010 -m addrtype --dst-type LOCAL -m comment --comment \"wifibox: port forward udp 60000-60010 -> 10.0.0.2:60000-60010\" -j DNAT --to-destination 10.0.0.2:60000-60010\n"
		  "-A WIFIBOX-PREROUTING -i wlan0 -p tcp -m tcp --dport 8000:8010 -m addrtype --dst-type LOCAL -m comment --comment \"wifibox: port forward tcp 8000-8010 -> 10.0.0.3:9000-9010\" -j DNAT --to-destination 10.0.0.3:9000-9010/8000\n");
	CHECK_CONTAINS(chain_text(FW_CHAIN_FORWARD),
		       "-d 10.0.0.3/32 -i wlan0 -o eth0 -p tcp -m tcp --dport 9000:9010 -m conntrack --ctstate DNAT");
}

TEST(no_uplink_yet_keeps_the_guest_closed)
{
	struct fw_config c = station("");
	struct fw_forward f = fwd(IPPROTO_TCP, 2222, 2222, "10.0.0.2", 22);

	c.forwards = &f;
	c.n_forwards = 1;
	CHECK_INT(fw_build(&c, &rs), 0);
	/* No NAT, no forwards, but the catch-all drops are there. */
	CHECK_STR(chain_text(FW_CHAIN_PREROUTING), "");
	CHECK_STR(chain_text(FW_CHAIN_POSTROUTING), "");
	CHECK_STR(chain_text(FW_CHAIN_FORWARD),
		  "-A WIFIBOX-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment \"wifibox: forwarded replies\" -j ACCEPT\n"
		  "-A WIFIBOX-FORWARD ! -i eth0 -m comment --comment \"wifibox: drop inbound\" -j DROP\n"
		  "-A WIFIBOX-FORWARD -m comment --comment \"wifibox: drop other\" -j DROP\n");
	CHECK_CONTAINS(chain_text(FW_CHAIN_INPUT),
		       "-A WIFIBOX-INPUT -m comment --comment \"wifibox: drop inbound\" -j DROP\n");
}

TEST(access_point_mode)
{
	struct fw_config c = { .mode = FW_MODE_AP };
	struct fw_forward f[2] = {
		fwd(IPPROTO_TCP, 1000, 1300, "192.168.0.20", 1000),	/* covers 1200: left out */
		fwd(IPPROTO_UDP, 1200, 1200, "192.168.0.20", 1200),	/* udp: fine */
	};

	snprintf(c.uplink, sizeof(c.uplink), "eth0");
	snprintf(c.inside, sizeof(c.inside), "wlan0");
	inet_pton(AF_INET, "192.168.0.0", &c.inside_net);
	inet_pton(AF_INET, "255.255.255.0", &c.inside_mask);
	c.bridge_ports = bridge;
	c.n_bridge_ports = 1;
	c.forwards = f;
	c.n_forwards = 2;
	CHECK_INT(fw_build(&c, &rs), 0);
	/* The host is on the uplink here: the bridge and ICMP are open to it,
	 * the Wi-Fi clients get DHCP, DNS and ICMP, not the bridge. */
	CHECK_STR(chain_text(FW_CHAIN_INPUT),
		  "-A WIFIBOX-INPUT -i lo -m comment --comment \"wifibox: loopback\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment \"wifibox: replies\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i wlan0 -p udp -m udp --dport 67 -m comment --comment \"wifibox: dhcp server\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i wlan0 -p udp -m udp --dport 53 -m comment --comment \"wifibox: dns\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i wlan0 -p tcp -m tcp --dport 53 -m comment --comment \"wifibox: dns\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i wlan0 -p icmp -m comment --comment \"wifibox: icmp from the inside\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i eth0 -p tcp -m tcp --dport 1200 -m comment --comment \"wifibox: control-socket bridge\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i eth0 -p icmp -m comment --comment \"wifibox: icmp from the host\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i wlan0 -m comment --comment \"wifibox: other inside traffic\" -j REJECT --reject-with icmp-port-unreachable\n"
		  "-A WIFIBOX-INPUT -p udp -m udp --sport 67 --dport 68 -m comment --comment \"wifibox: dhcp client\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -p icmp -m icmp --icmp-type 3 -m comment --comment \"wifibox: icmp errors\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -p icmp -m icmp --icmp-type 11 -m comment --comment \"wifibox: icmp errors\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -p icmp -m icmp --icmp-type 12 -m comment --comment \"wifibox: icmp errors\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -m comment --comment \"wifibox: drop inbound\" -j DROP\n");
	CHECK_STR(chain_text(FW_CHAIN_PREROUTING),
		  "-A WIFIBOX-PREROUTING -i eth0 -p udp -m udp --dport 1200 -m addrtype --dst-type LOCAL -m comment --comment \"wifibox: port forward udp 1200 -> 192.168.0.20:1200\" -j DNAT --to-destination 192.168.0.20:1200\n");
	CHECK_STR(chain_text(FW_CHAIN_POSTROUTING),
		  "-A WIFIBOX-POSTROUTING -o eth0 -m comment --comment \"wifibox: masquerade\" -j MASQUERADE\n");
	CHECK_CONTAINS(chain_text(FW_CHAIN_FORWARD), "-i wlan0 -o eth0 -m comment --comment \"wifibox: forward out\"");
}

TEST(invalid_forwards_are_left_out)
{
	struct fw_config c = station("wlan0");
	struct fw_forward f[4] = {
		fwd(IPPROTO_ICMP, 1, 1, "10.0.0.2", 1),		/* not tcp/udp */
		fwd(IPPROTO_TCP, 0, 0, "10.0.0.2", 22),		/* port 0 */
		fwd(IPPROTO_TCP, 5000, 4000, "10.0.0.2", 22),	/* backwards */
		fwd(IPPROTO_TCP, 1000, 1010, "10.0.0.2", 65530),	/* past 65535 */
	};

	c.forwards = f;
	c.n_forwards = 4;
	CHECK_INT(fw_build(&c, &rs), 0);
	CHECK_STR(chain_text(FW_CHAIN_PREROUTING), "");
}

TEST(too_many_forwards_are_cut_not_overflowed)
{
	static struct fw_forward f[FW_MAX_FORWARDS + 10];
	struct fw_config c = station("wlan0");
	static uint16_t ports[FW_MAX_BRIDGE_PORTS + 5];
	size_t i, dnat = 0;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		f[i] = fwd(IPPROTO_TCP, (uint16_t)(1000 + i), (uint16_t)(1000 + i), "10.0.0.2", 22);
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		ports[i] = (uint16_t)(2000 + i);
	c.forwards = f;
	c.n_forwards = sizeof(f) / sizeof(f[0]);
	c.bridge_ports = ports;
	c.n_bridge_ports = sizeof(ports) / sizeof(ports[0]);
	CHECK_INT(fw_build(&c, &rs), 0);
	CHECK(rs.n <= FW_MAX_RULES);
	for (i = 0; i < rs.n; i++)
		dnat += rs.rules[i].target == FW_DNAT;
	CHECK_INT(dnat, FW_MAX_FORWARDS);
}

TEST(unusable_config_is_refused)
{
	struct fw_config c = station("wlan0");

	c.inside[0] = '\0';
	CHECK_INT(fw_build(&c, &rs), -1);
	c = station("wlan0");
	memset(c.uplink, 'x', sizeof(c.uplink));	/* not NUL-terminated */
	CHECK_INT(fw_build(&c, &rs), -1);
}

TEST(counted_rules)
{
	struct fw_config c = station("wlan0");
	struct fw_forward f = fwd(IPPROTO_TCP, 2222, 2222, "10.0.0.2", 22);
	size_t i, forwarded = 0, dropped = 0;

	c.forwards = &f;
	c.n_forwards = 1;
	CHECK_INT(fw_build(&c, &rs), 0);
	for (i = 0; i < rs.n; i++) {
		const struct fw_rule *r = &rs.rules[i];

		CHECK_INT(fw_count_of_comment(r->comment), r->count);
		if (r->chain == FW_CHAIN_FORWARD || r->chain == FW_CHAIN_INPUT) {
			forwarded += r->count == FW_COUNT_FORWARDED;
			dropped += r->count == FW_COUNT_DROPPED_INBOUND;
		}
	}
	/* replies, out, the forward; the INPUT and FORWARD inbound drops */
	CHECK_INT(forwarded, 3);
	CHECK_INT(dropped, 2);
	CHECK_INT(fw_count_of_comment("wifibox: port forwarding"), FW_COUNT_NONE);
	CHECK_INT(fw_count_of_comment("user rule"), FW_COUNT_NONE);
}

TEST(restore_form)
{
	struct fw_config c = station("wlan0");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *head = "*filter\n:WIFIBOX-INPUT - [0:0]\n:WIFIBOX-FORWARD - [0:0]\n"
			   "-I INPUT 1 -j WIFIBOX-INPUT\n-I FORWARD 1 -j WIFIBOX-FORWARD\n";

	CHECK_INT(fw_build(&c, &rs), 0);
	CHECK_INT(fw_ruleset_write_restore(&rs, f), 0);
	fclose(f);
	CHECK(!strncmp(buf, head, strlen(head)));
	CHECK_CONTAINS(buf, "COMMIT\n*nat\n:WIFIBOX-PREROUTING - [0:0]\n:WIFIBOX-POSTROUTING - [0:0]\n"
			    "-I PREROUTING 1 -j WIFIBOX-PREROUTING\n-I POSTROUTING 1 -j WIFIBOX-POSTROUTING\n"
			    "-A WIFIBOX-POSTROUTING -o wlan0");
	CHECK_INT(strcmp(buf + len - 7, "COMMIT\n"), 0);
	free(buf);
}

TEST(ipv6_spelling_for_the_ipv6_side)
{
	struct fw_rule r = { .chain = FW_CHAIN_INPUT, .proto = FW_PROTO_ICMP,
			     .icmp = FW_ICMP_UNREACHABLE, .target = FW_ACCEPT };
	char line[512];

	snprintf(r.comment, sizeof(r.comment), "wifibox: icmp errors");
	fw_rule_format(FW_IPV6, &r, line, sizeof(line));
	CHECK_STR(line, "-A WIFIBOX-INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 1 -m comment --comment \"wifibox: icmp errors\" -j ACCEPT");
	r = (struct fw_rule){ .chain = FW_CHAIN_PREROUTING, .proto = FW_PROTO_TCP, .dport_lo = 2222,
			      .dport_hi = 2222, .target = FW_DNAT, .to_port_lo = 22, .to_port_hi = 22 };
	snprintf(r.comment, sizeof(r.comment), "wifibox: x");
	inet_pton(AF_INET6, "fd00::2", &r.to.v6);
	fw_rule_format(FW_IPV6, &r, line, sizeof(line));
	CHECK_CONTAINS(line, "-j DNAT --to-destination [fd00::2]:22");
	r.target = FW_REJECT;
	fw_rule_format(FW_IPV6, &r, line, sizeof(line));
	CHECK_CONTAINS(line, "-j REJECT --reject-with icmp6-port-unreachable");
}

/* Issue 8: the IPv6 side, the same policy with what IPv6 needs on top. */
TEST(ipv6_station_input)
{
	struct fw_config c = station("wlan0");

	c.bridge_ports = bridge;
	c.n_bridge_ports = 2;
	c.ipv6 = 1;
	CHECK_INT(fw_build6(&c, &rs), 0);
	CHECK_INT(rs.family, FW_IPV6);
	CHECK_STR(chain_text(FW_CHAIN_INPUT),
		  "-A WIFIBOX-INPUT -i lo -m comment --comment \"wifibox: loopback\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment \"wifibox: replies\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i eth0 -p udp -m udp --dport 53 -m comment --comment \"wifibox: dns\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i eth0 -p tcp -m tcp --dport 53 -m comment --comment \"wifibox: dns\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i eth0 -p ipv6-icmp -m comment --comment \"wifibox: icmp from the inside\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -i eth0 -m comment --comment \"wifibox: other inside traffic\" -j REJECT --reject-with icmp6-port-unreachable\n"
		  "-A WIFIBOX-INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 1 -m comment --comment \"wifibox: icmp errors\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 2 -m comment --comment \"wifibox: icmp errors\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 3 -m comment --comment \"wifibox: icmp errors\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 4 -m comment --comment \"wifibox: icmp errors\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 134 -m comment --comment \"wifibox: router advertisements\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 135 -m comment --comment \"wifibox: neighbour discovery\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 136 -m comment --comment \"wifibox: neighbour discovery\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 130 -m comment --comment \"wifibox: multicast listener queries\" -j ACCEPT\n"
		  "-A WIFIBOX-INPUT -m comment --comment \"wifibox: drop inbound\" -j DROP\n");
}

TEST(ipv6_forward_chain_and_nat66_take_the_ipv6_forwards_only)
{
	struct fw_config c = station("wlan0");
	struct fw_forward f[2] = { fwd(IPPROTO_TCP, 2222, 2222, "10.0.0.2", 22),
				   fwd(IPPROTO_TCP, 2222, 2222, "10.0.0.2", 22) };

	f[1].ipv6 = 1;
	inet_pton(AF_INET6, "fd00::2", &f[1].inside_addr6);
	c.forwards = f;
	c.n_forwards = 2;
	c.ipv6 = 1;
	CHECK_INT(fw_build6(&c, &rs), 0);
	CHECK_STR(chain_text(FW_CHAIN_FORWARD),
		  "-A WIFIBOX-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment \"wifibox: forwarded replies\" -j ACCEPT\n"
		  "-A WIFIBOX-FORWARD -i eth0 -o wlan0 -m comment --comment \"wifibox: forward out\" -j ACCEPT\n"
		  "-A WIFIBOX-FORWARD -d fd00::2/128 -i wlan0 -o eth0 -p tcp -m tcp --dport 22 -m conntrack --ctstate DNAT -m comment --comment \"wifibox: port forward tcp 2222 -> [fd00::2]:22\" -j ACCEPT\n"
		  "-A WIFIBOX-FORWARD ! -i eth0 -m comment --comment \"wifibox: drop inbound\" -j DROP\n"
		  "-A WIFIBOX-FORWARD -m comment --comment \"wifibox: drop other\" -j DROP\n");
	CHECK_STR(chain_text(FW_CHAIN_PREROUTING),
		  "-A WIFIBOX-PREROUTING -i wlan0 -p tcp -m tcp --dport 2222 -m addrtype --dst-type LOCAL -m comment --comment \"wifibox: port forward tcp 2222 -> [fd00::2]:22\" -j DNAT --to-destination [fd00::2]:22\n");
	CHECK_STR(chain_text(FW_CHAIN_POSTROUTING),
		  "-A WIFIBOX-POSTROUTING -o wlan0 -m comment --comment \"wifibox: masquerade\" -j MASQUERADE\n");
	/* and the IPv4 side keeps its own */
	CHECK_INT(fw_build(&c, &rs), 0);
	CHECK_STR(chain_text(FW_CHAIN_PREROUTING),
		  "-A WIFIBOX-PREROUTING -i wlan0 -p tcp -m tcp --dport 2222 -m addrtype --dst-type LOCAL -m comment --comment \"wifibox: port forward tcp 2222 -> 10.0.0.2:22\" -j DNAT --to-destination 10.0.0.2:22\n");
}

TEST(ipv6_access_point_mode_opens_icmp_to_the_host_not_the_bridge)
{
	struct fw_config c = station("eth0");

	c.mode = FW_MODE_AP;
	snprintf(c.inside, sizeof(c.inside), "wlan0");
	c.bridge_ports = bridge;
	c.n_bridge_ports = 2;
	CHECK_INT(fw_build6(&c, &rs), 0);
	CHECK(!strstr(chain_text(FW_CHAIN_INPUT), "control-socket bridge"));
	CHECK_CONTAINS(chain_text(FW_CHAIN_INPUT),
		       "-A WIFIBOX-INPUT -i eth0 -p ipv6-icmp -m comment --comment \"wifibox: icmp from the host\" -j ACCEPT\n");
	CHECK_CONTAINS(chain_text(FW_CHAIN_POSTROUTING), "-o eth0 ");
}

TEST(ipv6_only_icmp_types_have_no_ipv4_number)
{
	CHECK_INT(fw_icmp_type(FW_IPV4, FW_ICMP_PACKET_TOO_BIG), -2);
	CHECK_INT(fw_icmp_type(FW_IPV4, FW_ICMP_ROUTER_ADVERT), -2);
	CHECK_INT(fw_icmp_type(FW_IPV6, FW_ICMP_ANY), -1);
	CHECK_INT(fw_icmp_type(FW_IPV6, FW_ICMP_NEIGHBOR_ADVERT), 136);
	CHECK_INT(fw_icmp_type(FW_IPV4, FW_ICMP_TIME_EXCEEDED), 11);
}
