#include "dhcpd_conf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan.h"

#define MAX_WORDS 64
#define DEFAULT_LEASE 864000

/* ---- udhcpd's own keywords and options (busybox 1.35 dhcpd.c, common.c) */

enum kw_type {
	KW_RANGE,	/* start, end: an address inside the served network */
	KW_IPV4,
	KW_UINT,
	KW_STRING,
	KW_IFACE,	/* replaced by the interface netd serves */
	KW_OPTION,
	KW_STATIC_LEASE,
};

struct keyword {
	const char *name;
	enum kw_type type;
};

static const struct keyword keywords[] = {
	{ "start", KW_RANGE }, { "end", KW_RANGE }, { "interface", KW_IFACE },
	{ "max_leases", KW_UINT }, { "auto_time", KW_UINT },
	{ "decline_time", KW_UINT }, { "conflict_time", KW_UINT },
	{ "offer_time", KW_UINT }, { "min_lease", KW_UINT },
	{ "lease_file", KW_STRING }, { "pidfile", KW_STRING },
	{ "siaddr", KW_IPV4 }, { "option", KW_OPTION }, { "opt", KW_OPTION },
	{ "notify_file", KW_STRING }, { "sname", KW_STRING },
	{ "boot_file", KW_STRING }, { "static_lease", KW_STATIC_LEASE },
};

enum val_type {
	VAL_IP,
	VAL_IP_LIST,
	VAL_STRING,
	VAL_NUMBER,
	VAL_OTHER,	/* routes and the like: left to udhcpd */
};

struct dhcp_option {
	const char *name;
	enum val_type type;
};

static const struct dhcp_option dhcp_options[] = {
	{ "subnet", VAL_IP }, { "timezone", VAL_NUMBER }, { "router", VAL_IP_LIST },
	{ "dns", VAL_IP_LIST }, { "lprsrv", VAL_IP_LIST }, { "hostname", VAL_STRING },
	{ "bootsize", VAL_NUMBER }, { "domain", VAL_STRING }, { "swapsrv", VAL_IP },
	{ "rootpath", VAL_STRING }, { "ipttl", VAL_NUMBER }, { "mtu", VAL_NUMBER },
	{ "broadcast", VAL_IP }, { "routes", VAL_OTHER }, { "nisdomain", VAL_STRING },
	{ "nissrv", VAL_IP_LIST }, { "ntpsrv", VAL_IP_LIST }, { "wins", VAL_IP_LIST },
	{ "lease", VAL_NUMBER }, { "serverid", VAL_IP }, { "message", VAL_STRING },
	{ "vendor", VAL_STRING }, { "tftp", VAL_STRING }, { "bootfile", VAL_STRING },
	{ "tzstr", VAL_STRING }, { "tzdbstr", VAL_STRING }, { "search", VAL_STRING },
	{ "sipsrv", VAL_OTHER }, { "staticroutes", VAL_OTHER },
	{ "vlanid", VAL_NUMBER }, { "vlanpriority", VAL_NUMBER },
	{ "pxeconffile", VAL_STRING }, { "pxepathprefix", VAL_STRING },
	{ "reboottime", VAL_NUMBER }, { "ip6rd", VAL_OTHER },
	{ "msstaticroutes", VAL_OTHER }, { "wpad", VAL_STRING },
};

#define N_KEYWORDS (sizeof(keywords) / sizeof(keywords[0]))
#define N_OPTIONS (sizeof(dhcp_options) / sizeof(dhcp_options[0]))

/* The first two are address lists, the others names. */
static const char *const placeholders[] = { "%%DNS%%", "%%UPLINK_DNS%%", "%%DOMAIN%%", "%%SEARCH%%" };
#define N_PLACEHOLDERS (sizeof(placeholders) / sizeof(placeholders[0]))
#define IS_ADDRESS_PLACEHOLDER(k) ((k) <= 1)

/* ---- checking one line ------------------------------------------------- */

static const struct keyword *find_keyword(const char *w)
{
	for (size_t k = 0; k < N_KEYWORDS; k++)
		if (!strcasecmp(keywords[k].name, w))
			return &keywords[k];
	return NULL;
}

static const struct dhcp_option *find_option(const char *w)
{
	for (size_t k = 0; k < N_OPTIONS; k++)
		if (!strcmp(dhcp_options[k].name, w))
			return &dhcp_options[k];
	return NULL;
}

