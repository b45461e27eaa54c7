/* Bridged mode (issue 17): with "bridge-uplink yes" in interfaces.conf's
 * eth0 stanza, the host gets its own address on the Wi-Fi network and is
 * reachable there, without NAT. A station cannot be bridged (an access
 * point takes frames only from the station's own MAC address), so this is
 * a pseudo-bridge in the manner of OpenWrt's relayd, for IPv4:
 *
 *  - DHCP. The host's messages (UDP 67 on eth0, where udhcpd listens in
 *    NAT mode) go out on the Wi-Fi interface as broadcasts with the
 *    broadcast flag set. The network's server leases an address to the
 *    host's own MAC address, which the message carries, and answers by
 *    broadcast, which reaches a station. Its answers are read on a packet
 *    socket, so that the guest's own udhcpc keeps port 68, and go back to
 *    the host on eth0.
 *  - The server identifier in those answers becomes the guest's eth0
 *    address, so that the host's renewals come to the relay too; the real
 *    one is put back on the way out. The host's lease is capped at
 *    BRIDGED_HOST_LEASE_MAX_S: after a move to another network, it asks
 *    again within half of that, and the new network refuses the old
 *    address, so the host starts over there.
 *  - Once the host has an address: a host route to it on eth0, and proxy
 *    ARP on both links. The guest answers for the host's address on the
 *    Wi-Fi network, and for the Wi-Fi network's addresses on eth0.
 *  - The firewall lets the host's traffic out unmasqueraded and lets the
 *    network reach the host's address, where the host's own firewall
 *    applies. The guest itself stays closed to the Wi-Fi side.
 *  - When the network gives the host nothing (BRIDGED_TRIES tries without
 *    an offer, or a refusal), NAT takes over: udhcpd serves eth0 as in the
 *    default mode, until netd starts again.
 *
 * IPv6, in the manner of odhcpd's relay mode: the guest's advertisements on
 * eth0 carry the Wi-Fi network's /64 too (autonomous, not on-link, so the
 * host sends everything through the guest), and the host forms its own
 * address there. netd learns that address from the host's neighbour
 * solicitations on eth0 (its duplicate address detection) and then answers
 * for it on the Wi-Fi side (proxy NDP) and routes it to eth0. The host
 * keeps the guest's unique local prefix as well, for the guest itself. */
#include "bridged.h"
#include "dhcp_wire.h"
#include "events.h"
#include "ifsock.h"
#include "netd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <netinet/if_ether.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hostaddr.h"
#include "log.h"
#include "paths.h"

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define EXPIRY_GRACE_S 60

static struct {
	int on;				/* "bridge-uplink yes", station mode */
	int fallback;			/* NAT took over */
	const char *fallback_why;
	struct loop_fd host_side;	/* UDP 67 on eth0: the host's messages */
	struct loop_fd wifi_in;		/* packet socket: the network's answers */
	int wifi_out;			/* UDP, sends on the Wi-Fi interface */
	uint8_t host_mac[6];
	int have_mac;
	uint32_t xid;			/* of the host's latest message */
	struct in_addr server_id;	/* the network's server, behind the override */
	int offered;			/* since the host's latest DISCOVER */
	unsigned tries_failed;
	struct loop_timer answer_timer;
	struct in_addr host_ip;		/* the host's address; 0: none */
	struct in_addr stale_ip;	/* the one it had on the network the guest left */
	struct loop_timer expiry_timer;
	unsigned long long relayed;
	/* IPv6 */
	struct in6_addr prefix6;	/* the Wi-Fi network's /64; zero: none */
	uint8_t prefix6_len;
	struct in6_addr host6[BRIDGED_MAX_HOST6];
	unsigned n_host6;
	struct loop_fd ns_watch;	/* packet socket: the host's solicitations */
	uint8_t pkt[2048];
	uint8_t msg[DHCP_MSG_MAX + 1];
} br = { .host_side.fd = -1, .wifi_in.fd = -1, .wifi_out = -1, .ns_watch.fd = -1 };

