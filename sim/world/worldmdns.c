/* worldmdns: an mDNS peer of the simulated world (test-only, never in the
 * image). The e2e tests' independent observer of the guest's mDNS
 * reflector and responder, from the Wi-Fi side; it shares no code with
 * netd on purpose. sim/mdns.py is its twin on the host's side and prints
 * the same lines.
 *
 *   worldmdns [-6] announce IFACE HOST ADDR INSTANCE TYPE PORT [SECONDS]
 *   worldmdns [-6] query IFACE NAME TYPE [TIMEOUT_MS]
 *   worldmdns [-6] listen IFACE SECONDS
 *   worldmdns [-6] flood IFACE COUNT
 *   worldmdns [-6] echo IFACE SECONDS
 *
 * IPv4 (224.0.0.251:5353) by default, IPv6 (ff02::fb) with -6. A record
 * prints as "SECTION NAME TYPE TTL DATA", each message's source as
 * "from ADDR" before its lines, a question as "question NAME TYPE", a
 * message that does not parse as "malformed from ADDR". Names are in
 * presentation form without the final dot (a space or a dot inside a
 * label as \DDD). Exit 100 on bad usage, 111 when a system call fails;
 * query exits 0 when a record named NAME came, 1 otherwise. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PORT 5353
#define MAX_MSG 9000
#define NAME_TEXT 1100		/* 255 wire bytes, each at most "\DDD" */
#define OUT_SIZE 65536

static int v6;
static unsigned ifindex;

static const struct {
	const char *name;
	unsigned type;
} types[] = {
	{ "A", 1 }, { "NS", 2 }, { "CNAME", 5 }, { "PTR", 12 }, { "HINFO", 13 },
	{ "TXT", 16 }, { "AAAA", 28 }, { "SRV", 33 }, { "OPT", 41 }, { "NSEC", 47 },
	{ "ANY", 255 },
};

static void die(const char *what)
{
	fprintf(stderr, "worldmdns: %s: %s\n", what, strerror(errno));
	exit(111);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: worldmdns [-6] announce IFACE HOST ADDR INSTANCE TYPE PORT [SECONDS]\n"
		"       worldmdns [-6] query IFACE NAME TYPE [TIMEOUT_MS]\n"
		"       worldmdns [-6] listen IFACE SECONDS\n"
		"       worldmdns [-6] flood IFACE COUNT\n"
		"       worldmdns [-6] echo IFACE SECONDS\n");
	return 100;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *type_name(unsigned type, char *buf, size_t size)
{
	for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++)
		if (types[k].type == type)
			return types[k].name;
	snprintf(buf, size, "TYPE%u", type);
	return buf;
}

/* "PTR", "ptr", "TYPE12" or "12"; -1 when none of them. */
static long parse_type(const char *s)
{
	char *end;
	unsigned long v;

	for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++)
		if (!strcasecmp(s, types[k].name))
			return types[k].type;
	if (!strncasecmp(s, "TYPE", 4))
		s += 4;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > 65535)
		return -1;
	return (long)v;
}

static long parse_num(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < min || v > max)
		return -1;
	return v;
}

/* --- the socket --- */

static void group(struct sockaddr_storage *to, socklen_t *len)
{
	memset(to, 0, sizeof(*to));
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)to;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(PORT);
		s6->sin6_scope_id = ifindex;
		inet_pton(AF_INET6, "ff02::fb", &s6->sin6_addr);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)to;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(PORT);
		inet_pton(AF_INET, "224.0.0.251", &s4->sin_addr);
		*len = sizeof(*s4);
	}
}

/* Bound to *:5353 on IFACE, in the group, sending there with TTL (hop
 * limit) 255 as RFC 6762 11 asks. loop: whether our own multicast comes
 * back to sockets of this namespace (echo must not hear itself). */