static int is_uint(const char *s)
{
	if (!*s || strlen(s) > 10)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int is_number(const char *s)
{
	return is_uint(*s == '-' ? s + 1 : s) || (s[0] == '0' && s[1] == 'x' && s[2]);
}

static int placeholder_index(const char *w)
{
	for (int k = 0; k < (int)N_PLACEHOLDERS; k++)
		if (!strcmp(w, placeholders[k]))
			return k;
	return -1;
}

static int in_network(struct in_addr a, const struct dhcpd_served *s)
{
	uint32_t m = prefix_mask(s->prefix).s_addr;

	return (a.s_addr & m) == (s->addr.s_addr & m);
}

static void describe_network(const struct dhcpd_served *s, char *buf, size_t size)
{
	struct in_addr net = { s->addr.s_addr & prefix_mask(s->prefix).s_addr };
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &net, a, sizeof(a));
	snprintf(buf, size, "%s/%u", a, s->prefix);
}

/* Every word of an option value: an address where one is needed, and
 * placeholders spelled right. */
static int check_option_values(struct conf_reader *r, const struct dhcp_option *o,
			       char **w, int n)
{
	struct in_addr a;

	for (int k = 0; k < n; k++) {
		int ph = placeholder_index(w[k]);

		if (strstr(w[k], "%%") && ph < 0) {
			conf_error(r, "'%s' is not a known placeholder (expected %%%%DNS%%%%, %%%%UPLINK_DNS%%%%, %%%%DOMAIN%%%% or %%%%SEARCH%%%%)", w[k]);
			return -1;
		}
		/* %%DNS%% and %%UPLINK_DNS%% become lists of addresses,
		 * %%DOMAIN%% and %%SEARCH%% names: neither is a number or a
		 * single address. */
		if ((ph >= 0 && !IS_ADDRESS_PLACEHOLDER(ph) && o->type == VAL_IP_LIST) || (ph >= 0 && (o->type == VAL_IP || o->type == VAL_NUMBER))) {
			conf_error(r, "opt %s: %s does not fit here (expected %s)", o->name, w[k],
				   o->type == VAL_IP_LIST ? "addresses or %%DNS%%" :
				   o->type == VAL_NUMBER ? "a number" : "one value");
			return -1;
		}
		if (ph >= 0)
			continue;
		if ((o->type == VAL_IP || o->type == VAL_IP_LIST) && inet_pton(AF_INET, w[k], &a) != 1) {
			conf_error(r, "opt %s: '%s' is not an IPv4 address", o->name, w[k]);
			return -1;
		}
		if (o->type == VAL_NUMBER && !is_number(w[k])) {
			conf_error(r, "opt %s: '%s' is not a number", o->name, w[k]);
			return -1;
		}
	}
	if (o->type == VAL_IP && n > 1) {
		conf_error(r, "opt %s takes one address, not %d", o->name, n);
		return -1;
	}
	return 0;
}

static int check_option(struct conf_reader *r, char **w, int n)
{
	const struct dhcp_option *o;
	const char *names[N_OPTIONS], *s;

	if (n < 2) {
		conf_error(r, "'%s' needs an option name and a value (e.g. opt dns 8.8.8.8)", w[0]);
		return -1;
	}
	if (is_uint(w[1]) && atoi(w[1]) < 255)
		return 0;	/* a raw option code: udhcpd checks its value */
	o = find_option(w[1]);
	if (!o) {
		for (size_t k = 0; k < N_OPTIONS; k++)
			names[k] = dhcp_options[k].name;
		s = conf_suggest(w[1], names, N_OPTIONS);
		if (s)
			conf_error(r, "'%s' is not a udhcpd option (did you mean '%s'?)", w[1], s);
		else
			conf_error(r, "'%s' is not a udhcpd option (expected e.g. dns, router, subnet, domain, lease)", w[1]);
		return -1;
	}
	return check_option_values(r, o, w + 2, n - 2);
}

static int check_range(struct conf_reader *r, char **w, const struct dhcpd_served *s,
		       struct in_addr *out)
{
	char net[INET_ADDRSTRLEN + 4];

	if (inet_pton(AF_INET, w[1], out) != 1) {
		conf_error(r, "%s '%s' is not an IPv4 address", w[0], w[1]);
		return -1;
	}
	if (!in_network(*out, s)) {
		describe_network(s, net, sizeof(net));
		conf_error(r, "%s %s is outside the served network %s: using the default", w[0], w[1], net);
		return -1;
	}
	return 0;
}

static int check_static_lease(struct conf_reader *r, char **w, int n)
{
	unsigned m[6];
	struct in_addr a;
	char end;

	if (n != 3 || sscanf(w[1], "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2], &m[3],
			     &m[4], &m[5], &end) != 6 || inet_pton(AF_INET, w[2], &a) != 1) {
		conf_error(r, "expected 'static_lease 00:11:22:33:44:55 10.0.0.5'");
		return -1;
	}
	return 0;
}