/* ---- what others ask ------------------------------------------------------ */

int bridged_relaying(void)
{
	return br.on && !br.fallback;
}

struct in_addr bridged_host(void)
{
	return br.host_ip;
}

const char *bridged_state(void)
{
	if (!br.on)
		return "off";
	if (br.fallback)
		return "nat-fallback";
	return br.host_ip.s_addr ? "bridged" : "relaying";
}

const char *bridged_fallback_reason(void)
{
	return br.fallback ? br.fallback_why : "";
}

static const char *mac_text(const uint8_t *m)
{
	static char text[18];

	snprintf(text, sizeof(text), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return text;
}

const char *bridged_neighbours(void)
{
	static char text[INET_ADDRSTRLEN + 19];
	char ip[INET_ADDRSTRLEN];

	text[0] = '\0';
	if (br.host_ip.s_addr)
		snprintf(text, sizeof(text), "%s %s", inet_ntop(AF_INET, &br.host_ip, ip, sizeof(ip)),
			 mac_text(br.host_mac));
	return text;
}

unsigned long long bridged_relayed(void)
{
	return br.relayed;
}

/* ---- the host's address ----------------------------------------------------- */

static void proxy_arp(int on)
{
	const char *names[2] = { netd.eth.name, netd.wifi.name };
	char path[96];

	for (int k = 0; k < 2; k++) {
		if (!*names[k])
			continue;
		snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/proxy_arp", names[k]);
		sys_sysctl(path, on ? "1" : "0");
		/* answer at once: the kernel otherwise waits up to 0.8 s */
		snprintf(path, sizeof(path), "/proc/sys/net/ipv4/neigh/%s/proxy_delay", names[k]);
		sys_sysctl(path, "0");
	}
}

/* The control-socket bridge lets the host in from its address on the
 * Wi-Fi network (lib/hostaddr.h). */
static void tell_uds_passthru(void)
{
	int rc = hostaddr_write(paths.bridged_host, br.host_ip);

	if (rc < 0)
		netd_error(ERR_WRITE_FAILED, "bridged mode: writing %s: %s", paths.bridged_host, strerror(-rc));
}

static void forget_host(const char *why)
{
	char ip[INET_ADDRSTRLEN];

	if (!br.host_ip.s_addr)
		return;
	log_notice("bridged mode: the host's address %s is dropped: %s",
		   inet_ntop(AF_INET, &br.host_ip, ip, sizeof(ip)), why);
	if (netd.eth.ifindex)
		sys_route_host(netd.eth.ifindex, br.host_ip, 0);
	proxy_arp(0);
	br.host_ip.s_addr = 0;
	tell_uds_passthru();
	loop_timer_cancel(&br.expiry_timer);
	netd_update_firewall();
	report_changed();
}

/* The guest left the host's network (or may have): the host's address is
 * refused when it asks for it again, so that it asks the network the
 * guest is on now. On the same network it gets its address back. */
static void leave_network(const char *why)
{
	if (br.host_ip.s_addr)
		br.stale_ip = br.host_ip;
	forget_host(why);
}

static void lease_expired(struct loop_timer *t)
{
	(void)t;
	forget_host("its lease ran out without a renewal");
}

static void host_got(struct in_addr ip, uint32_t lease_s)
{
	char text[INET_ADDRSTRLEN];

	if (br.host_ip.s_addr && br.host_ip.s_addr != ip.s_addr)
		forget_host("the host took another one");
	loop_timer_set(&br.expiry_timer, (uint64_t)(lease_s + EXPIRY_GRACE_S) * 1000);
	if (br.host_ip.s_addr)
		return;	/* a renewal */
	if (sys_route_host(netd.eth.ifindex, ip, 1) < 0) {
		netd_error(ERR_KERNEL_REFUSED, "bridged mode: the route to the host's %s was refused",
			   inet_ntop(AF_INET, &ip, text, sizeof(text)));
		return;
	}
	br.host_ip = ip;
	br.stale_ip.s_addr = 0;
	tell_uds_passthru();
	proxy_arp(1);
	log_info("bridged mode: the host has %s on the Wi-Fi network (lease %u s)",
		 inet_ntop(AF_INET, &ip, text, sizeof(text)), lease_s);
	netd_update_firewall();
	report_changed();
}

/* ---- sockets ------------------------------------------------------------------- */

static void close_fd(struct loop_fd *lfd)
{
	if (lfd->fd < 0)
		return;
	loop_fd_del(lfd);
	close(lfd->fd);
	lfd->fd = -1;
}

static void close_wifi(void)
{
	close_fd(&br.wifi_in);
	if (br.wifi_out >= 0)
		close(br.wifi_out);
	br.wifi_out = -1;
}

/* IPv4, UDP, no fragment, to port 68: only the DHCP answers reach netd. */
static int attach_client_port_filter(int fd)
{
	static struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),			/* protocol */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 6),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),			/* fragment */
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 4, 0),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),			/* header length */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),			/* UDP destination */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP_CLIENT_PORT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

