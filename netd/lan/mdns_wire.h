/* mDNS messages (RFC 1035's format, RFC 6762's use of it), for the
 * reflector and the responder of mdns.c. Pure: bytes in, bytes out.
 *
 * Reading: mdns_walk visits each question and record of a message, with
 * its name decompressed; a message that is cut short, has a compression
 * pointer that does not point back, a label over 63 bytes or a name over
 * 255 is malformed as a whole (-1), and the reflector drops it.
 *
 * Rewriting in place (mdns_rewrite): the reflector changes only bytes
 * whose length stays, so every compression pointer stays right: the
 * unicast-response bit of questions, an A record's address, a record's
 * type when it must be left out (MDNS_TYPE_WITHHELD, a private-use type
 * nobody asks for).
 *
 * Writing (struct mdns_out): the responder's answers, names uncompressed. */
#ifndef NETD_MDNS_WIRE_H
#define NETD_MDNS_WIRE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define MDNS_PORT 5353
#define MDNS_GROUP4 "224.0.0.251"
#define MDNS_GROUP6 "ff02::fb"
#define MDNS_NAME_MAX 256		/* a name in wire form, root label included */
#define MDNS_HEADER 12
#define MDNS_MSG_CAP 9000		/* RFC 6762 17: the most a message may be */

#define MDNS_TYPE_A 1
#define MDNS_TYPE_PTR 12
#define MDNS_TYPE_TXT 16
#define MDNS_TYPE_AAAA 28
#define MDNS_TYPE_SRV 33
#define MDNS_TYPE_ANY 255
#define MDNS_TYPE_WITHHELD 65534	/* RFC 6895 private use: a record left out */
#define MDNS_CLASS_IN 1
#define MDNS_CACHE_FLUSH 0x8000		/* of a record's class */
#define MDNS_UNICAST_RESPONSE 0x8000	/* of a question's class */
#define MDNS_FLAG_RESPONSE 0x8400	/* QR and AA */

enum mdns_section { MDNS_QUESTION, MDNS_ANSWER, MDNS_AUTHORITY, MDNS_ADDITIONAL };

struct mdns_item {
	enum mdns_section section;
	uint8_t name[MDNS_NAME_MAX];	/* wire form, uncompressed */
	size_t name_len;
	uint16_t type, class;
	size_t type_off;		/* where TYPE is in the message */
	uint32_t ttl;			/* records only */
	size_t rdata_off;		/* records only */
	uint16_t rdlen;
};

/* Calls visit for each question and record in order; stops early when
 * visit returns non-zero. 0 when the message is well-formed (and visit
 * never stopped it), 1 when visit stopped, -1 when malformed. */
int mdns_walk(const uint8_t *msg, size_t len,
	      int (*visit)(void *arg, const struct mdns_item *it), void *arg);
/* 1 for a response (QR set), 0 for a query; len >= MDNS_HEADER. */
int mdns_is_response(const uint8_t *msg, size_t len);

/* Reads the name at off (following compression pointers) into out in wire
 * form; returns its length, and *next the offset after it, or -1. */
int mdns_read_name(const uint8_t *msg, size_t len, size_t off, uint8_t *out, size_t *next);
/* Two wire-form names are the same, ASCII case ignored. */
int mdns_name_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);
/* Dotted text of a wire-form name, for logs ('.' inside a label as "\."). */
void mdns_name_text(const uint8_t *name, size_t len, char *out, size_t size);
/* Appends label (1..63 bytes) to a wire-form name being built (no root
 * label yet); 0, or -1 if it does not fit or is empty or too long. */
int mdns_name_add(uint8_t *name, size_t *len, const char *label, size_t label_len);
/* Appends the dotted labels of s ("_ipp._tcp.local"), then the root label
 * when final; -1 if one does not fit. */
int mdns_name_add_dotted(uint8_t *name, size_t *len, const char *s, int final);

/* What the reflector changes in a message it passes on. */
struct mdns_rewrite {
	int clear_unicast;		/* questions: the answer comes by multicast */
	/* A records inside net4/mask4 (the host link): replaced by to4, or
	 * withheld when to4 is 0.0.0.0 */
	struct in_addr net4, mask4, to4;
	/* AAAA records inside net6/len6 or link-local: withheld */
	struct in6_addr net6;
	uint8_t len6;
};

struct mdns_rewrite_count {
	unsigned replaced, withheld, unicast_cleared;
};

/* Applies rw to msg in place; -1 (and msg possibly changed) when the
 * message is malformed, before or after. */
int mdns_rewrite(uint8_t *msg, size_t len, const struct mdns_rewrite *rw,
		 struct mdns_rewrite_count *count);

/* A message being written. */
struct mdns_out {
	uint8_t *buf;
	size_t cap, len;
	int overflow;			/* something did not fit: do not send */
};

void mdns_out_start(struct mdns_out *o, uint8_t *buf, size_t cap, uint16_t id, uint16_t flags);
/* A record with rdata; the counts in the header follow. Records must be
 * added in section order. */
void mdns_out_record(struct mdns_out *o, enum mdns_section s, const uint8_t *name, size_t name_len,
		     uint16_t type, uint16_t class, uint32_t ttl, const void *rdata, size_t rdlen);
/* A question. */
void mdns_out_question(struct mdns_out *o, const uint8_t *name, size_t name_len, uint16_t type,
		       uint16_t class);

#endif
