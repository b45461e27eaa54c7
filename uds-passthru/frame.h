/* The wire format between two uds-passthru ends.
 *
 * A connection starts raw, as socat speaks: the bytes of one datagram.
 * A host-mode client that wants datagram boundaries to survive TCP first
 * sends the 16-byte hello "\0uds-passthru/1\n"; a guest that understands
 * it answers with the same 16 bytes and both sides then exchange frames:
 *
 *   byte 0     type: 'D' a datagram, 'R' the daemon's socket went away
 *   byte 1     0 (reserved)
 *   bytes 2-3  payload length, big-endian, at most UDSP_DGRAM_MAX
 *   payload
 *
 * The hello begins with a NUL byte, which no control command does, so
 * the guest tells a framed client from socat by the first byte without
 * waiting. Against a socat guest the hello reaches the daemon as an empty
 * command ("UNKNOWN COMMAND" comes back), which is how the host side
 * learns to stay raw. */
#ifndef UDSP_FRAME_H
#define UDSP_FRAME_H

#include <stddef.h>
#include <stdint.h>

/* Twice the largest wpa_ctrl message (8 KiB commands, 4 KiB replies). */
#define UDSP_DGRAM_MAX 16384
#define FRAME_HDR 4
#define HELLO_LEN 16

extern const unsigned char udsp_hello[HELLO_LEN];

enum frame_type {
	FRAME_DGRAM = 'D',
	FRAME_RESET = 'R',
};

enum frame_status {
	FRAME_NEED_MORE,	/* not a whole frame yet */
	FRAME_OK,
	FRAME_BAD_TYPE,		/* garbage: the connection cannot continue */
	FRAME_BAD_RESERVED,
	FRAME_TOO_LONG,
};

struct frame {
	enum frame_type type;
	const unsigned char *data;
	size_t len;
};

/* Parses the frame at the start of buf; on FRAME_OK, *used is its size. */
enum frame_status frame_parse(const unsigned char *buf, size_t len, struct frame *f,
			      size_t *used);
/* Writes the header of a frame of len payload bytes. */
void frame_header(unsigned char hdr[FRAME_HDR], enum frame_type type, size_t len);
const char *frame_status_text(enum frame_status st);

enum hello_status {
	HELLO_NO,	/* not the hello */
	HELLO_PARTIAL,	/* a prefix of it so far */
	HELLO_YES,
};

enum hello_status hello_check(const unsigned char *buf, size_t len);

/* Reassembles frames from a byte stream cut anywhere. Holds at most one
 * partial frame, allocated only while one is pending. */
struct framebuf {
	unsigned char *buf;
	size_t len;
};

typedef void (*frame_cb)(void *ctx, const struct frame *f);

/* Feeds bytes; calls cb for each whole frame. Returns FRAME_NEED_MORE
 * (all consumed) or the error that makes the stream unusable (frames
 * before it were delivered). -1 means out of memory. */
int framebuf_feed(struct framebuf *fb, const unsigned char *data, size_t len, frame_cb cb,
		  void *ctx);
void framebuf_free(struct framebuf *fb);

#endif