/* A packet socket on ifindex for one ethertype, filtered before it is
 * bound, so that nothing unfiltered is ever queued; the socket, or -errno. */
static int packet_socket(int ifindex, uint16_t ethertype, int (*attach_filter)(int fd))
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET, .sll_protocol = htons(ethertype),
				  .sll_ifindex = ifindex };
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ethertype));

	if (fd < 0)
		return -errno;
	if (attach_filter(fd) < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

static void from_network(struct loop_fd *lfd, uint32_t events);
static void from_host(struct loop_fd *lfd, uint32_t events);

static void open_wifi(void)
{
	int in, out;

	close_wifi();
	if (!bridged_relaying() || !netd.wifi.ifindex)
		return;
	in = packet_socket(netd.wifi.ifindex, ETH_P_IP, attach_client_port_filter);
	out = ifsock_udp(netd.wifi.name, 0);
	if (in < 0 || out < 0) {
		netd_error(ERR_SOCKET_FAILED, "bridged mode: the DHCP relay's sockets on %s: %s",
			   netd.wifi.name, strerror(in < 0 ? -in : -out));
		if (in >= 0)
			close(in);
		if (out >= 0)
			close(out);
		return;
	}
	br.wifi_in.fd = in;
	br.wifi_in.cb = from_network;
	loop_fd_add(&br.wifi_in, EPOLLIN);
	br.wifi_out = out;
}

static void open_host_side(void)
{
	int fd;

	if (!bridged_relaying() || br.host_side.fd >= 0 || !netd.eth.ifindex)
		return;
	fd = ifsock_udp(netd.eth.name, DHCP_SERVER_PORT);
	if (fd < 0) {
		netd_error(ERR_SOCKET_FAILED, "bridged mode: listening for the host's DHCP on %s: %s",
			   netd.eth.name, strerror(-fd));
		return;
	}
	br.host_side.fd = fd;
	br.host_side.cb = from_host;
	loop_fd_add(&br.host_side, EPOLLIN);
	log_info("bridged mode: the host's DHCP goes to the Wi-Fi network's server");
}

/* ---- NAT instead -------------------------------------------------------------- */

static void follow_prefix6(void);

static void fall_back(const char *why)
{
	br.fallback = 1;
	br.fallback_why = why;
	loop_timer_cancel(&br.answer_timer);
	close_fd(&br.host_side);
	close_wifi();
	forget_host("NAT takes over");
	follow_prefix6();
	ipv6_update();	/* the Wi-Fi network's prefix leaves the advertisements */
	log_notice("bridged mode: %s: NAT instead, the host gets an address from the guest", why);
	dhcpd_update();
	netd_update_firewall();
	report_changed();
}

static void try_failed(const char *what)
{
	br.tries_failed++;
	log_notice("bridged mode: %s (try %u of %u)", what, br.tries_failed, BRIDGED_TRIES);
	if (br.tries_failed >= BRIDGED_TRIES)
		fall_back("the Wi-Fi network gives the host no address");
}

static void answer_due(struct loop_timer *t)
{
	(void)t;
	if (!br.offered)
		try_failed("no offer for the host from the Wi-Fi network");
}

/* ---- relaying --------------------------------------------------------------------- */

static struct in_addr override_id(void)
{
	return netd.plan.eth.addr;
}

static void send_to(int fd, uint16_t port, size_t len)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_BROADCAST) };

	if (sendto(fd, br.msg, len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to)) < 0)
		log_debug("bridged mode: sending %zu bytes to port %u: %s", len, port, strerror(errno));
	else
		br.relayed++;
}

