/* worldctl: the test bench's helper for the simulated world inside the
 * guest. Never part of the image: it reaches the guest on the `testworld`
 * 9P share. It creates mac80211_hwsim radios (optionally without an
 * interface, so that netd never sees them), moves a radio into another
 * network namespace and adds an interface there.
 *
 *   worldctl new-radio NAME [novif]   create a radio (its wiphy is NAME)
 *   worldctl del-radio NAME
 *   worldctl netns NAME PID           move wiphy NAME into PID's netns
 *   worldctl add-if NAME IFNAME       add a station interface on NAME
 *   worldctl wait-phy NAME MS         wait until NAME is in this netns
 *   worldctl scan tcp|udp ADDR PORTS [WINDOW [TIMEOUT_MS]]
 *                                     a port scan of ADDR (see cmd_scan)
 *   worldctl udp-send ADDR PORT TEXT [COUNT]
 *                                     COUNT datagrams (1) of TEXT to
 *                                     ADDR:PORT, broadcasts allowed
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nl80211.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netinet/in.h>
#include <netlink/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* From the kernel's drivers/net/wireless/virtual/mac80211_hwsim.h: the
 * generic netlink ABI of mac80211_hwsim, which has no UAPI header. */
enum {
	HWSIM_CMD_NEW_RADIO = 4,
	HWSIM_CMD_DEL_RADIO = 5,
};
enum {
	HWSIM_ATTR_RADIO_NAME = 17,
	HWSIM_ATTR_NO_VIF = 18,
};

static struct nl_sock *sk;

static int connect_family(const char *name)
{
	int family;

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk) < 0) {
		fprintf(stderr, "worldctl: cannot open a generic netlink socket\n");
		exit(111);
	}
	family = genl_ctrl_resolve(sk, name);
	if (family < 0) {
		fprintf(stderr, "worldctl: generic netlink family %s not found (module loaded?)\n", name);
		exit(111);
	}
	return family;
}

static int ack_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	(void)nla;
	*(int *)arg = err->error;
	return NL_STOP;
}

static int ack_ok(struct nl_msg *msg, void *arg)
{
	(void)msg;
	*(int *)arg = 0;
	return NL_STOP;
}

/* Sends msg and returns the kernel's answer: 0, a positive value (hwsim
 * answers NEW_RADIO with the radio's index) or -errno. */
static int transact(struct nl_msg *msg, nl_recvmsg_msg_cb_t on_valid, void *arg)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int result = 1 << 30;

	nl_cb_err(cb, NL_CB_CUSTOM, ack_error, &result);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_ok, &result);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, ack_ok, &result);
	if (on_valid)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, arg);
	if (nl_send_auto(sk, msg) < 0)
		result = -EIO;
	/* libnl reports an error for any non-zero ack, after our callback has
	 * recorded it: keep what the callback saw. */
	while (result == 1 << 30)
		if (nl_recvmsgs(sk, cb) < 0 && result == 1 << 30)
			result = -EIO;
	nl_cb_put(cb);
	nlmsg_free(msg);
	return result;
}

static struct nl_msg *new_msg(int family, int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, (uint8_t)cmd, 0);
	return msg;
}

struct find_wiphy {
	const char *name;
	int index;
};

static int wiphy_seen(struct nl_msg *msg, void *arg)
{
	struct find_wiphy *f = arg;
	struct nlattr *tb[NL80211_ATTR_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));

	nla_parse(tb, NL80211_ATTR_MAX, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), NULL);
	if (tb[NL80211_ATTR_WIPHY_NAME] && tb[NL80211_ATTR_WIPHY] &&
	    strcmp(nla_get_string(tb[NL80211_ATTR_WIPHY_NAME]), f->name) == 0)
		f->index = (int)nla_get_u32(tb[NL80211_ATTR_WIPHY]);
	return NL_OK;
}

static int wiphy_index(int nl80211, const char *name)
{
	struct find_wiphy f = { name, -1 };

	transact(new_msg(nl80211, NL80211_CMD_GET_WIPHY, NLM_F_DUMP), wiphy_seen, &f);
	return f.index;
}

static int need_wiphy(int nl80211, const char *name)
{
	int idx = wiphy_index(nl80211, name);

	if (idx < 0) {
		fprintf(stderr, "worldctl: no wiphy named %s in this network namespace\n", name);
		exit(1);
	}
	return idx;
}

static int cmd_new_radio(int argc, char **argv)
{
	int family = connect_family("MAC80211_HWSIM");
	struct nl_msg *msg = new_msg(family, HWSIM_CMD_NEW_RADIO, 0);
	int rc;

	nla_put_string(msg, HWSIM_ATTR_RADIO_NAME, argv[0]);
	if (argc > 1 && strcmp(argv[1], "novif") == 0)
		nla_put_flag(msg, HWSIM_ATTR_NO_VIF);
	rc = transact(msg, NULL, NULL);
	if (rc < 0) {
		fprintf(stderr, "worldctl: new-radio %s: %s\n", argv[0], strerror(-rc));
		return 1;
	}
	printf("%s\n", argv[0]);
	return 0;
}

