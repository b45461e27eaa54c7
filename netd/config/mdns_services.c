#include "mdns_services.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "forwards.h"
#include "ipv4.h"
#include "log.h"

#define TYPE_USAGE "expected _NAME._tcp or _NAME._udp, e.g. _ipp._tcp"
#define NAME_MAX_BYTES 63	/* one DNS label */
#define TXT_STRING_MAX 255	/* one DNS character-string */
#define SERVICE_NAME_MAX 15	/* RFC 6335 5.1 */

/* A block as it is read. */
struct block {
	struct mdns_service svc;
	unsigned lines;		/* data lines so far: the name, the type, the port, then TXT */
	unsigned last;		/* the line of the last one */
	int open, bad;		/* bad: reported, the rest of the block is ignored */
};

/* conf_error, at line rather than at the line just read. */
static void __attribute__((format(printf, 3, 4)))
error_at(struct conf_reader *r, unsigned line, const char *fmt, ...)
{
	unsigned now = r->line;
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	r->line = line;
	conf_error(r, "%s", text);
	r->line = now;
}

/* Blanks only: a separator between blocks (conf_split finds no word). */
static int blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return !*s;
}

/* A line that begins with '#' is a comment; "\#" writes a '#' there. */
static const char *unescape(const char *line)
{
	return line[0] == '\\' && line[1] == '#' ? line + 1 : line;
}

/* Valid UTF-8 without control characters (C0, DEL, C1): what an instance
 * name may hold (RFC 6763 4.1.1). */