static void learn_mac(const uint8_t *mac)
{
	if (br.have_mac && !memcmp(br.host_mac, mac, 6))
		return;
	memcpy(br.host_mac, mac, 6);
	br.have_mac = 1;
	log_info("bridged mode: the host is %s", mac_text(mac));
}

/* The host asks to keep the address of a network the guest has left: the
 * network it is on now may not answer a renewal at all (busybox udhcpd
 * does not), so the relay refuses it at once, and the host starts over. */
static int asks_for_stale(const struct dhcp_view *v)
{
	struct in_addr want = v->requested_off ? dhcp_get_addr(br.msg, v->requested_off) : v->ciaddr;

	return v->type == DHCP_REQUEST && br.stale_ip.s_addr && want.s_addr == br.stale_ip.s_addr;
}

static void refuse_stale(void)
{
	char ip[INET_ADDRSTRLEN];
	uint8_t request[DHCP_FIXED_LEN];

	log_notice("bridged mode: the host asked to keep %s, of the network the guest left: refused, so "
		   "that it asks this one", inet_ntop(AF_INET, &br.stale_ip, ip, sizeof(ip)));
	memcpy(request, br.msg, sizeof(request));
	br.stale_ip.s_addr = 0;
	send_to(br.host_side.fd, DHCP_CLIENT_PORT, dhcp_make_nak(br.msg, request, override_id()));
}

static void host_message(const struct dhcp_view *v, size_t len)
{
	learn_mac(v->chaddr);
	if (asks_for_stale(v)) {
		refuse_stale();
		return;
	}
	if (!netd.sup.connected || br.wifi_out < 0)
		return;	/* not on a network yet: the host asks again */
	if (v->type == DHCP_RELEASE && v->ciaddr.s_addr == br.host_ip.s_addr)
		forget_host("the host released it");
	br.xid = v->xid;
	if (v->server_id_off && br.server_id.s_addr &&
	    dhcp_get_addr(br.msg, v->server_id_off).s_addr == override_id().s_addr)
		dhcp_put_addr(br.msg, v->server_id_off, br.server_id);
	dhcp_set_broadcast(br.msg);
	if (v->type == DHCP_DISCOVER) {
		br.offered = 0;
		if (!br.answer_timer.pending)
			loop_timer_set(&br.answer_timer, BRIDGED_ANSWER_MS);
	}
	log_debug("bridged mode: the host's %s to the Wi-Fi network", dhcp_type_name(v->type));
	send_to(br.wifi_out, DHCP_SERVER_PORT, len);
}

static void from_host(struct loop_fd *lfd, uint32_t events)
{
	struct dhcp_view v;
	const char *why;

	(void)events;
	for (int k = 0; k < 16; k++) {
		ssize_t n = recv(lfd->fd, br.msg, sizeof(br.msg), MSG_DONTWAIT);

		if (n < 0)
			return;
		if (dhcp_read(br.msg, (size_t)n, &v, &why) < 0 || v.op != DHCP_BOOTREQUEST) {
			log_debug("bridged mode: from the host, not relayed: %s", why ? why : "not a request");
			continue;
		}
		host_message(&v, (size_t)n);
	}
}