static int cmd_del_radio(int argc, char **argv)
{
	int family = connect_family("MAC80211_HWSIM");
	struct nl_msg *msg = new_msg(family, HWSIM_CMD_DEL_RADIO, 0);
	int rc;

	(void)argc;
	nla_put_string(msg, HWSIM_ATTR_RADIO_NAME, argv[0]);
	rc = transact(msg, NULL, NULL);
	if (rc < 0)
		fprintf(stderr, "worldctl: del-radio %s: %s\n", argv[0], strerror(-rc));
	return rc < 0;
}

static int cmd_netns(int argc, char **argv)
{
	int nl80211 = connect_family("nl80211");
	struct nl_msg *msg = new_msg(nl80211, NL80211_CMD_SET_WIPHY_NETNS, 0);
	int rc;

	(void)argc;
	nla_put_u32(msg, NL80211_ATTR_WIPHY, (uint32_t)need_wiphy(nl80211, argv[0]));
	nla_put_u32(msg, NL80211_ATTR_PID, (uint32_t)atoi(argv[1]));
	rc = transact(msg, NULL, NULL);
	if (rc < 0)
		fprintf(stderr, "worldctl: netns %s %s: %s\n", argv[0], argv[1], strerror(-rc));
	return rc < 0;
}

static int cmd_add_if(int argc, char **argv)
{
	int nl80211 = connect_family("nl80211");
	struct nl_msg *msg = new_msg(nl80211, NL80211_CMD_NEW_INTERFACE, 0);
	int rc;

	(void)argc;
	nla_put_u32(msg, NL80211_ATTR_WIPHY, (uint32_t)need_wiphy(nl80211, argv[0]));
	nla_put_string(msg, NL80211_ATTR_IFNAME, argv[1]);
	nla_put_u32(msg, NL80211_ATTR_IFTYPE, NL80211_IFTYPE_STATION);
	rc = transact(msg, NULL, NULL);
	if (rc < 0)
		fprintf(stderr, "worldctl: add-if %s %s: %s\n", argv[0], argv[1], strerror(-rc));
	return rc < 0;
}

/* Test tooling: a short poll is fine here (the daemons under test never poll). */
static int cmd_wait_phy(int argc, char **argv)
{
	int nl80211 = connect_family("nl80211");
	long ms = argc > 1 ? atol(argv[1]) : 10000;
	struct timespec step = { 0, 20 * 1000 * 1000 };

	for (; ms > 0; ms -= 20) {
		if (wiphy_index(nl80211, argv[0]) >= 0)
			return 0;
		nanosleep(&step, NULL);
	}
	fprintf(stderr, "worldctl: wiphy %s did not appear\n", argv[0]);
	return 1;
}

/* ---- scan: what a neighbour on the Wi-Fi network could find open ----
 *
 *   worldctl scan tcp|udp ADDR PORTS [WINDOW [TIMEOUT_MS]]
 *
 * PORTS is a list of ports and ranges, "1-65535" or "53,67-69,123".
 * TCP: a non-blocking connect() per port, at most WINDOW (default 1024)
 * in flight; each has TIMEOUT_MS (default 1500, which covers the kernel's
 * first SYN retransmission at 1 s) to be answered. UDP: a datagram per
 * port (a DNS query to 53, an NTP request to 123, a line of text
 * elsewhere) on a connected socket, sent twice (the second after half the
 * time-out); a datagram back means open, ICMP port-unreachable closed.
 * Prints "open PROTO PORT" for each open port, then one summary line:
 *   scan PROTO ADDR ports=N open=N closed=N unreachable=N filtered=N ms=N
 * closed: refused (RST, ICMP port unreachable); unreachable: another
 * ICMP error; filtered: no answer at all (a firewall's DROP).
 * Exit status 0 whatever was found; 100 usage, 111 a system call failed. */

#define SCAN_MAX_WINDOW 16384

enum scan_result { SCAN_OPEN, SCAN_CLOSED, SCAN_UNREACHABLE, SCAN_FILTERED, SCAN_N };

