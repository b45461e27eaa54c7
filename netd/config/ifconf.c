#include "ifconf.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define MAX_WORDS 8

/* ---- values ---------------------------------------------------------- */

/* Splits "addr/nn" at the slash into buf; returns the prefix part or NULL. */
static const char *split_cidr(const char *s, char *buf, size_t size)
{
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);

	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return slash ? slash + 1 : NULL;
}

/* The outputs are written only on success. */
int parse_ipv4_cidr(const char *s, struct in_addr *addr, uint8_t *prefix, uint8_t *has_prefix)
{
	char buf[INET_ADDRSTRLEN];
	const char *p = split_cidr(s, buf, sizeof(buf));
	struct in_addr a;
	uint8_t len = 0;

	if (strlen(s) > INET_ADDRSTRLEN + 3 || parse_ipv4(buf, &a) < 0)
		return -1;
	if (p && parse_prefix_len(p, 32, &len) < 0)
		return -1;
	*addr = a;
	*has_prefix = p != NULL;
	if (p)
		*prefix = len;
	return 0;
}

int parse_ipv6_cidr(const char *s, struct in6_addr *addr, uint8_t *prefix, uint8_t *has_prefix)
{
	char buf[INET6_ADDRSTRLEN];
	const char *p = split_cidr(s, buf, sizeof(buf));
	struct in6_addr a;
	uint8_t len = 0;

	if (strlen(s) > INET6_ADDRSTRLEN + 4 || inet_pton(AF_INET6, buf, &a) != 1)
		return -1;
	if (p && parse_prefix_len(p, 128, &len) < 0)
		return -1;
	*addr = a;
	*has_prefix = p != NULL;
	if (p)
		*prefix = len;
	return 0;
}

int valid_ifname(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len >= IF_NAMESIZE || !strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || (unsigned char)*s <= ' ' || (unsigned char)*s >= 127)
			return 0;
	return 1;
}

/* ---- the parse tables ------------------------------------------------- */

enum opt_type {
	OPT_ADDR4,
	OPT_NETMASK4,
	OPT_GATEWAY4,
	OPT_DNS4,
	OPT_MDNS,
	OPT_BRIDGE,
	OPT_ADDR6,
	OPT_NETMASK6,
	OPT_GATEWAY6,
	OPT_DNS6,
	OPT_DERIVED,		/* accepted: netd computes it itself */
	OPT_UNSUPPORTED,	/* understood, not done: a warning */
};

struct opt_def {
	const char *name;
	enum opt_type type;
};

static const struct opt_def inet_opts[] = {
	{ "address", OPT_ADDR4 },
	{ "netmask", OPT_NETMASK4 },
	{ "gateway", OPT_GATEWAY4 },
	{ "dns-nameservers", OPT_DNS4 },
	{ "mdns-reflector", OPT_MDNS },
	{ "bridge-uplink", OPT_BRIDGE },
	{ "broadcast", OPT_DERIVED },
	{ "network", OPT_DERIVED },
};

static const struct opt_def inet6_opts[] = {
	{ "address", OPT_ADDR6 },
	{ "netmask", OPT_NETMASK6 },
	{ "gateway", OPT_GATEWAY6 },
	{ "dns-nameservers", OPT_DNS6 },
};

/* Options of other ifupdown flavours: known, but netd does not do them. */
static const char *const unsupported_opts[] = {
	"hostname", "mtu", "metric", "hwaddress", "pre-up", "up", "post-up",
	"down", "pre-down", "post-down", "wpa-conf", "wpa-driver",
	"wireless-mode", "wireless-power", "udhcpc_opts", "scope",
	"pointopoint", "media", "accept_ra", "autoconf", "privext",
	"dns-search", "dns-domain", "dhcp", "use", "requires",
};

static const char *const methods[] = {
	[IFC_UNSET] = "", [IFC_LOOPBACK] = "loopback", [IFC_STATIC] = "static",
	[IFC_DHCP] = "dhcp", [IFC_MANUAL] = "manual",
};

static const char *const keywords[] = {
	"iface", "auto", "allow-hotplug", "allow-auto", "source",
	"source-directory", "mapping",
};