static void network_answer(const struct dhcp_view *v, size_t len)
{
	uint32_t lease;

	if (v->server_id_off) {
		br.server_id = dhcp_get_addr(br.msg, v->server_id_off);
		dhcp_put_addr(br.msg, v->server_id_off, override_id());
	}
	lease = dhcp_cap_lease(br.msg, v, BRIDGED_HOST_LEASE_MAX_S);
	switch (v->type) {
	case DHCP_OFFER:
		br.offered = 1;
		br.tries_failed = 0;
		loop_timer_cancel(&br.answer_timer);
		break;
	case DHCP_ACK:
		if (v->yiaddr.s_addr)	/* not an answer to INFORM */
			host_got(v->yiaddr, lease ? lease : BRIDGED_HOST_LEASE_MAX_S);
		break;
	case DHCP_NAK:
		if (!br.host_ip.s_addr)
			try_failed("the Wi-Fi network refused the host an address");
		break;
	default:
		return;
	}
	log_debug("bridged mode: the network's %s to the host", dhcp_type_name(v->type));
	send_to(br.host_side.fd, DHCP_CLIENT_PORT, len);
}

/* Only answers to the host's latest message. */
static void network_packet(size_t n)
{
	struct dhcp_view v;
	const char *why;
	size_t off, len;

	if (!br.have_mac || br.host_side.fd < 0)
		return;
	if (dhcp_udp_payload(br.pkt, n, DHCP_CLIENT_PORT, &off, &len) < 0 || len > DHCP_MSG_MAX)
		return;
	memcpy(br.msg, br.pkt + off, len);
	if (dhcp_read(br.msg, len, &v, &why) < 0 || v.op != DHCP_BOOTREPLY)
		return;
	if (memcmp(v.chaddr, br.host_mac, 6) || v.xid != br.xid)
		return;	/* the guest's own, or another client's */
	network_answer(&v, len);
}

/* What a packet socket has, a packet at a time into br.pkt; never one
 * the guest sent itself (a packet socket sees those too). */