static int check_line(struct conf_reader *r, const struct keyword *kw, char **w, int n,
		      const struct dhcpd_served *s, struct in_addr *range)
{
	struct in_addr a;

	if (kw->type != KW_OPTION && kw->type != KW_STATIC_LEASE && n != 2) {
		conf_error(r, "'%s' takes one value", kw->name);
		return -1;
	}
	if (kw->type != KW_OPTION && n >= 2 && strstr(w[1], "%%")) {
		conf_error(r, "'%s': placeholders belong in opt lines only", kw->name);
		return -1;
	}
	switch (kw->type) {
	case KW_RANGE:
		return check_range(r, w, s, range);
	case KW_IPV4:
		if (inet_pton(AF_INET, w[1], &a) == 1)
			return 0;
		conf_error(r, "%s '%s' is not an IPv4 address", w[0], w[1]);
		return -1;
	case KW_UINT:
		if (is_uint(w[1]))
			return 0;
		conf_error(r, "%s '%s' is not a number of seconds or leases", w[0], w[1]);
		return -1;
	case KW_STRING:
	case KW_IFACE:
		return 0;
	case KW_OPTION:
		return check_option(r, w, n);
	case KW_STATIC_LEASE:
		return check_static_lease(r, w, n);
	}
	return -1;
}

/* ---- router and subnet against the served network ------------------------ */

static int option_is(const struct keyword *kw, char **w, int n, const char *name)
{
	return kw->type == KW_OPTION && n >= 2 && !strcmp(w[1], name);
}

/* A router outside the served network (a udhcpd.conf left from another
 * subnet) would leave the host without a way out: the served address
 * takes its place, said with the line. */
static void fit_router(struct conf_reader *r, char **w, int *n, const struct dhcpd_served *s,
		       char *buf, size_t size)
{
	char net[INET_ADDRSTRLEN + 4];
	struct in_addr a;

	for (int k = 2; k < *n; k++) {
		if (inet_pton(AF_INET, w[k], &a) != 1 || in_network(a, s))
			continue;
		describe_network(s, net, sizeof(net));
		inet_ntop(AF_INET, &s->addr, buf, (socklen_t)size);
		conf_error(r, "opt router %s is outside the served network %s (interfaces.conf): "
			   "serving router %s instead", w[k], net, buf);
		w[2] = buf;
		*n = 3;
		return;
	}
}

static void fit_subnet(struct conf_reader *r, char **w, int *n, const struct dhcpd_served *s,
		       char *buf, size_t size)
{
	struct in_addr mask = prefix_mask(s->prefix), a;
	char net[INET_ADDRSTRLEN + 4];

	if (*n != 3 || inet_pton(AF_INET, w[2], &a) != 1 || a.s_addr == mask.s_addr)
		return;
	describe_network(s, net, sizeof(net));
	inet_ntop(AF_INET, &mask, buf, (socklen_t)size);
	conf_error(r, "opt subnet %s does not match the served network %s (interfaces.conf): "
		   "serving subnet %s instead", w[2], net, buf);
	w[2] = buf;
}

/* ---- load ---------------------------------------------------------------- */

static int append(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 >= size)
		return -1;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
	return 0;
}

/* Kept with udhcpd's spelling of the keyword (it ignores case). A line
 * that does not fit is taken back whole: the text stays lines that end
 * in '\n', terminated at t->len. */
static int keep_line(struct dhcpd_tmpl *t, const struct keyword *kw, char **w, int n)
{
	size_t len = t->len;
	int rc = append(t->text, sizeof(t->text), &len, kw->name);

	for (int k = 1; k < n && rc == 0; k++)
		rc = append(t->text, sizeof(t->text), &len, " ") < 0 ? -1 :
		     append(t->text, sizeof(t->text), &len, w[k]);
	if (rc == 0)
		rc = append(t->text, sizeof(t->text), &len, "\n");
	if (rc == 0)
		t->len = len;
	t->text[t->len] = '\0';
	return rc;
}

static int is_lease_option(char **w, int n)
{
	return find_keyword(w[0])->type == KW_OPTION && n >= 2 && !strcmp(w[1], "lease");
}

/* The network's usable addresses, without the server's own if it is the
 * first (the contract's 10.0.0.2 to 10.0.0.254 for 10.0.0.1/24). */