static const char *const families[] = { "inet", "inet6" };

const char *ifc_method_name(enum ifc_method m)
{
	return methods[m];
}

/* ---- the parser -------------------------------------------------------- */

struct parser {
	struct conf_reader *r;
	struct ifc_conf *c;
	struct ifc_inet *inet;		/* the open stanza, one of these two */
	struct ifc_inet6 *inet6;
	int skipping;			/* after a bad stanza line */
};

static void suggest_error(struct conf_reader *r, const char *what, const char *word,
			  const char *const *names, size_t n, const char *expected)
{
	const char *s = conf_suggest(word, names, n);

	if (s)
		conf_error(r, "'%s' is not a known %s (did you mean '%s'?)", word, what, s);
	else
		conf_error(r, "'%s' is not a known %s (expected %s)", word, what, expected);
}

static struct ifc_iface *iface_get(struct parser *p, const char *name)
{
	struct ifc_iface *i;
	unsigned k;

	for (k = 0; k < p->c->n; k++)
		if (!strcmp(p->c->iface[k].name, name))
			return &p->c->iface[k];
	if (p->c->n == IFC_MAX_IFACES) {
		conf_error(p->r, "too many interfaces (at most %d): 'iface %s' ignored",
			   IFC_MAX_IFACES, name);
		return NULL;
	}
	i = &p->c->iface[p->c->n++];
	memset(i, 0, sizeof(*i));
	strcpy(i->name, name);
	return i;
}

static int method_of(const char *w)
{
	for (size_t k = 1; k < sizeof(methods) / sizeof(methods[0]); k++)
		if (!strcmp(w, methods[k]))
			return (int)k;
	return -1;
}

/* "iface NAME [inet|inet6] METHOD" */
static void parse_iface(struct parser *p, char **w, int n)
{
	const char *fam = "inet", *meth;
	struct ifc_iface *i;
	int m, inet6;
	unsigned *line;

	p->inet = NULL;
	p->inet6 = NULL;
	p->skipping = 1;
	if (n < 3 || n > 4) {
		conf_error(p->r, "expected 'iface NAME inet|inet6 static|dhcp|loopback|manual'");
		return;
	}
	if (!valid_ifname(w[1])) {
		conf_error(p->r, "'%s' is not a valid interface name (1 to %d characters, no '/' or blanks)",
			   w[1], IF_NAMESIZE - 1);
		return;
	}
	if (n == 4)
		fam = w[2];
	meth = w[n - 1];
	if (strcmp(fam, "inet") && strcmp(fam, "inet6")) {
		suggest_error(p->r, "address family", fam, families, 2, "inet or inet6");
		return;
	}
	m = method_of(meth);
	if (m < 0) {
		suggest_error(p->r, "method", meth, methods + 1, 4, "static, dhcp, loopback or manual");
		return;
	}
	inet6 = !strcmp(fam, "inet6");
	if (inet6 && m == IFC_DHCP) {
		conf_error(p->r, "'iface %s inet6 dhcp' is not supported (expected static; the uplink uses SLAAC)", w[1]);
		return;
	}
	i = iface_get(p, w[1]);
	if (!i)
		return;
	line = inet6 ? &i->inet6.line : &i->inet.line;
	if (*line) {
		conf_error(p->r, "a second 'iface %s %s' stanza (the first is at line %u): ignored",
			   w[1], fam, *line);
		return;
	}
	*line = p->r->line;
	if (inet6) {
		i->inet6.method = (enum ifc_method)m;
		p->inet6 = &i->inet6;
	} else {
		i->inet.method = (enum ifc_method)m;
		p->inet = &i->inet;
	}
	p->skipping = 0;
}

static void bad_value(struct parser *p, const char *opt, const char *v, const char *expected)
{
	conf_error(p->r, "%s '%s' is not %s", opt, v, expected);
}

static void apply_yes_no(struct parser *p, const char *opt, const char *v, uint8_t *out, unsigned *line)
{
	if (!strcmp(v, "yes") || !strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "off"))
		*out = 0;
	else {
		bad_value(p, opt, v, "yes or no");
		return;
	}
	*line = p->r->line;
}

