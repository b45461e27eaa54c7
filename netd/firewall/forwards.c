#include "forwards.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "ipv4.h"

#define USAGE "expected 'PROTOCOL PORT[-LAST] -> ADDRESS[:PORT[-LAST]]', e.g. 'tcp 2222 -> 10.0.0.2:22' " \
	"or 'tcp 2222 -> [fd00::2]:22'"

struct range {
	unsigned lo, hi;
};

/* One line, parsed; protos holds one or two entries (tcp+udp). */
struct entry {
	uint8_t protos[2];
	int n_protos;
	struct range outside, inside;
	struct in_addr addr;
	struct in6_addr addr6;
	int ipv6;
};

static const char *const proto_names[] = { "tcp", "udp", "tcp+udp" };

static int parse_proto(struct conf_reader *r, const char *word, struct entry *e)
{
	const char *hint;

	if (!strcasecmp(word, "tcp") || !strcasecmp(word, "udp")) {
		e->protos[0] = !strcasecmp(word, "tcp") ? IPPROTO_TCP : IPPROTO_UDP;
		e->n_protos = 1;
		return 0;
	}
	if (!strcasecmp(word, "tcp+udp") || !strcasecmp(word, "udp+tcp")) {
		e->protos[0] = IPPROTO_TCP;
		e->protos[1] = IPPROTO_UDP;
		e->n_protos = 2;
		return 0;
	}
	hint = conf_suggest(word, proto_names, sizeof(proto_names) / sizeof(proto_names[0]));
	conf_error(r, "'%s' is not a protocol: expected tcp, udp or tcp+udp%s%s%s", word,
		   hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
	return -1;
}

/* The port at the start of s (lib's parse_port on its digits); *end is
 * where the digits stopped. */
static int port_at(struct conf_reader *r, const char *s, const char **end, unsigned *port,
		   const char *what)
{
	char digits[8];
	size_t n = strspn(s, "0123456789");

	if (n < sizeof(digits)) {
		memcpy(digits, s, n);
		digits[n] = '\0';
	}
	if (n >= sizeof(digits) || parse_port(digits, port) < 0) {
		conf_error(r, "%s: '%s' is not a port: expected a number from 1 to 65535", what, s);
		return -1;
	}
	*end = s + n;
	return 0;
}

/* "P" or "P-Q", the whole word. */
static int parse_range(struct conf_reader *r, const char *s, struct range *out, const char *what)
{
	const char *end;

	if (port_at(r, s, &end, &out->lo, what) < 0)
		return -1;
	out->hi = out->lo;
	if (*end == '-' && port_at(r, end + 1, &end, &out->hi, what) < 0)
		return -1;
	if (*end) {
		conf_error(r, "%s: '%s' is not a port or range: expected PORT or FIRST-LAST", what, s);
		return -1;
	}
	if (out->hi < out->lo) {
		conf_error(r, "%s: range %u-%u runs backwards: expected FIRST-LAST with FIRST <= LAST",
			   what, out->lo, out->hi);
		return -1;
	}
	return 0;
}

static int check_addr(struct conf_reader *r, const struct fwd_env *env, struct in_addr a,
		      const char *text)
{
	uint32_t ip = ntohl(a.s_addr), net = ntohl(env->net.s_addr), mask = ntohl(env->mask.s_addr);
	char net_text[INET_ADDRSTRLEN];
	int prefix = __builtin_popcount(mask);

	inet_ntop(AF_INET, &env->net, net_text, sizeof(net_text));
	if ((ip & mask) != (net & mask)) {
		conf_error(r, "%s is outside the host network %s/%d: forwards go to hosts on it",
			   text, net_text, prefix);
		return -1;
	}
	if (mask != 0xffffffffu && ((ip & ~mask) == 0 || (ip & ~mask) == ~mask)) {
		conf_error(r, "%s is the network or broadcast address of %s/%d, not a host",
			   text, net_text, prefix);
		return -1;
	}
	if (a.s_addr == env->self.s_addr) {
		conf_error(r, "%s is the guest itself: its own services are never forwarded", text);
		return -1;
	}
	return 0;
}

/* a's first prefix bits, the rest zero */
static struct in6_addr prefix_of6(const struct in6_addr *a, unsigned prefix)
{
	struct in6_addr net = IN6ADDR_ANY_INIT;

	for (unsigned i = 0; i < 16 && prefix; i++) {
		unsigned bits = prefix > 8 ? 8 : prefix;

		net.s6_addr[i] = a->s6_addr[i] & (uint8_t)(0xff00u >> bits);
		prefix -= bits;
	}
	return net;
}

static int check_addr6(struct conf_reader *r, const struct fwd_env *env, const struct in6_addr *a,
		       const char *text)
{
	struct in6_addr net, mine;
	char net_text[INET6_ADDRSTRLEN];

	if (!env->prefix6) {
		conf_error(r, "%s: IPv6 is off in this guest: the forward cannot apply", text);
		return -1;
	}
	net = prefix_of6(&env->self6, env->prefix6);
	mine = prefix_of6(a, env->prefix6);
	inet_ntop(AF_INET6, &net, net_text, sizeof(net_text));
	if (memcmp(&mine, &net, sizeof(net))) {
		conf_error(r, "%s is outside the host network %s/%u: forwards go to hosts on it",
			   text, net_text, env->prefix6);
		return -1;
	}
	if (!memcmp(a, &net, sizeof(net))) {
		conf_error(r, "%s is the prefix %s/%u itself, not a host", text, net_text, env->prefix6);
		return -1;
	}
	if (!memcmp(a, &env->self6, sizeof(*a))) {
		conf_error(r, "%s is the guest itself: its own services are never forwarded", text);
		return -1;
	}
	return 0;
}

/* Splits the destination into its address and what follows it (after a
 * ':' or NULL): "[ADDR6]:PORT", "[ADDR6]", "ADDR6" or "ADDR4[:PORT]". */
static int split_dest(struct conf_reader *r, char *s, char **ports, struct entry *e)
{
	char *end;

	*ports = NULL;
	if (*s == '[') {
		end = strchr(s, ']');
		if (!end || (end[1] && end[1] != ':')) {
			conf_error(r, "'%s': expected [IPV6-ADDRESS] or [IPV6-ADDRESS]:PORT", s);
			return -1;
		}
		*end = '\0';
		*ports = end[1] ? end + 2 : NULL;
		e->ipv6 = 1;
		memmove(s, s + 1, strlen(s));
		return 0;
	}
	end = strchr(s, ':');
	if (end && strchr(end + 1, ':')) {
		e->ipv6 = 1;	/* a bare IPv6 address, no port */
		return 0;
	}
	if (end) {
		*end = '\0';
		*ports = end + 1;
	}
	return 0;
}

static int parse_addr(struct conf_reader *r, const struct fwd_env *env, const char *s, struct entry *e)
{
	if (e->ipv6) {
		if (inet_pton(AF_INET6, s, &e->addr6) != 1) {
			conf_error(r, "'%s' is not an IPv6 address: expected e.g. [fd00::2]:22", s);
			return -1;
		}
		return check_addr6(r, env, &e->addr6, s);
	}
	if (inet_pton(AF_INET, s, &e->addr) != 1) {
		conf_error(r, "'%s' is not an IPv4 address: expected e.g. 10.0.0.2", s);
		return -1;
	}
	return check_addr(r, env, e->addr, s);
}

/* "ADDRESS", "ADDRESS:PORT" or "ADDRESS:FIRST-LAST"; IPv6 in brackets. */
static int parse_dest(struct conf_reader *r, const struct fwd_env *env, char *s, struct entry *e)
{
	char *colon;

	if (split_dest(r, s, &colon, e) < 0 || parse_addr(r, env, s, e) < 0)
		return -1;
	if (!colon) {
		e->inside = e->outside;
		return 0;
	}
	if (parse_range(r, colon, &e->inside, "inside port") < 0)
		return -1;
	if (e->inside.lo == e->inside.hi)
		e->inside.hi = e->inside.lo + (e->outside.hi - e->outside.lo);
	if (e->inside.hi - e->inside.lo != e->outside.hi - e->outside.lo) {
		conf_error(r, "outside ports %u-%u and inside ports %u-%u differ in length: "
			   "a range maps one to one", e->outside.lo, e->outside.hi,
			   e->inside.lo, e->inside.hi);
		return -1;
	}
	if (e->inside.hi > 65535) {
		conf_error(r, "inside ports from %u for %u ports run past 65535",
			   e->inside.lo, e->outside.hi - e->outside.lo + 1);
		return -1;
	}
	return 0;
}

/* Splits "LEFT -> RIGHT" (blanks around the arrow optional). */
static int split_arrow(struct conf_reader *r, char *line, char **left, char **right)
{
	char *arrow = strstr(line, "->");

	if (!arrow) {
		conf_error(r, "no '->' in '%s': " USAGE, line);
		return -1;
	}
	*arrow = '\0';
	*left = line;
	*right = arrow + 2;
	return 0;
}

static int parse_line(struct conf_reader *r, const struct fwd_env *env, char *line, struct entry *e)
{
	char *left, *right, *words[3], *dest[2];

	memset(e, 0, sizeof(*e));
	if (split_arrow(r, line, &left, &right) < 0)
		return -1;
	if (conf_split(left, words, 3) != 2) {
		conf_error(r, "before '->': expected a protocol and a port, e.g. 'tcp 2222'");
		return -1;
	}
	if (parse_proto(r, words[0], e) < 0 || parse_range(r, words[1], &e->outside, "outside port") < 0)
		return -1;
	switch (conf_split(right, dest, 2)) {
	case 1:
		break;
	case 0:
		conf_error(r, "nothing after '->': expected an address, e.g. '10.0.0.2:22'");
		return -1;
	default:
		conf_error(r, "unexpected '%s' after the address: " USAGE, dest[1]);
		return -1;
	}
	return parse_dest(r, env, dest[0], e);
}

static const char *proto_text(uint8_t proto)
{
	return proto == IPPROTO_TCP ? "tcp" : "udp";
}

/* The guest's DHCP client listens on udp 68 of the uplink: a forward would
 * take its replies away. */
static int check_reserved(struct conf_reader *r, const struct entry *e)
{
	int i;

	for (i = 0; i < e->n_protos; i++) {
		if (e->protos[i] == IPPROTO_UDP && e->outside.lo <= 68 && e->outside.hi >= 68) {
			conf_error(r, "udp port 68 is the guest's own DHCP client on the uplink: "
				   "it cannot be forwarded");
			return -1;
		}
	}
	return 0;
}

/* "22" or "2200-2300". */
static const char *range_text(unsigned lo, unsigned hi, char *buf, size_t size)
{
	if (lo == hi)
		snprintf(buf, size, "%u", lo);
	else
		snprintf(buf, size, "%u-%u", lo, hi);
	return buf;
}

static int check_overlap(struct conf_reader *r, const struct entry *e, const struct fwd_list *out)
{
	char mine[16], theirs[16];
	size_t i;
	int p;

	for (i = 0; i < out->n; i++) {
		const struct fw_forward *f = &out->items[i];

		for (p = 0; p < e->n_protos; p++) {
			if (f->proto != e->protos[p] || !f->ipv6 != !e->ipv6 || e->outside.hi < f->outside_lo ||
			    e->outside.lo > f->outside_hi)
				continue;
			conf_error(r, "%s %s %s line %u (%s %s): only the first one applies",
				   proto_text(e->protos[p]),
				   range_text(e->outside.lo, e->outside.hi, mine, sizeof(mine)),
				   e->outside.lo == f->outside_lo && e->outside.hi == f->outside_hi
					   ? "repeats" : "overlaps", out->line[i], proto_text(f->proto),
				   range_text(f->outside_lo, f->outside_hi, theirs, sizeof(theirs)));
			return -1;
		}
	}
	return 0;
}

static int add_entry(struct conf_reader *r, const struct entry *e, struct fwd_list *out)
{
	int p;

	if (out->n + (size_t)e->n_protos > FW_MAX_FORWARDS) {
		conf_error(r, "more than %d forwards: this line and the ones after it are ignored",
			   FW_MAX_FORWARDS);
		return -1;
	}
	for (p = 0; p < e->n_protos; p++) {
		struct fw_forward *f = &out->items[out->n];

		f->proto = e->protos[p];
		f->outside_lo = (uint16_t)e->outside.lo;
		f->outside_hi = (uint16_t)e->outside.hi;
		f->inside_addr = e->addr;
		f->inside_addr6 = e->addr6;
		f->ipv6 = (uint8_t)e->ipv6;
		f->inside_port = (uint16_t)e->inside.lo;
		out->line[out->n++] = r->line;
	}
	return 0;
}

unsigned fwd_parse(struct conf_reader *r, const struct fwd_env *env, struct fwd_list *out)
{
	struct entry e;
	char *line;

	out->n = 0;
	while ((line = conf_next(r))) {
		if (parse_line(r, env, line, &e) < 0 || check_reserved(r, &e) < 0 ||
		    check_overlap(r, &e, out) < 0)
			continue;
		if (add_entry(r, &e, out) < 0)
			break;
	}
	return r->errors;
}

int fwd_load(const char *path, const struct fwd_env *env, struct fwd_list *out)
{
	struct conf_reader r;
	int rc = conf_open(&r, path);

	out->n = 0;
	if (rc < 0)
		return rc;
	rc = (int)fwd_parse(&r, env, out);
	conf_close(&r);
	return rc;
}