static void default_range(const struct dhcpd_served *s, struct in_addr *first, struct in_addr *last)
{
	plan_pool(s->addr, s->prefix, first, last);
	if (first->s_addr == s->addr.s_addr && first->s_addr != last->s_addr)
		first->s_addr = htonl(ntohl(first->s_addr) + 1);
}

static void default_template(const struct dhcpd_served *s, char *buf, size_t size)
{
	struct in_addr first, last, mask = prefix_mask(s->prefix);
	char a[4][INET_ADDRSTRLEN];
	uint32_t pool;

	default_range(s, &first, &last);
	pool = ntohl(last.s_addr) - ntohl(first.s_addr) + 1;
	inet_ntop(AF_INET, &first, a[0], sizeof(a[0]));
	inet_ntop(AF_INET, &last, a[1], sizeof(a[1]));
	inet_ntop(AF_INET, &mask, a[2], sizeof(a[2]));
	inet_ntop(AF_INET, &s->addr, a[3], sizeof(a[3]));
	snprintf(buf, size,
		 "start %s\nend %s\nmax_leases %u\nopt subnet %s\nopt router %s\n"
		 "opt dns %%%%DNS%%%% 8.8.8.8 8.8.4.4\nopt domain %%%%DOMAIN%%%%\n"
		 "opt search %%%%SEARCH%%%%\nopt lease %u\n",
		 a[0], a[1], pool < 64 ? pool : 64, a[2], a[3], DEFAULT_LEASE);
}

/* start after end would make udhcpd exit: drop both, the defaults apply.
 * A start or an end given alone is paired with the default other end. */
static void check_order(struct conf_reader *r, const struct dhcpd_served *s, struct dhcpd_tmpl *t,
			struct in_addr start, struct in_addr end)
{
	struct in_addr first, last;
	char *line = t->text, *nl;

	default_range(s, &first, &last);
	if (!t->has_start)
		start = first;
	if (!t->has_end)
		end = last;
	if ((!t->has_start && !t->has_end) || ntohl(start.s_addr) <= ntohl(end.s_addr))
		return;
	conf_error(r, "start is after end: using the default range");
	while (*line) {
		nl = strchr(line, '\n');
		if (!strncmp(line, "start ", 6) || !strncmp(line, "end ", 4))
			memmove(line, nl + 1, strlen(nl + 1) + 1);
		else
			line = nl + 1;
	}
	t->len = strlen(t->text);
	t->has_start = t->has_end = 0;
}

static void load_lines(struct conf_reader *r, const struct dhcpd_served *s, struct dhcpd_tmpl *t)
{
	struct in_addr range, start = { 0 }, end = { 0 };
	const struct keyword *kw;
	const char *names[N_KEYWORDS], *sug;
	char *line, *w[MAX_WORDS], fitted[INET_ADDRSTRLEN];
	int n;

	for (size_t k = 0; k < N_KEYWORDS; k++)
		names[k] = keywords[k].name;
	while ((line = conf_next(r))) {
		n = conf_split(line, w, MAX_WORDS);
		kw = find_keyword(w[0]);
		if (!kw) {
			sug = conf_suggest(w[0], names, N_KEYWORDS);
			if (sug)
				conf_error(r, "'%s' is not a udhcpd keyword (did you mean '%s'?)", w[0], sug);
			else
				conf_error(r, "'%s' is not a udhcpd keyword (expected e.g. start, end, opt)", w[0]);
			continue;
		}
		if (check_line(r, kw, w, n, s, &range) < 0 || kw->type == KW_IFACE)
			continue;
		if (option_is(kw, w, n, "router"))
			fit_router(r, w, &n, s, fitted, sizeof(fitted));
		if (option_is(kw, w, n, "subnet"))
			fit_subnet(r, w, &n, s, fitted, sizeof(fitted));
		if (keep_line(t, kw, w, n) < 0) {
			conf_error(r, "more than %d KiB of settings: the built-in settings serve instead "
				   "(fewer static_lease lines fit)", DHCPD_TMPL_MAX / 1024);
			t->too_large = 1;
			return;
		}
		if (kw->type == KW_RANGE && kw->name[0] == 's') {
			t->has_start = 1;
			start = range;
		} else if (kw->type == KW_RANGE) {
			t->has_end = 1;
			end = range;
		}
		t->has_lease |= is_lease_option(w, n);
		t->has_router |= option_is(kw, w, n, "router");
		t->has_subnet |= option_is(kw, w, n, "subnet");
	}
	check_order(r, s, t, start, end);
}