static void apply_inet(struct parser *p, enum opt_type t, const char *opt, char **v, int n)
{
	struct ifc_inet *in = p->inet;
	uint8_t had_prefix;
	int k;

	switch (t) {
	case OPT_ADDR4:
		if (parse_ipv4_cidr(v[0], &in->addr, &in->prefix, &had_prefix) < 0) {
			bad_value(p, opt, v[0], "an IPv4 address (expected e.g. 10.0.0.1 or 10.0.0.1/24)");
			return;
		}
		in->has_prefix |= had_prefix;
		in->has_addr = 1;
		return;
	case OPT_NETMASK4:
		if (parse_netmask(v[0], &in->prefix) < 0)
			bad_value(p, opt, v[0], "a netmask (expected e.g. 255.255.255.0 or 24)");
		else
			in->has_prefix = 1;
		return;
	case OPT_GATEWAY4: {
		struct in_addr gw;

		if (parse_ipv4(v[0], &gw) < 0) {
			bad_value(p, opt, v[0], "an IPv4 address (expected e.g. 10.0.0.1)");
			return;
		}
		in->gateway = gw;
		in->has_gateway = 1;
		return;
	}
	case OPT_DNS4:
		for (k = 0; k < n; k++) {
			if (in->n_dns == IFC_MAX_DNS) {
				conf_error(p->r, "more than %d DNS servers: '%s' and after ignored",
					   IFC_MAX_DNS, v[k]);
				return;
			}
			if (parse_ipv4(v[k], &in->dns[in->n_dns]) < 0)
				bad_value(p, opt, v[k], "an IPv4 address");
			else
				in->n_dns++;	/* a failed parse left the slot free */
		}
		return;
	case OPT_MDNS:
		apply_yes_no(p, opt, v[0], &in->mdns_reflector, &in->mdns_line);
		return;
	case OPT_BRIDGE:
		apply_yes_no(p, opt, v[0], &in->bridge_uplink, &in->bridge_line);
		return;
	case OPT_ADDR6:
	case OPT_NETMASK6:
	case OPT_GATEWAY6:
	case OPT_DNS6:
	case OPT_DERIVED:
	case OPT_UNSUPPORTED:
		return;
	}
}

static void apply_dns6(struct parser *p, const char *opt, char **v, int n)
{
	struct ifc_inet6 *in = p->inet6;

	for (int k = 0; k < n; k++) {
		if (in->n_dns == IFC_MAX_DNS) {
			conf_error(p->r, "more than %d DNS servers: '%s' and after ignored", IFC_MAX_DNS, v[k]);
			return;
		}
		if (inet_pton(AF_INET6, v[k], &in->dns[in->n_dns]) != 1)
			bad_value(p, opt, v[k], "an IPv6 address (expected e.g. 2001:4860:4860::8888)");
		else
			in->n_dns++;
	}
}

static void apply_inet6(struct parser *p, enum opt_type t, const char *opt, char **v, int n)
{
	struct ifc_inet6 *in = p->inet6;
	uint8_t had_prefix;

	switch (t) {
	case OPT_ADDR6:
		if (parse_ipv6_cidr(v[0], &in->addr, &in->prefix, &had_prefix) < 0) {
			bad_value(p, opt, v[0], "an IPv6 address (expected e.g. fd00::ffff/64)");
			return;
		}
		in->has_prefix |= had_prefix;
		in->has_addr = 1;
		return;
	case OPT_NETMASK6:
		if (parse_prefix_len(v[0], 128, &in->prefix) < 0)
			bad_value(p, opt, v[0], "a prefix length (expected 0 to 128)");
		else
			in->has_prefix = 1;
		return;
	case OPT_GATEWAY6: {
		struct in6_addr gw;

		if (inet_pton(AF_INET6, v[0], &gw) != 1) {
			bad_value(p, opt, v[0], "an IPv6 address");
			return;
		}
		in->gateway = gw;
		in->has_gateway = 1;
		return;
	}
	case OPT_DNS6:
		apply_dns6(p, opt, v, n);
		return;
	case OPT_ADDR4:
	case OPT_NETMASK4:
	case OPT_GATEWAY4:
	case OPT_DNS4:
	case OPT_MDNS:
	case OPT_BRIDGE:
	case OPT_DERIVED:
	case OPT_UNSUPPORTED:
		return;
	}
}

