#include "relays.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "ipv4.h"

#define USAGE "expected 'UDP4-RECV:PORT[,broadcast,reuseaddr] UDP4:ADDRESS:PORT', e.g. " \
	"'UDP4-RECV:11223,broadcast,reuseaddr UDP4:10.0.0.2:11223'"

static const char *const receive_types[] = { "UDP4-RECV", "UDP4-RECVFROM", "UDP-RECV", "UDP-RECVFROM" };
static const char *const send_types[] = { "UDP4", "UDP4-SENDTO", "UDP4-DATAGRAM", "UDP", "UDP-SENDTO",
					  "UDP-DATAGRAM" };
static const char *const receive_options[] = { "broadcast", "reuseaddr", "fork" };
static const char *const send_options[] = { "broadcast" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int one_of(const char *w, const char *const *names, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!strcasecmp(w, names[k]))
			return 1;
	return 0;
}

/* "TYPE:REST": the type checked against names, REST returned. */
static char *address_type(struct conf_reader *r, char *word, const char *const *names, size_t n,
			  const char *what)
{
	char *colon = strchr(word, ':');
	const char *hint;

	if (colon)
		*colon = '\0';
	if (colon && one_of(word, names, n))
		return colon + 1;
	hint = conf_suggest(word, names, n);
	conf_error(r, "%s '%s' is not supported%s%s%s: %s", what, word, hint ? " (did you mean '" : "",
		   hint ? hint : "", hint ? "'?)" : "", USAGE);
	return NULL;
}

/* The options after the first ',' of s, each one of names; s is cut there. */
static int check_options(struct conf_reader *r, char *s, const char *const *names, size_t n,
			 const char *what)
{
	char *opt = strchr(s, ','), *next;

	if (!opt)
		return 0;
	*opt++ = '\0';
	for (; opt; opt = next) {
		next = strchr(opt, ',');
		if (next)
			*next++ = '\0';
		if (!one_of(opt, names, n)) {
			conf_error(r, "%s option '%s' is not supported: the guest understands %s%s%s%s%s", what,
				   opt, names[0], n > 1 ? ", " : "", n > 1 ? names[1] : "",
				   n > 2 ? " and " : "", n > 2 ? names[2] : "");
			return -1;
		}
	}
	return 0;
}

static int port_of(struct conf_reader *r, const char *s, uint16_t *out, const char *what)
{
	unsigned p;

	if (parse_port(s, &p) < 0) {
		conf_error(r, "%s '%s' is not a port: expected a number from 1 to 65535", what, s);
		return -1;
	}
	*out = (uint16_t)p;
	return 0;
}

static int parse_receive(struct conf_reader *r, char *word, struct relay_rule *rule)
{
	char *rest = address_type(r, word, receive_types, N(receive_types), "receiving address");

	if (!rest || check_options(r, rest, receive_options, N(receive_options), "receiving") < 0)
		return -1;
	return port_of(r, rest, &rule->port, "receiving port");
}

static int parse_send(struct conf_reader *r, char *word, struct relay_rule *rule)
{
	char *rest = address_type(r, word, send_types, N(send_types), "sending address"), *colon;

	if (!rest || check_options(r, rest, send_options, N(send_options), "sending") < 0)
		return -1;
	colon = strchr(rest, ':');
	if (!colon) {
		conf_error(r, "'%s': expected ADDRESS:PORT, e.g. 10.0.0.2:11223", rest);
		return -1;
	}
	*colon = '\0';
	if (parse_ipv4(rest, &rule->to) < 0) {
		conf_error(r, "'%s' is not an IPv4 address: expected e.g. 10.0.0.2", rest);
		return -1;
	}
	return port_of(r, colon + 1, &rule->to_port, "sending port");
}

static int seen_port(const struct relay_list *out, uint16_t port, unsigned *line)
{
	for (size_t k = 0; k < out->n; k++)
		if (out->r[k].port == port) {
			*line = out->r[k].line;
			return 1;
		}
	return 0;
}

static int parse_line(struct conf_reader *r, char *line, const struct relay_list *out,
		      struct relay_rule *rule)
{
	char *w[3];
	unsigned first;

	memset(rule, 0, sizeof(*rule));
	rule->line = r->line;
	if (conf_split(line, w, 3) != 2) {
		conf_error(r, "expected two socat addresses, receiving then sending: " USAGE);
		return -1;
	}
	if (parse_receive(r, w[0], rule) < 0 || parse_send(r, w[1], rule) < 0)
		return -1;
	if (seen_port(out, rule->port, &first)) {
		conf_error(r, "port %u is received already (line %u): one line per port", rule->port, first);
		return -1;
	}
	return 0;
}

unsigned relays_parse(struct conf_reader *r, struct relay_list *out)
{
	unsigned skipped = 0;
	struct relay_rule rule;
	char *line;

	memset(out, 0, sizeof(*out));
	while ((line = conf_next(r))) {
		if (parse_line(r, line, out, &rule) < 0) {
			skipped++;
			continue;
		}
		if (out->n == RELAYS_MAX) {
			conf_error(r, "more than %d relays: this line and the ones after it are skipped",
				   RELAYS_MAX);
			skipped++;
			continue;
		}
		out->r[out->n++] = rule;
	}
	return skipped;
}

int relays_load(const char *path, struct relay_list *out)
{
	struct conf_reader r;
	unsigned skipped;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = conf_open(&r, path);
	if (rc < 0)
		return rc;
	skipped = relays_parse(&r, out);
	conf_close(&r);
	return (int)skipped;
}