static unsigned load_builtin(const struct dhcpd_served *s, struct dhcpd_tmpl *t)
{
	struct conf_reader def;
	char text[512];

	memset(t, 0, sizeof(*t));
	default_template(s, text, sizeof(text));
	conf_open_mem(&def, "(built-in udhcpd.conf)", text, strlen(text));
	load_lines(&def, s, t);
	conf_close(&def);
	return def.errors;
}

unsigned dhcpd_tmpl_load(struct conf_reader *r, const struct dhcpd_served *s, struct dhcpd_tmpl *t)
{
	if (!r)
		return load_builtin(s, t);
	memset(t, 0, sizeof(*t));
	load_lines(r, s, t);
	if (t->too_large) {
		load_builtin(s, t);
		t->too_large = 1;
	}
	return r->errors;
}

/* ---- fill ---------------------------------------------------------------- */

struct out {
	char *buf;
	size_t size, len;
	int full;
};

static void put(struct out *o, const char *s)
{
	if (!o->full && append(o->buf, o->size, &o->len, s) < 0)
		o->full = 1;
}

static const char *placeholder_value(int k, const struct dhcpd_fill *f)
{
	const char *v = k == 0 ? f->dns : k == 1 ? f->uplink_dns : k == 2 ? f->domain : f->search;

	return v ? v : "";
}

/* One template line with its placeholders replaced; an option left
 * without a value is dropped (no uplink DNS yet, no domain). */
static void fill_line(struct out *o, char *line, const struct dhcpd_fill *f)
{
	char *w[MAX_WORDS], value[DHCPD_TMPL_MAX];
	size_t vlen = 0;
	int n = conf_split(line, w, MAX_WORDS), first = find_keyword(w[0])->type == KW_OPTION ? 2 : 1;

	value[0] = '\0';
	for (int k = first; k < n; k++) {
		int ph = placeholder_index(w[k]);
		const char *v = ph >= 0 ? placeholder_value(ph, f) : w[k];

		if (!*v)
			continue;
		if ((vlen && append(value, sizeof(value), &vlen, " ") < 0) ||
		    append(value, sizeof(value), &vlen, v) < 0)
			break;
	}
	if (!vlen)
		return;
	put(o, w[0]);
	put(o, " ");
	if (first == 2) {
		put(o, w[1]);
		put(o, " ");
	}
	if (f->short_lease && first == 2 && !strcmp(w[1], "lease") &&
	    strtoul(value, NULL, 0) > f->short_lease)
		snprintf(value, sizeof(value), "%u", f->short_lease);
	put(o, value);
	put(o, "\n");
}

/* What the template leaves out of the served network's shape. */
static void derived_lines(struct out *o, const struct dhcpd_tmpl *t, const struct dhcpd_served *s)
{
	struct in_addr mask = prefix_mask(s->prefix);
	char a[INET_ADDRSTRLEN];

	if (!t->has_subnet) {
		put(o, "opt subnet ");
		put(o, inet_ntop(AF_INET, &mask, a, sizeof(a)));
		put(o, "\n");
	}
	if (!t->has_router) {
		put(o, "opt router ");
		put(o, inet_ntop(AF_INET, &s->addr, a, sizeof(a)));
		put(o, "\n");
	}
}

int dhcpd_tmpl_fill(const struct dhcpd_tmpl *t, const struct dhcpd_served *s,
		    const struct dhcpd_fill *f, char *out, size_t size)
{
	struct out o = { .buf = out, .size = size };
	struct dhcpd_tmpl def;
	char copy[DHCPD_TMPL_MAX], *line, *next;

	out[0] = '\0';
	put(&o, "interface ");
	put(&o, f->ifname);
	put(&o, "\n");
	if (!t->has_start || !t->has_end)
		dhcpd_tmpl_load(NULL, s, &def);
	memcpy(copy, t->text, t->len + 1);
	for (line = copy; *line; line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		fill_line(&o, line, f);
	}
	/* the built-in start and end lines come first in its text */
	if (!t->has_start || !t->has_end) {
		memcpy(copy, def.text, def.len + 1);
		for (line = copy; *line && (!strncmp(line, "start ", 6) || !strncmp(line, "end ", 4)); line = next) {
			next = strchr(line, '\n');
			*next++ = '\0';
			if ((line[0] == 's' && !t->has_start) || (line[0] == 'e' && !t->has_end))
				fill_line(&o, line, f);
		}
	}
	derived_lines(&o, t, s);
	if (f->short_lease && !t->has_lease) {
		char l[32];

		snprintf(l, sizeof(l), "opt lease %u\n", f->short_lease);
		put(&o, l);
	}
	return o.full ? -1 : (int)o.len;
}