static void read_packets(int fd, void (*each)(size_t n))
{
	struct sockaddr_ll from;
	socklen_t flen;

	for (int k = 0; k < 32; k++) {
		ssize_t n;

		flen = sizeof(from);
		n = recvfrom(fd, br.pkt, sizeof(br.pkt), MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
		if (n < 0)
			return;
		if (from.sll_pkttype != PACKET_OUTGOING)
			each((size_t)n);
	}
}

static void from_network(struct loop_fd *lfd, uint32_t events)
{
	(void)events;
	read_packets(lfd->fd, network_packet);
}

/* ---- IPv6 ------------------------------------------------------------------------ */

uint8_t bridged_prefix6(struct in6_addr *prefix)
{
	struct link *up = ipv6_uplink();
	struct sys_addr a;

	memset(prefix, 0, sizeof(*prefix));
	if (!bridged_relaying() || !ipv6_uplink_ready() || !up || !ipv6_first_global(up, &a))
		return 0;
	memcpy(prefix->s6_addr, a.v6.s6_addr, 8);
	return 64;
}

const char *bridged_hosts6(void)
{
	static char text[BRIDGED_MAX_HOST6 * (INET6_ADDRSTRLEN + 1)];
	size_t len = 0;

	text[0] = '\0';
	for (unsigned k = 0; k < br.n_host6; k++) {
		if (k)
			text[len++] = ' ';
		inet_ntop(AF_INET6, &br.host6[k], text + len, sizeof(text) - len);
		len += strlen(text + len);
	}
	return text;
}

static void forget_hosts6(const char *why)
{
	if (!br.n_host6)
		return;
	log_notice("bridged mode: the host's IPv6 addresses in the Wi-Fi network's prefix (%s) are dropped: %s",
		   bridged_hosts6(), why);
	for (unsigned k = 0; k < br.n_host6; k++) {
		if (netd.wifi.ifindex)
			sys_neigh_proxy6(netd.wifi.ifindex, &br.host6[k], 0);
		if (netd.eth.ifindex)
			sys_route6_host(netd.eth.ifindex, &br.host6[k], 0);
	}
	br.n_host6 = 0;
	report_changed();
}

static int in_prefix6(const struct in6_addr *a)
{
	return br.prefix6_len && !memcmp(a->s6_addr, br.prefix6.s6_addr, 8);
}

static int known6(const struct in6_addr *a)
{
	for (unsigned k = 0; k < br.n_host6; k++)
		if (!memcmp(&br.host6[k], a, sizeof(*a)))
			return 1;
	return 0;
}

static int guests_own6(const struct in6_addr *a)
{
	for (unsigned k = 0; k < netd.view.n_addrs; k++) {
		const struct sys_addr *x = &netd.view.addrs[k];

		if (x->family == AF_INET6 && !memcmp(&x->v6, a, sizeof(*a)))
			return 1;
	}
	return 0;
}

static void learn6(const struct in6_addr *a)
{
	char ip[INET6_ADDRSTRLEN];

	if (!in_prefix6(a) || known6(a) || guests_own6(a) || !netd.wifi.ifindex || !netd.eth.ifindex)
		return;
	if (br.n_host6 == BRIDGED_MAX_HOST6) {
		log_warn("bridged mode: the host has more than %d IPv6 addresses in the Wi-Fi network's "
			 "prefix: %s is not answered for", BRIDGED_MAX_HOST6, inet_ntop(AF_INET6, a, ip, sizeof(ip)));
		return;
	}
	if (sys_route6_host(netd.eth.ifindex, a, 1) < 0 || sys_neigh_proxy6(netd.wifi.ifindex, a, 1) < 0)
		return;	/* said by the seam */
	br.host6[br.n_host6++] = *a;
	log_info("bridged mode: the host's IPv6 address %s is answered for on the Wi-Fi network",
		 inet_ntop(AF_INET6, a, ip, sizeof(ip)));
	report_changed();
}

/* A neighbour solicitation from the host (no extension headers: RFC 4861
 * sends none). Its source is the host's address, or, for duplicate
 * address detection, unspecified, and then its target is. */
static void host_solicitation(size_t n)
{
	const uint8_t *pkt = br.pkt;
	struct in6_addr src, target;

	if (n < 40 + 24 || pkt[6] != IPPROTO_ICMPV6 || pkt[7] != 255 || pkt[40] != 135)
		return;
	memcpy(&src, pkt + 8, 16);
	memcpy(&target, pkt + 48, 16);
	learn6(IN6_IS_ADDR_UNSPECIFIED(&src) ? &target : &src);
}

static void from_eth6(struct loop_fd *lfd, uint32_t events)
{
	(void)events;
	read_packets(lfd->fd, host_solicitation);
}

/* ICMPv6 neighbour solicitations only, without extension headers. */
static int attach_ns_filter(int fd)
{
	static struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6),			/* next header */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMPV6, 0, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 40),			/* ICMPv6 type */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 135, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

/* Solicitations go to solicited-node groups the guest has not joined:
 * the socket takes every multicast frame of eth0 (the filter keeps the
 * solicitations). */
static void open_ns_watch(void)
{
	struct packet_mreq mr = { .mr_ifindex = netd.eth.ifindex, .mr_type = PACKET_MR_ALLMULTI };
	int fd;

	if (br.ns_watch.fd >= 0 || !netd.eth.ifindex)
		return;
	fd = packet_socket(netd.eth.ifindex, ETH_P_IPV6, attach_ns_filter);
	if (fd >= 0 && setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		int e = errno;

		close(fd);
		fd = -e;
	}
	if (fd < 0) {
		netd_error(ERR_SOCKET_FAILED, "bridged mode: watching %s for the host's IPv6 addresses: %s",
			   netd.eth.name, strerror(-fd));
		return;
	}
	br.ns_watch.fd = fd;
	br.ns_watch.cb = from_eth6;
	loop_fd_add(&br.ns_watch, EPOLLIN);
}