static int printable_utf8(const unsigned char *s)
{
	unsigned c, cp, min, more;

	while ((c = *s++)) {
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			more = 1, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			more = 2, cp = c & 0x0f, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			more = 3, cp = c & 0x07, min = 0x10000;
		else
			return 0;
		for (; more; more--, s++) {
			if ((*s & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (*s & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0xa0)
			return 0;
	}
	return 1;
}

static int parse_name(struct conf_reader *r, const char *line, struct mdns_service *s)
{
	size_t len;

	line = unescape(line);
	len = strlen(line);
	if (len > NAME_MAX_BYTES) {
		conf_error(r, "the name '%.40s...' is %zu bytes long: a service's name is at most %d bytes "
			   "(one DNS label)", line, len, NAME_MAX_BYTES);
		return -1;
	}
	if (!printable_utf8((const unsigned char *)line)) {
		conf_error(r, "the name '%s' is not text: expected UTF-8 without control characters", line);
		return -1;
	}
	memcpy(s->name, line, len + 1);
	return 0;
}

/* RFC 6335 5.1: 1-15 letters, digits and hyphens, at least one letter, no
 * hyphen at either end and none next to another. */
static int service_name_ok(const char *name, size_t len)
{
	int letter = 0;

	if (len < 1 || len > SERVICE_NAME_MAX || name[0] == '-' || name[len - 1] == '-')
		return 0;
	for (size_t k = 0; k < len; k++) {
		if (isalpha((unsigned char)name[k]))
			letter = 1;
		else if (!isdigit((unsigned char)name[k]) && name[k] != '-')
			return 0;
		else if (name[k] == '-' && name[k + 1] == '-')
			return 0;
	}
	return letter;
}

/* "_NAME._tcp" or "_NAME._udp", a trailing '.' allowed, into s. */
static int parse_type_word(struct conf_reader *r, const char *word, struct mdns_service *s)
{
	const char *dot = word[0] == '_' ? strchr(word, '.') : NULL;
	size_t len = dot ? (size_t)(dot - word - 1) : 0;

	if (!dot || (strcasecmp(dot, "._tcp") && strcasecmp(dot, "._tcp.") && strcasecmp(dot, "._udp") &&
		     strcasecmp(dot, "._udp."))) {
		conf_error(r, "'%s' is not a service type: " TYPE_USAGE, word);
		return -1;
	}
	if (!service_name_ok(word + 1, len)) {
		conf_error(r, "'%s': the name after '_' must be 1 to %d letters, digits and hyphens, with a "
			   "letter, no hyphen at either end and no two in a row (RFC 6335), e.g. _ipp._tcp",
			   word, SERVICE_NAME_MAX);
		return -1;
	}
	s->proto = tolower((unsigned char)dot[2]) == 't' ? IPPROTO_TCP : IPPROTO_UDP;
	memcpy(s->type, word, len + 1);
	memcpy(s->type + len + 1, s->proto == IPPROTO_TCP ? "._tcp" : "._udp", sizeof("._tcp"));
	return 0;
}

/* The type, then optionally the domain: local only. */
static int parse_type(struct conf_reader *r, char *line, struct mdns_service *s)
{
	char *w[3];
	int n = conf_split(line, w, 3);

	if (n < 1 || n > 2) {
		conf_error(r, "expected the service type and at most the domain local, e.g. '_ipp._tcp local.'");
		return -1;
	}
	if (n == 2 && strcasecmp(w[1], "local") && strcasecmp(w[1], "local.")) {
		conf_error(r, "domain '%s' is not supported: only .local is announced (multicast DNS); "
			   "leave the domain out or write local.", w[1]);
		return -1;
	}
	return parse_type_word(r, w[0], s);
}

static int parse_port_line(struct conf_reader *r, char *line, struct mdns_service *s)
{
	char *w[2] = { line, NULL };
	unsigned port;

	if (conf_split(line, w, 2) != 1 || parse_port(w[0], &port) < 0) {
		conf_error(r, "'%s' is not a port: expected the service's port alone on the line after its "
			   "type, a number from 1 to 65535", w[0]);
		return -1;
	}
	s->port = (uint16_t)port;
	return 0;
}

/* One TXT string appended to the record in wire form. */
static int add_txt(struct conf_reader *r, const char *line, struct mdns_service *s)
{
	size_t len;

	line = unescape(line);
	len = strlen(line);
	if (len > TXT_STRING_MAX) {
		conf_error(r, "TXT string of %zu bytes: each is at most %d bytes", len, TXT_STRING_MAX);
		return -1;
	}
	if (s->txt_len + 1 + len > MDNS_TXT_MAX) {
		conf_error(r, "the TXT strings come to more than %d bytes (each counts one more, for its "
			   "length): fewer or shorter ones, please", MDNS_TXT_MAX);
		return -1;
	}
	s->txt[s->txt_len++] = (uint8_t)len;
	memcpy(s->txt + s->txt_len, line, len);
	s->txt_len = (uint16_t)(s->txt_len + len);
	return 0;
}

static int block_line(struct conf_reader *r, struct block *b, char *line)
{
	b->last = r->line;
	switch (b->lines++) {
	case 0:
		return parse_name(r, line, &b->svc);
	case 1:
		return parse_type(r, line, &b->svc);
	case 2:
		return parse_port_line(r, line, &b->svc);
	default:
		return add_txt(r, line, &b->svc);
	}
}

static void block_begin(struct block *b, unsigned line)
{
	memset(b, 0, sizeof(*b));
	b->open = 1;
	b->svc.line = line;
}

static const struct mdns_service *find(const struct mdns_service_list *out, const struct mdns_service *s)
{
	for (size_t k = 0; k < out->n; k++)
		if (!strcasecmp(out->s[k].name, s->name) && !strcasecmp(out->s[k].type, s->type))
			return &out->s[k];
	return NULL;
}

/* A complete block: 0 if it is well formed; the ones before it are in out. */
static int block_check(struct conf_reader *r, const struct block *b, const struct mdns_service_list *out)
{
	const struct mdns_service *s = &b->svc, *first;

	if (b->lines == 1) {
		error_at(r, b->last, "'%s' has no service type: expected it on the line after the name, "
			 "e.g. _ipp._tcp", s->name);
		return -1;
	}
	if (b->lines == 2) {
		error_at(r, b->last, "'%s' (%s) has no port: expected it on the line after the type, "
			 "a number from 1 to 65535", s->name, s->type);
		return -1;
	}
	first = find(out, s);
	if (first) {
		error_at(r, s->line, "'%s' (%s) is announced already by the block at line %u: one block "
			 "per name and type", s->name, s->type, first->line);
		return -1;
	}
	if (out->n == MDNS_SERVICES_MAX) {
		error_at(r, s->line, "more than %d services: this block and the ones after it are skipped",
			 MDNS_SERVICES_MAX);
		return -1;
	}
	return 0;
}

/* The block read so far into out; the number of blocks skipped (0 or 1). */
static unsigned block_end(struct conf_reader *r, struct block *b, struct mdns_service_list *out)
{
	struct mdns_service *s = &b->svc;

	if (!b->open)
		return 0;
	b->open = 0;
	if (b->bad || block_check(r, b, out) < 0)
		return 1;
	if (!s->txt_len)
		s->txt_len = 1;		/* one empty string: txt[0] is 0 */
	out->s[out->n++] = *s;
	return 0;
}

unsigned mdns_services_parse(struct conf_reader *r, struct mdns_service_list *out)
{
	struct block b = { .open = 0 };
	unsigned skipped = 0, errors;
	char *line;

	memset(out, 0, sizeof(*out));
	for (;;) {
		errors = r->errors;
		line = conf_next_raw(r);
		/* a line the reader reported and dropped belongs to the block
		 * around it, which is then incomplete */
		if (r->errors != errors && (line || b.open)) {
			if (!b.open)
				block_begin(&b, r->line);
			b.bad = 1;
		}
		if (!line)
			break;
		if (line[0] == '#')
			continue;
		if (blank(line)) {
			skipped += block_end(r, &b, out);
			continue;
		}
		if (!b.open)
			block_begin(&b, r->line);
		if (!b.bad && block_line(r, &b, line) < 0)
			b.bad = 1;
	}
	return skipped + block_end(r, &b, out);
}

int mdns_services_load(const char *path, struct mdns_service_list *out)
{
	struct conf_reader r;
	unsigned skipped;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = conf_open(&r, path);
	if (rc < 0)
		return rc;
	skipped = mdns_services_parse(&r, out);
	conf_close(&r);
	return (int)skipped;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int forwarded(const struct mdns_service *s, const struct fwd_list *f)
{
	for (size_t k = 0; k < f->n; k++) {
		const struct fw_forward *x = &f->items[k];

		if (!x->ipv6 && x->proto == s->proto && x->outside_lo <= s->port && s->port <= x->outside_hi)
			return 1;
	}
	return 0;
}

unsigned mdns_services_check_forwards(const struct mdns_service_list *s, const struct fwd_list *f)
{
	unsigned warnings = 0;

	for (size_t k = 0; k < s->n; k++) {
		const struct mdns_service *x = &s->s[k];

		if (forwarded(x, f))
			continue;
		log_warn("%s:%u: '%s' (%s) port %u has no forward in %s: the Wi-Fi side will find it but "
			 "cannot connect", base_name(MDNS_SERVICES_PATH), x->line, x->name, x->type, x->port,
			 base_name(FWD_DEFAULT_PATH));
		warnings++;
	}
	return warnings;
}