struct scan_slot {
	int fd;
	uint16_t port;
	long long sent_ms, deadline_ms;
	int resent;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sets want[p] for each port of "1-100,123,..."; the count, or -1. */
static long parse_ports(const char *spec, unsigned char *want)
{
	long n = 0;
	const char *s = spec;

	while (*s) {
		char *end;
		long lo = strtol(s, &end, 10), hi = lo;

		if (end == s)
			return -1;
		if (*end == '-') {
			s = end + 1;
			hi = strtol(s, &end, 10);
			if (end == s)
				return -1;
		}
		if (lo < 1 || hi > 65535 || lo > hi || (*end && *end != ','))
			return -1;
		for (long p = lo; p <= hi; p++)
			if (!want[p]) {
				want[p] = 1;
				n++;
			}
		s = *end ? end + 1 : end;
	}
	return n;
}

/* The datagram a UDP service is likely to answer. */
static size_t udp_probe(uint16_t port, unsigned char *buf, size_t size)
{
	static const unsigned char dns[] = {
		0x57, 0x42, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,	/* id, RD, 1 question */
		7, 'w', 'i', 'f', 'i', 'b', 'o', 'x', 4, 't', 'e', 's', 't', 0,
		0, 1, 0, 1,	/* A, IN */
	};
	static const char text[] = "worldctl scan\n";

	if (port == 53 && size >= sizeof(dns)) {
		memcpy(buf, dns, sizeof(dns));
		return sizeof(dns);
	}
	if (port == 123 && size >= 48) {
		memset(buf, 0, 48);
		buf[0] = 0x23;	/* NTPv4, client */
		return 48;
	}
	memcpy(buf, text, sizeof(text) - 1);
	return sizeof(text) - 1;
}

static enum scan_result classify(int err)
{
	switch (err) {
	case 0:
		return SCAN_OPEN;
	case ECONNREFUSED:
	case ECONNRESET:
		return SCAN_CLOSED;
	default:
		return SCAN_UNREACHABLE;
	}
}

/* Scanning an address of this host, a connect from an ephemeral port to
 * the same port number meets itself (TCP's simultaneous open): that is no
 * service, and the port is closed. */
static int self_connected(int fd)
{
	struct sockaddr_in a, b;
	socklen_t la = sizeof(a), lb = sizeof(b);

	return getsockname(fd, (struct sockaddr *)&a, &la) == 0 &&
	       getpeername(fd, (struct sockaddr *)&b, &lb) == 0 &&
	       a.sin_port == b.sin_port && a.sin_addr.s_addr == b.sin_addr.s_addr;
}

/* Starts the probe of one port in slot s; 0, or the result when it is
 * known at once (a refused connect on this host), or -1 (no resources). */
static int scan_start(struct scan_slot *s, int udp, struct sockaddr_in *to, uint16_t port,
		      long long timeout)
{
	unsigned char buf[64];
	size_t len;

	s->port = port;
	s->resent = 0;
	s->sent_ms = now_ms();
	s->deadline_ms = s->sent_ms + timeout;
	s->fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return -1;
	to->sin_port = htons(port);
	if (connect(s->fd, (struct sockaddr *)to, sizeof(*to)) == 0) {
		if (!udp)
			return 1 + (self_connected(s->fd) ? SCAN_CLOSED : SCAN_OPEN);
	} else if (errno != EINPROGRESS) {
		return 1 + (int)classify(errno);
	}
	if (udp) {
		len = udp_probe(port, buf, sizeof(buf));
		if (send(s->fd, buf, len, 0) < 0 && errno != EAGAIN)
			return 1 + (int)classify(errno);
	}
	return 0;
}

static void scan_close(struct scan_slot *s)
{
	/* An answered connect is reset, not closed: no half-open connections
	 * and no TIME_WAIT left behind on either side. */
	struct linger lg = { 1, 0 };

	setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(s->fd);
	s->fd = -1;
}

static int cmd_scan(int argc, char **argv)
{
	static unsigned char want[65536];
	static struct scan_slot slots[SCAN_MAX_WINDOW];
	static struct pollfd pfds[SCAN_MAX_WINDOW];
	static const char *const names[SCAN_N] = { "open", "closed", "unreachable", "filtered" };
	long counts[SCAN_N] = { 0 };
	struct sockaddr_in to = { .sin_family = AF_INET };
	int udp = strcmp(argv[0], "udp") == 0;
	long total = parse_ports(argv[2], want);
	long window = argc > 3 ? atol(argv[3]) : 1024;
	long long timeout = argc > 4 ? atoll(argv[4]) : 1500;
	long long t0 = now_ms();
	struct rlimit rl;
	long next = 1, busy = 0;

	if ((!udp && strcmp(argv[0], "tcp")) || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1 ||
	    total < 0 || window < 1 || window > SCAN_MAX_WINDOW || timeout < 1) {
		fprintf(stderr, "usage: worldctl scan tcp|udp ADDR PORTS [WINDOW (1-%d) [TIMEOUT_MS]]\n",
			SCAN_MAX_WINDOW);
		return 100;
	}
	rl.rlim_cur = rl.rlim_max = (rlim_t)window + 64;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		perror("worldctl: setrlimit");
		return 111;
	}
	for (long i = 0; i < window; i++)
		slots[i].fd = -1;
	for (;;) {
		long long now, wait = -1;
		int n;

		/* Fill the free slots with the next ports. */
		for (long i = 0; i < window; i++) {
			int r;

			while (slots[i].fd < 0 && next <= 65535 && !want[next])
				next++;
			if (slots[i].fd >= 0 || next > 65535)
				continue;
			r = scan_start(&slots[i], udp, &to, (uint16_t)next, timeout);
			if (r < 0) {
				perror("worldctl: socket");
				return 111;
			}
			next++;
			if (r > 0) {
				counts[r - 1]++;
				if (r - 1 == SCAN_OPEN)
					printf("open %s %u\n", argv[0], slots[i].port);
				scan_close(&slots[i]);
				continue;
			}
			busy++;
		}
		if (!busy)
			break;
		now = now_ms();
		for (long i = 0; i < window; i++) {
			pfds[i].fd = slots[i].fd;
			pfds[i].events = udp ? POLLIN : POLLOUT;
			pfds[i].revents = 0;
			if (slots[i].fd >= 0) {
				long long left = slots[i].deadline_ms - now;

				if (udp && !slots[i].resent)
					left = slots[i].sent_ms + timeout / 2 - now;
				if (left < 0)
					left = 0;
				if (wait < 0 || left < wait)
					wait = left;
			}
		}
		n = poll(pfds, (nfds_t)window, (int)wait);
		if (n < 0) {
			perror("worldctl: poll");
			return 111;
		}
		now = now_ms();
		for (long i = 0; i < window; i++) {
			struct scan_slot *s = &slots[i];
			enum scan_result r = SCAN_N;

			if (s->fd < 0)
				continue;
			if (pfds[i].revents) {
				int err = 0;
				socklen_t len = sizeof(err);

				if (udp) {
					unsigned char buf[512];

					if (recv(s->fd, buf, sizeof(buf), 0) >= 0)
						r = SCAN_OPEN;
					else if (errno != EAGAIN)
						r = classify(errno);
				} else {
					getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
					r = classify(err);
					if (r == SCAN_OPEN && self_connected(s->fd))
						r = SCAN_CLOSED;
				}
			}
			if (r == SCAN_N && udp && !s->resent && now >= s->sent_ms + timeout / 2) {
				unsigned char buf[64];
				size_t len = udp_probe(s->port, buf, sizeof(buf));

				s->resent = 1;
				if (send(s->fd, buf, len, 0) < 0 && errno != EAGAIN)
					r = classify(errno);
			}
			if (r == SCAN_N && now >= s->deadline_ms)
				r = SCAN_FILTERED;
			if (r == SCAN_N)
				continue;
			counts[r]++;
			if (r == SCAN_OPEN)
				printf("open %s %u\n", argv[0], s->port);
			scan_close(s);
			busy--;
		}
	}
	printf("scan %s %s ports=%ld", argv[0], argv[1], total);
	for (int r = 0; r < SCAN_N; r++)
		printf(" %s=%ld", names[r], counts[r]);
	printf(" ms=%lld\n", now_ms() - t0);
	return 0;
}