static const struct opt_def *find_opt(const struct opt_def *t, size_t n, const char *name)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(t[k].name, name))
			return &t[k];
	return NULL;
}

static int is_unsupported(const char *name)
{
	for (size_t k = 0; k < sizeof(unsupported_opts) / sizeof(unsupported_opts[0]); k++)
		if (!strcmp(unsupported_opts[k], name))
			return 1;
	return 0;
}

static void unknown_option(struct parser *p, const char *name, const struct opt_def *t, size_t n)
{
	const char *names[8];
	size_t k;

	for (k = 0; k < n && k < 8; k++)
		names[k] = t[k].name;
	suggest_error(p->r, "option", name, names, k, "address, netmask, gateway or dns-nameservers");
}

static void parse_option(struct parser *p, char **w, int n)
{
	const struct opt_def *t = p->inet ? inet_opts : inet6_opts;
	size_t tn = p->inet ? sizeof(inet_opts) / sizeof(inet_opts[0])
			    : sizeof(inet6_opts) / sizeof(inet6_opts[0]);
	const struct opt_def *o = find_opt(t, tn, w[0]);

	if (!o) {
		if (is_unsupported(w[0]))
			log_warn("%s:%u: '%s' is not supported by netd: ignored",
				 p->r->path, p->r->line, w[0]);
		else
			unknown_option(p, w[0], t, tn);
		return;
	}
	if (o->type == OPT_DERIVED)
		return;
	if (n < 2) {
		conf_error(p->r, "'%s' needs a value", w[0]);
		return;
	}
	if (n > 2 && o->type != OPT_DNS4 && o->type != OPT_DNS6) {
		conf_error(p->r, "'%s' takes one value, not %d", w[0], n - 1);
		return;
	}
	if (p->inet)
		apply_inet(p, o->type, w[0], w + 1, n - 1);
	else
		apply_inet6(p, o->type, w[0], w + 1, n - 1);
}

static void parse_line(struct parser *p, char *line)
{
	char *w[MAX_WORDS];
	int n = conf_split(line, w, MAX_WORDS);

	if (!strcmp(w[0], "iface")) {
		parse_iface(p, w, n);
		return;
	}
	if (!strcmp(w[0], "auto") || !strncmp(w[0], "allow-", 6))
		return;	/* netd brings up the links it needs */
	if (!strcmp(w[0], "source") || !strcmp(w[0], "source-directory") ||
	    !strcmp(w[0], "mapping")) {
		log_warn("%s:%u: '%s' is not supported by netd: ignored", p->r->path, p->r->line, w[0]);
		p->skipping = !strcmp(w[0], "mapping");
		return;
	}
	if (p->skipping)
		return;
	if (!p->inet && !p->inet6) {
		const char *s = conf_suggest(w[0], keywords, sizeof(keywords) / sizeof(keywords[0]));

		if (s)
			conf_error(p->r, "'%s' is not a known keyword (did you mean '%s'?)", w[0], s);
		else
			conf_error(p->r, "'%s' outside of an 'iface' stanza (expected 'iface NAME inet static' first)", w[0]);
		return;
	}
	parse_option(p, w, n);
}

unsigned ifconf_parse(struct conf_reader *r, struct ifc_conf *c)
{
	struct parser p = { .r = r, .c = c };
	char *line;

	memset(c, 0, sizeof(*c));
	while ((line = conf_next(r)))
		parse_line(&p, line);
	return r->errors;
}

const struct ifc_iface *ifconf_find(const struct ifc_conf *c, const char *name)
{
	for (unsigned k = 0; k < c->n; k++)
		if (!strcmp(c->iface[k].name, name))
			return &c->iface[k];
	return NULL;
}
