#include "lease.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifconf.h"
#include "log.h"

const char *const lease_env_keys[] = {
	"interface", "ip", "mask", "subnet", "router", "dns", "domain",
	"search", "lease", "serverid", NULL,
};

static const char *const event_names[] = {
	[LEASE_DECONFIG] = "deconfig", [LEASE_BOUND] = "bound",
	[LEASE_RENEW] = "renew", [LEASE_NAK] = "nak", [LEASE_LEASEFAIL] = "leasefail",
};

#define N_EVENTS (sizeof(event_names) / sizeof(event_names[0]))

const char *lease_event_name(enum lease_event e)
{
	return event_names[e];
}

int valid_domain(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len >= LEASE_NAME_MAX || s[0] == '.' || s[0] == '-')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.' && *s != '_')
			return 0;
	return 1;
}

static int take_event(const char *v, struct lease *l)
{
	for (size_t k = 0; k < N_EVENTS; k++) {
		if (!strcmp(v, event_names[k])) {
			l->event = (enum lease_event)k;
			return 0;
		}
	}
	log_err("udhcpc event '%.32s' is not known: ignored", v);
	return -1;
}

static void take_dns(char *v, struct lease *l)
{
	char *w, *save = NULL;

	for (w = strtok_r(v, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (l->n_dns == LEASE_MAX_DNS)
			return;
		if (inet_pton(AF_INET, w, &l->dns[l->n_dns]) == 1)
			l->n_dns++;
		else
			log_warn("the uplink's DHCP server sent DNS server '%.40s', not an IPv4 address: ignored", w);
	}
}

static void take_search(char *v, struct lease *l)
{
	char *w, *save = NULL;
	size_t len = 0, n;

	for (w = strtok_r(v, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		n = strlen(w);
		if (!valid_domain(w)) {
			log_warn("the uplink's DHCP server sent search domain '%.64s', not a DNS name: ignored", w);
			continue;
		}
		if (len + n + 2 > sizeof(l->search))
			return;
		if (len)
			l->search[len++] = ' ';
		memcpy(l->search + len, w, n + 1);
		len += n;
	}
}

static int take_uint(const char *v, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long n;

	if (!isdigit((unsigned char)*v))
		return -1;
	n = strtoul(v, &end, 10);
	if (*end || n > max)
		return -1;
	*out = (uint32_t)n;
	return 0;
}

static void take_router(char *v, struct lease *l)
{
	char *w, *save = NULL;

	w = strtok_r(v, " ", &save);	/* the first router is the gateway */
	if (w && inet_pton(AF_INET, w, &l->router) == 1)
		l->has_router = 1;
	else if (w)
		log_warn("the uplink's DHCP server sent router '%.40s', not an IPv4 address: ignored", w);
}

/* One key=value line. Returns -1 only for what makes the message useless. */
static int take(const char *key, char *v, struct lease *l)
{
	uint32_t n;

	if (!strcmp(key, "event"))
		return take_event(v, l);
	if (!strcmp(key, "interface")) {
		if (!valid_ifname(v)) {
			log_err("udhcpc reported interface '%.32s', not a valid name: ignored", v);
			return -1;
		}
		strcpy(l->ifname, v);
	} else if (!strcmp(key, "ip")) {
		l->has_ip = inet_pton(AF_INET, v, &l->ip) == 1;
	} else if (!strcmp(key, "mask")) {
		if (take_uint(v, 32, &n) == 0)
			l->prefix = (uint8_t)n;
	} else if (!strcmp(key, "subnet")) {
		if (!l->prefix)
			parse_netmask(v, &l->prefix);
	} else if (!strcmp(key, "router")) {
		take_router(v, l);
	} else if (!strcmp(key, "dns")) {
		take_dns(v, l);
	} else if (!strcmp(key, "domain")) {
		if (valid_domain(v))
			strcpy(l->domain, v);
		else
			log_warn("the uplink's DHCP server sent domain '%.64s', not a DNS name: ignored", v);
	} else if (!strcmp(key, "search")) {
		take_search(v, l);
	} else if (!strcmp(key, "lease")) {
		take_uint(v, UINT32_MAX, &l->seconds);
	} else if (!strcmp(key, "serverid")) {
		inet_pton(AF_INET, v, &l->server);
	}
	return 0;
}

int lease_parse(const char *msg, size_t len, struct lease *out)
{
	char buf[LEASE_MSG_MAX + 1], *line, *next, *eq;
	int have_event = 0;

	memset(out, 0, sizeof(*out));
	if (len > LEASE_MSG_MAX) {
		log_err("udhcpc message of %zu bytes is too long (at most %d): ignored", len, LEASE_MSG_MAX);
		return -1;
	}
	memcpy(buf, msg, len);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		log_err("udhcpc message holds a NUL byte: ignored");
		return -1;
	}
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		if (take(line, eq + 1, out) < 0)
			return -1;
		have_event |= !strcmp(line, "event");
	}
	if (!have_event || !out->ifname[0]) {
		log_err("udhcpc message without %s: ignored", have_event ? "an interface" : "an event");
		return -1;
	}
	if ((out->event == LEASE_BOUND || out->event == LEASE_RENEW) &&
	    (!out->has_ip || !out->prefix)) {
		log_err("udhcpc %s on %s without a valid address and mask: ignored",
			lease_event_name(out->event), out->ifname);
		return -1;
	}
	return 0;
}

/* Values with a newline would forge lines: they are cut there. */
int lease_format(char *buf, size_t size, const char *ev, const char *(*get)(const char *key))
{
	size_t len;
	int n = snprintf(buf, size, "event=%.*s\n", (int)strcspn(ev, "\n"), ev);

	if (n < 0 || (size_t)n >= size)
		return -1;
	len = (size_t)n;
	for (const char *const *k = lease_env_keys; *k; k++) {
		const char *v = get(*k);

		if (!v)
			continue;
		n = snprintf(buf + len, size - len, "%s=%.*s\n", *k, (int)strcspn(v, "\n"), v);
		if (n < 0 || (size_t)n >= size - len)
			return -1;
		len += (size_t)n;
	}
	return (int)len;
}