/* The Wi-Fi network's prefix came, changed or went. */
static void follow_prefix6(void)
{
	struct in6_addr now;
	uint8_t len = bridged_prefix6(&now);
	char path[96];

	if (len == br.prefix6_len && !memcmp(&now, &br.prefix6, sizeof(now)))
		return;
	forget_hosts6(len ? "the Wi-Fi network's prefix changed" : "the Wi-Fi network has no IPv6 now");
	br.prefix6 = now;
	br.prefix6_len = len;
	if (len && netd.wifi.name[0]) {
		snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/proxy_ndp", netd.wifi.name);
		sys_sysctl(path, "1");
		open_ns_watch();
	} else {
		close_fd(&br.ns_watch);
	}
	netd_update_firewall();
	report_changed();
}

/* ---- life ------------------------------------------------------------------------ */

/* eth0 is configured, at start or after it went down and up again: the
 * kernel dropped the routes through it then, and netd sets them again
 * (as links.c does its own). */
static void host_link_back(void)
{
	open_host_side();
	if (br.prefix6_len)
		open_ns_watch();
	if (br.host_ip.s_addr)
		sys_route_host(netd.eth.ifindex, br.host_ip, 1);
	for (unsigned k = 0; k < br.n_host6; k++)
		sys_route6_host(netd.eth.ifindex, &br.host6[k], 1);
}

static int moved(void)
{
	struct in_addr mask = prefix_mask(netd.lease.prefix);

	return br.host_ip.s_addr &&
	       (br.host_ip.s_addr & mask.s_addr) != (netd.lease.ip.s_addr & mask.s_addr);
}

void bridged_init(void)
{
	bridged_stop();
	br.on = netd.plan.bridge_uplink && netd.mode == MODE_STATION;
	br.fallback = 0;
	br.tries_failed = 0;
	br.have_mac = 0;
	br.relayed = 0;
	br.server_id.s_addr = 0;
	br.answer_timer.cb = answer_due;
	br.expiry_timer.cb = lease_expired;
	if (netd.plan.bridge_uplink && netd.mode != MODE_STATION)
		log_notice("bridge-uplink applies in station mode only: ignored in access-point mode");
	else if (br.on)
		log_info("bridged mode: the host joins the Wi-Fi network, without NAT");
}

void bridged_stop(void)
{
	loop_timer_cancel(&br.answer_timer);
	close_fd(&br.host_side);
	close_wifi();
	close_fd(&br.ns_watch);
	forget_host("netd stops");
	forget_hosts6("netd stops");
	tell_uds_passthru();	/* at start: what an earlier netd left */
	br.prefix6_len = 0;
	memset(&br.prefix6, 0, sizeof(br.prefix6));
}

void bridged_on_event(const struct netd_ev *ev)
{
	if (!br.on)
		return;
	switch (ev->type) {
	case EV_LINK_CONFIGURED:
		if (ev->link == &netd.eth)
			host_link_back();
		break;
	case EV_LINK_GONE:
		if (ev->link == &netd.eth) {
			close_fd(&br.host_side);
			close_fd(&br.ns_watch);
			forget_host("the host link went away");
			forget_hosts6("the host link went away");
		}
		break;
	case EV_WIFI_FOUND:
		open_wifi();
		break;
	case EV_WIFI_GONE:
		close_wifi();
		forget_host("the Wi-Fi interface went away");
		follow_prefix6();
		break;
	case EV_ADDR:
	case EV_DNS6:	/* the uplink's IPv6 readiness */
		follow_prefix6();
		break;
	case EV_LEASE:
		if (moved())
			leave_network("the guest is on another network now");
		break;
	case EV_LEASE_LOST:
		leave_network("the guest's own lease is gone");
		break;
	case EV_DISASSOCIATED:
		/* no network to offer anything: not a failed try */
		loop_timer_cancel(&br.answer_timer);
		break;
	case EV_LINK_FOUND:
	case EV_LINK_CHANGED:
	case EV_ASSOCIATED:
	case EV_COUNT:
		break;
	}
}