static int open_socket(const char *ifname, int loop)
{
	static const int one = 1, ttl = 255;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_storage addr;
	socklen_t len;

	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0)
		die("SO_REUSEADDR");
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0)
		die(ifname);
	memset(&addr, 0, sizeof(addr));
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&addr;
		struct ipv6_mreq mreq = { .ipv6mr_interface = ifindex };

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(PORT);
		len = sizeof(*s6);
		inet_pton(AF_INET6, "ff02::fb", &mreq.ipv6mr_multiaddr);
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0 ||
		    bind(fd, (struct sockaddr *)&addr, len) < 0)
			die("bind [::]:5353");
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof(mreq)) < 0)
			die("IPV6_JOIN_GROUP ff02::fb");
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl, sizeof(ttl)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &loop, sizeof(loop)) < 0)
			die("IPv6 multicast options");
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&addr;
		struct ip_mreqn mreq = { .imr_ifindex = (int)ifindex };
		unsigned char mttl = 255, mloop = (unsigned char)loop;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(PORT);
		len = sizeof(*s4);
		if (bind(fd, (struct sockaddr *)&addr, len) < 0)
			die("bind 0.0.0.0:5353");
		inet_pton(AF_INET, "224.0.0.251", &mreq.imr_multiaddr);
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0)
			die("IP_ADD_MEMBERSHIP 224.0.0.251");
		mreq.imr_multiaddr.s_addr = INADDR_ANY;
		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq)) < 0 ||
		    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &mttl, sizeof(mttl)) < 0 ||
		    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0 ||
		    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &mloop, sizeof(mloop)) < 0)
			die("IPv4 multicast options");
	}
	return fd;
}

/* Multicast, retrying a moment when the queue is full (flood). */
static void send_group(int fd, const uint8_t *buf, size_t len)
{
	struct sockaddr_storage to;
	socklen_t tolen;

	group(&to, &tolen);
	for (int tries = 0;; tries++) {
		if (sendto(fd, buf, len, 0, (struct sockaddr *)&to, tolen) >= 0)
			return;
		if ((errno != ENOBUFS && errno != EAGAIN) || tries == 1000)
			die("sendto");
		usleep(1000);
	}
}

/* A datagram, or 0 bytes when none came within ms (-1: none). */
static ssize_t receive(int fd, uint8_t *buf, size_t size, int ms, char *from, size_t fromsize)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct sockaddr_storage src;
	socklen_t srclen = sizeof(src);
	ssize_t n;

	if (ms < 0)
		ms = 0;
	if (poll(&p, 1, ms) <= 0)
		return -1;
	n = recvfrom(fd, buf, size, 0, (struct sockaddr *)&src, &srclen);
	if (n < 0)
		return -1;
	if (src.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&src)->sin6_addr, from, (socklen_t)fromsize);
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&src)->sin_addr, from, (socklen_t)fromsize);
	return n;
}

/* --- reading messages --- */

struct out {
	char buf[OUT_SIZE];
	size_t len;
};