/* As a LAN device announces itself: a datagram, often a broadcast. */
static int cmd_udp_send(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), on = 1;
	long count = argc > 3 ? strtol(argv[3], NULL, 10) : 1;

	if (fd < 0 || inet_pton(AF_INET, argv[0], &to.sin_addr) != 1 ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) < 0) {
		fprintf(stderr, "worldctl: udp-send %s: bad address or no socket\n", argv[0]);
		return 111;
	}
	to.sin_port = htons((uint16_t)strtoul(argv[1], NULL, 10));
	for (long k = 0; k < count; k++)
		if (sendto(fd, argv[2], strlen(argv[2]), 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
			fprintf(stderr, "worldctl: udp-send: %s\n", strerror(errno));
			return 111;
		}
	printf("sent %ld\n", count);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int min_args;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "new-radio", 1, cmd_new_radio }, { "del-radio", 1, cmd_del_radio },
		{ "netns", 2, cmd_netns }, { "add-if", 2, cmd_add_if },
		{ "wait-phy", 1, cmd_wait_phy }, { "scan", 3, cmd_scan },
		{ "udp-send", 3, cmd_udp_send },
	};

	for (size_t i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0 && argc - 2 >= cmds[i].min_args)
			return cmds[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "usage: worldctl new-radio NAME [novif] | del-radio NAME | netns NAME PID |"
			" add-if NAME IFNAME | wait-phy NAME [MS] |"
			" scan tcp|udp ADDR PORTS [WINDOW [TIMEOUT_MS]] |"
			" udp-send ADDR PORT TEXT [COUNT]\n");
	return 100;
}