__attribute__((format(printf, 2, 3)))
static void out_add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= sizeof(o->buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, sizeof(o->buf) - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
	if (o->len >= sizeof(o->buf))
		o->len = sizeof(o->buf) - 1;
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* The name at *off into text; *off moves past it (past the first
 * pointer when compressed). Pointers followed at most 64 times, so a
 * loop ends as malformed; -1 when the name is malformed. */
static int read_name(const uint8_t *p, size_t n, size_t *off, char *text)
{
	size_t pos = *off, o = 0, wire = 0;
	int jumps = 0, jumped = 0;

	for (;;) {
		unsigned l;

		if (pos >= n)
			return -1;
		l = p[pos];
		if ((l & 0xc0) == 0xc0) {
			if (pos + 1 >= n || ++jumps > 64)
				return -1;
			if (!jumped)
				*off = pos + 2;
			jumped = 1;
			pos = (size_t)(l & 0x3f) << 8 | p[pos + 1];
			continue;
		}
		if (l & 0xc0)
			return -1;	/* the extended label types: unused */
		if (l == 0)
			break;
		if (pos + 1 + l > n || (wire += l + 1) > 255)
			return -1;
		if (o)
			text[o++] = '.';
		for (unsigned k = 0; k < l; k++) {
			unsigned char c = p[pos + 1 + k];

			if (c <= ' ' || c >= 0x7f || c == '.' || c == '\\' || c == '"')
				o += (size_t)sprintf(text + o, "\\%03u", c);
			else
				text[o++] = (char)c;
		}
		pos += 1 + l;
	}
	if (!jumped)
		*off = pos + 1;
	if (o == 0)
		text[o++] = '.';
	text[o] = '\0';
	return 0;
}

/* DATA of a record whose rdata is p[off, off+len). */
static int format_data(struct out *o, const uint8_t *p, size_t n, size_t off, size_t len, unsigned type)
{
	char name[NAME_TEXT], addr[INET6_ADDRSTRLEN];
	size_t end = off + len, at = off;

	switch (type) {
	case 1:
		if (len != 4)
			return -1;
		out_add(o, "%s", inet_ntop(AF_INET, p + off, addr, sizeof(addr)));
		return 0;
	case 28:
		if (len != 16)
			return -1;
		out_add(o, "%s", inet_ntop(AF_INET6, p + off, addr, sizeof(addr)));
		return 0;
	case 2:
	case 5:
	case 12:
		if (read_name(p, n, &at, name) < 0 || at != end)
			return -1;
		out_add(o, "%s", name);
		return 0;
	case 33:
		at += 6;
		if (len < 7 || read_name(p, n, &at, name) < 0 || at != end)
			return -1;
		out_add(o, "%u %u %u %s", get16(p + off), get16(p + off + 2), get16(p + off + 4), name);
		return 0;
	case 16:
		while (at < end) {
			size_t l = p[at++];

			if (at + l > end)
				return -1;
			out_add(o, "%s\"", at - 1 > off ? " " : "");
			for (size_t k = 0; k < l; k++) {
				unsigned char c = p[at + k];

				if (c < ' ' || c >= 0x7f || c == '"' || c == '\\')
					out_add(o, "\\%03u", c);
				else
					out_add(o, "%c", c);
			}
			out_add(o, "\"");
			at += l;
		}
		if (len == 0)
			out_add(o, "-");
		return 0;
	default:
		for (size_t k = 0; k < len; k++)
			out_add(o, "%02x", p[off + k]);
		if (len == 0)
			out_add(o, "-");
		return 0;
	}
}

struct parsed {
	int response;		/* QR */
	unsigned questions, records;
	int matched;		/* a record named "want" */
};

/* The message's lines into o ("from" first); -1 when it is malformed. */
static int parse(const uint8_t *p, size_t n, const char *from, const char *want,
		 struct out *o, struct parsed *r)
{
	static const char *const sections[] = { "answer", "authority", "additional" };
	char name[NAME_TEXT], tbuf[16];
	size_t off = 12;

	memset(r, 0, sizeof(*r));
	o->len = 0;
	o->buf[0] = '\0';
	if (n < 12)
		return -1;
	r->response = p[2] >> 7;
	out_add(o, "from %s\n", from);
	for (unsigned k = 0, qd = get16(p + 4); k < qd; k++) {
		if (read_name(p, n, &off, name) < 0 || off + 4 > n)
			return -1;
		out_add(o, "question %s %s\n", name, type_name(get16(p + off), tbuf, sizeof(tbuf)));
		off += 4;
		r->questions++;
	}
	for (unsigned s = 0; s < 3; s++) {
		for (unsigned k = 0, count = get16(p + 6 + 2 * s); k < count; k++) {
			unsigned type, len;
			uint32_t ttl;

			if (read_name(p, n, &off, name) < 0 || off + 10 > n)
				return -1;
			type = get16(p + off);
			ttl = get32(p + off + 4);
			len = get16(p + off + 8);
			off += 10;
			if (off + len > n)
				return -1;
			out_add(o, "%s %s %s %lu ", sections[s], name, type_name(type, tbuf, sizeof(tbuf)),
				(unsigned long)ttl);
			if (format_data(o, p, n, off, len, type) < 0)
				return -1;
			out_add(o, "\n");
			off += len;
			r->records++;
			if (want && !strcasecmp(name, want))
				r->matched = 1;
		}
	}
	return 0;
}

/* --- writing messages (no compression: simple, and valid) --- */

struct msg {
	uint8_t buf[MAX_MSG];
	size_t len;
};

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void msg_start(struct msg *m, unsigned flags)
{
	memset(m->buf, 0, 12);
	put16(m->buf + 2, flags);
	m->len = 12;
}

static void msg_count(struct msg *m, unsigned field)
{
	put16(m->buf + 4 + 2 * field, get16(m->buf + 4 + 2 * field) + 1);
}

static void msg_bytes(struct msg *m, const void *data, size_t len)
{
	if (m->len + len > sizeof(m->buf)) {
		fprintf(stderr, "worldmdns: message too long\n");
		exit(100);
	}
	memcpy(m->buf + m->len, data, len);
	m->len += len;
}

static void msg_u16(struct msg *m, unsigned v)
{
	uint8_t b[2];

	put16(b, v);
	msg_bytes(m, b, 2);
}

/* A dotted name; "\." is a dot inside a label. */
static void msg_name(struct msg *m, const char *name)
{
	uint8_t label[64];
	size_t l = 0;

	for (const char *s = name;; s++) {
		if (*s == '\0' || *s == '.') {
			if (l) {
				uint8_t len = (uint8_t)l;

				msg_bytes(m, &len, 1);
				msg_bytes(m, label, l);
			}
			l = 0;
			if (*s == '\0')
				break;
			continue;
		}
		unsigned char c = (unsigned char)*s;

		if (*s == '\\' && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
		    isdigit((unsigned char)s[3])) {
			c = (unsigned char)((s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
			s += 3;
		} else if (*s == '\\' && s[1]) {
			c = (unsigned char)*++s;
		}
		if (l == 63) {
			fprintf(stderr, "worldmdns: a label of %s is longer than 63 bytes\n", name);
			exit(100);
		}
		label[l++] = c;
	}
	msg_bytes(m, "", 1);
}

static void msg_question(struct msg *m, const char *name, unsigned type)
{
	msg_name(m, name);
	msg_u16(m, type);
	msg_u16(m, 1);
	msg_count(m, 0);
}

/* A record in the answer section; rdata names are written uncompressed. */
struct record {
	char name[300];
	unsigned type, cls;
	uint32_t ttl;
	uint8_t rdata[300];
	size_t rdlen;
};

/* section: 1 answer, 3 additional */
static void msg_record(struct msg *m, const struct record *r, unsigned section)
{
	uint8_t ttl[4];

	msg_name(m, r->name);
	msg_u16(m, r->type);
	msg_u16(m, r->cls);
	put16(ttl, r->ttl >> 16);
	put16(ttl + 2, r->ttl & 0xffff);
	msg_bytes(m, ttl, 4);
	msg_u16(m, (unsigned)r->rdlen);
	msg_bytes(m, r->rdata, r->rdlen);
	msg_count(m, section);
}

static void rdata_name(struct record *r, const char *name)
{
	struct msg m;

	m.len = 0;
	msg_name(&m, name);
	if (r->rdlen + m.len > sizeof(r->rdata)) {
		fprintf(stderr, "worldmdns: %s is too long\n", name);
		exit(100);
	}
	memcpy(r->rdata + r->rdlen, m.buf, m.len);
	r->rdlen += m.len;
}

/* name in the form read_name prints it (escapes, case kept), so that
 * what a user typed compares with what came. */
static void canonical(char *name, size_t size)
{
	char text[NAME_TEXT];
	struct msg m;
	size_t off = 0;

	m.len = 0;
	msg_name(&m, name);
	if (read_name(m.buf, m.len, &off, text) < 0 || strlen(text) >= size) {
		fprintf(stderr, "worldmdns: bad name %s\n", name);
		exit(100);
	}
	strcpy(name, text);
}

/* [PREFIX.]NAME.local, NAME without its final dot and ".local" added
 * unless it ends so already. */
static void local_name(char *out, size_t size, const char *prefix, const char *name)
{
	size_t l = strlen(name);
	int has_local;

	if (l && name[l - 1] == '.')
		l--;
	has_local = (l == 5 && !strncasecmp(name, "local", 5)) ||
		    (l >= 6 && !strncasecmp(name + l - 6, ".local", 6));
	if ((size_t)snprintf(out, size, "%s%s%.*s%s", prefix, *prefix ? "." : "", (int)l, name,
			     has_local ? "" : ".local") >= size) {
		fprintf(stderr, "worldmdns: %s is too long\n", name);
		exit(100);
	}
}

static void strip_dot(char *out, size_t size, const char *name)
{
	size_t l = strlen(name);

	if (l > 1 && name[l - 1] == '.')
		l--;
	snprintf(out, size, "%.*s", (int)l, name);
}

/* --- the subcommands --- */

static int cmd_announce(int fd, char **argv, int argc)
{
	struct record rr[4];
	char host[300], instance[300], type[300], label[140], from[INET6_ADDRSTRLEN];
	struct in6_addr a6;
	struct in_addr a4;
	long port, seconds = 60;
	long long end, next;
	int sent = 0;
	struct msg m;
	uint8_t in[MAX_MSG];

	if (argc < 5 || argc > 6 || (port = parse_num(argv[4], 0, 65535)) < 0 ||
	    (argc == 6 && (seconds = parse_num(argv[5], 0, 86400)) < 0))
		return usage();
	local_name(host, sizeof(host), "", argv[0]);
	local_name(type, sizeof(type), "", argv[3]);
	/* INSTANCE is one label, as typed: its dots and backslashes escaped */
	for (size_t k = 0, o = 0;; k++) {
		if (o + 2 >= sizeof(label))
			return usage();
		if (argv[2][k] == '.' || argv[2][k] == '\\')
			label[o++] = '\\';
		if (!(label[o++] = argv[2][k]))
			break;
	}
	local_name(instance, sizeof(instance), label, argv[3]);
	canonical(host, sizeof(host));
	canonical(type, sizeof(type));
	canonical(instance, sizeof(instance));
	memset(rr, 0, sizeof(rr));
	/* PTR: shared, no cache-flush bit; the others are unique to us */
	snprintf(rr[0].name, sizeof(rr[0].name), "%s", type);
	rr[0].type = 12, rr[0].cls = 1, rr[0].ttl = 4500;
	rdata_name(&rr[0], instance);
	snprintf(rr[1].name, sizeof(rr[1].name), "%s", instance);
	rr[1].type = 33, rr[1].cls = 0x8001, rr[1].ttl = 120;
	put16(rr[1].rdata + 4, (unsigned)port);
	rr[1].rdlen = 6;
	rdata_name(&rr[1], host);
	snprintf(rr[2].name, sizeof(rr[2].name), "%s", instance);
	rr[2].type = 16, rr[2].cls = 0x8001, rr[2].ttl = 120, rr[2].rdlen = 1;
	snprintf(rr[3].name, sizeof(rr[3].name), "%s", host);
	rr[3].cls = 0x8001, rr[3].ttl = 120;
	if (inet_pton(AF_INET, argv[1], &a4) == 1) {
		rr[3].type = 1, rr[3].rdlen = 4;
		memcpy(rr[3].rdata, &a4, 4);
	} else if (inet_pton(AF_INET6, argv[1], &a6) == 1) {
		rr[3].type = 28, rr[3].rdlen = 16;
		memcpy(rr[3].rdata, &a6, 16);
	} else {
		return usage();
	}

	end = now_ms() + seconds * 1000;
	next = now_ms();
	for (;;) {
		long long t = now_ms(), until = end;
		struct out o;
		struct parsed p;
		ssize_t n;

		if (sent < 2 && t >= next) {
			msg_start(&m, 0x8400);
			for (int k = 0; k < 4; k++)
				msg_record(&m, &rr[k], 1);
			send_group(fd, m.buf, m.len);
			printf("announced %s\n", instance);
			sent++;
			next = t + 1000;
		}
		if (t >= end)
			break;
		if (sent < 2 && next < until)
			until = next;
		n = receive(fd, in, sizeof(in), (int)(until - t), from, sizeof(from));
		if (n < 0)
			continue;
		if (parse(in, (size_t)n, from, NULL, &o, &p) < 0) {
			printf("malformed from %s\n", from);
			continue;
		}
		if (p.response)
			continue;
		/* each question that names one of ours, answered in one response */
		unsigned want = 0;
		size_t off = 12;
		char qname[NAME_TEXT], tbuf[16];

		for (unsigned k = 0; k < p.questions; k++) {
			unsigned qtype, any = 0;

			read_name(in, (size_t)n, &off, qname);
			qtype = get16(in + off);
			off += 4;
			for (unsigned r = 0; r < 4; r++)
				if (!strcasecmp(qname, rr[r].name) && (qtype == 255 || qtype == rr[r].type))
					want |= 1u << r, any = 1;
			if (any)
				printf("answered %s %s from %s\n", qname, type_name(qtype, tbuf, sizeof(tbuf)), from);
		}
		if (!want)
			continue;
		/* RFC 6763 12: with the PTR its SRV, TXT and address; with
		 * the SRV its address (additional, when not answers already) */
		unsigned extra = ((want & 1) ? 0xe : 0) | ((want & 2) ? 0x8 : 0);

		extra &= ~want;
		msg_start(&m, 0x8400);
		for (unsigned r = 0; r < 4; r++)
			if (want & (1u << r))
				msg_record(&m, &rr[r], 1);
		for (unsigned r = 0; r < 4; r++)
			if (extra & (1u << r))
				msg_record(&m, &rr[r], 3);
		send_group(fd, m.buf, m.len);
	}
	return 0;
}

static int cmd_query(int fd, char **argv, int argc)
{
	char want[300], from[INET6_ADDRSTRLEN];
	long type, timeout = 3000;
	long long end;
	int matched = 0;
	struct msg m;
	uint8_t in[MAX_MSG];
	static struct out o;

	if (argc < 2 || argc > 3 || (type = parse_type(argv[1])) < 0 ||
	    (argc == 3 && (timeout = parse_num(argv[2], 0, 3600000)) < 0))
		return usage();
	strip_dot(want, sizeof(want), argv[0]);
	canonical(want, sizeof(want));
	msg_start(&m, 0);
	msg_question(&m, want, (unsigned)type);
	send_group(fd, m.buf, m.len);
	end = now_ms() + timeout;
	for (long long t; (t = now_ms()) < end;) {
		struct parsed p;
		ssize_t n = receive(fd, in, sizeof(in), (int)(end - t), from, sizeof(from));

		if (n < 0)
			continue;
		if (parse(in, (size_t)n, from, want, &o, &p) < 0) {
			printf("malformed from %s\n", from);
			continue;
		}
		if (!p.response)
			continue;	/* ours, looped back, or another querier's */
		fputs(o.buf, stdout);
		matched |= p.matched;
	}
	return matched ? 0 : 1;
}

static int cmd_listen(int fd, char **argv, int argc)
{
	char from[INET6_ADDRSTRLEN];
	long seconds;
	long long end;
	unsigned long messages = 0;
	uint8_t in[MAX_MSG];
	static struct out o;

	if (argc != 1 || (seconds = parse_num(argv[0], 0, 86400)) < 0)
		return usage();
	end = now_ms() + seconds * 1000;
	for (long long t; (t = now_ms()) < end;) {
		struct parsed p;
		ssize_t n = receive(fd, in, sizeof(in), (int)(end - t), from, sizeof(from));

		if (n < 0)
			continue;
		messages++;
		if (parse(in, (size_t)n, from, NULL, &o, &p) < 0)
			printf("malformed from %s\n", from);
		else
			fputs(o.buf, stdout);
	}
	printf("messages %lu\n", messages);
	return 0;
}

static int cmd_flood(int fd, char **argv, int argc)
{
	long count;
	long long start;
	struct msg m;

	if (argc != 1 || (count = parse_num(argv[0], 0, 10000000)) < 0)
		return usage();
	start = now_ms();
	for (long k = 0; k < count; k++) {
		struct record r = { .type = 1, .cls = 0x8001, .ttl = 120, .rdlen = 4 };

		snprintf(r.name, sizeof(r.name), "flood-%ld.local", k);
		inet_pton(AF_INET, "192.168.50.1", r.rdata);
		msg_start(&m, 0x8400);
		msg_record(&m, &r, 1);
		send_group(fd, m.buf, m.len);
	}
	printf("sent %ld in %lld ms\n", count, now_ms() - start);
	return 0;
}

static int cmd_echo(int fd, char **argv, int argc)
{
	char from[INET6_ADDRSTRLEN];
	long seconds;
	long long end;
	unsigned long echoed = 0;
	uint8_t in[MAX_MSG];

	if (argc != 1 || (seconds = parse_num(argv[0], 0, 86400)) < 0)
		return usage();
	end = now_ms() + seconds * 1000;
	for (long long t; (t = now_ms()) < end;) {
		ssize_t n = receive(fd, in, sizeof(in), (int)(end - t), from, sizeof(from));

		if (n < 0)
			continue;
		send_group(fd, in, (size_t)n);
		echoed++;
	}
	printf("echoed %lu\n", echoed);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int fd, char **argv, int argc);
	} cmds[] = {
		{ "announce", cmd_announce }, { "query", cmd_query }, { "listen", cmd_listen },
		{ "flood", cmd_flood }, { "echo", cmd_echo },
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	argv++, argc--;
	if (argc && !strcmp(argv[0], "-6"))
		v6 = 1, argv++, argc--;
	if (argc < 2)
		return usage();
	for (size_t k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++) {
		if (strcmp(argv[0], cmds[k].name))
			continue;
		ifindex = if_nametoindex(argv[1]);
		if (!ifindex)
			die(argv[1]);
		/* echo must not hear itself: it would echo its own echoes */
		return cmds[k].run(open_socket(argv[1], k != 4), argv + 2, argc - 2);
	}
	return usage();
}
