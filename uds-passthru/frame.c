#include "frame.h"

#include <stdlib.h>
#include <string.h>

const unsigned char udsp_hello[HELLO_LEN] = "\0uds-passthru/1\n";

enum frame_status frame_parse(const unsigned char *buf, size_t len, struct frame *f,
			      size_t *used)
{
	size_t plen;

	if (len >= 1 && buf[0] != FRAME_DGRAM && buf[0] != FRAME_RESET)
		return FRAME_BAD_TYPE;
	if (len >= 2 && buf[1] != 0)
		return FRAME_BAD_RESERVED;
	if (len < FRAME_HDR)
		return FRAME_NEED_MORE;
	plen = (size_t)buf[2] << 8 | buf[3];
	if (plen > UDSP_DGRAM_MAX)
		return FRAME_TOO_LONG;
	if (len - FRAME_HDR < plen)
		return FRAME_NEED_MORE;
	f->type = (enum frame_type)buf[0];
	f->data = buf + FRAME_HDR;
	f->len = plen;
	*used = FRAME_HDR + plen;
	return FRAME_OK;
}

void frame_header(unsigned char hdr[FRAME_HDR], enum frame_type type, size_t len)
{
	hdr[0] = (unsigned char)type;
	hdr[1] = 0;
	hdr[2] = (unsigned char)(len >> 8);
	hdr[3] = (unsigned char)len;
}

const char *frame_status_text(enum frame_status st)
{
	switch (st) {
	case FRAME_NEED_MORE:
		return "incomplete frame";
	case FRAME_OK:
		return "ok";
	case FRAME_BAD_TYPE:
		return "unknown frame type";
	case FRAME_BAD_RESERVED:
		return "reserved frame byte not zero";
	case FRAME_TOO_LONG:
		return "frame longer than the datagram limit";
	}
	return "?";
}

enum hello_status hello_check(const unsigned char *buf, size_t len)
{
	size_t n = len < HELLO_LEN ? len : HELLO_LEN;

	if (memcmp(buf, udsp_hello, n) != 0)
		return HELLO_NO;
	return len >= HELLO_LEN ? HELLO_YES : HELLO_PARTIAL;
}

/* Parses whole frames out of data; returns the status that stopped it
 * and sets *used to the bytes consumed by delivered frames. */
static int deliver(const unsigned char *data, size_t len, frame_cb cb, void *ctx, size_t *used)
{
	struct frame f;
	size_t n;
	int st;

	*used = 0;
	while ((st = frame_parse(data + *used, len - *used, &f, &n)) == FRAME_OK) {
		cb(ctx, &f);
		*used += n;
	}
	return st;
}

/* Completes the pending partial frame from data; returns bytes taken. */
static size_t complete_pending(struct framebuf *fb, const unsigned char *data, size_t len,
			       frame_cb cb, void *ctx, int *st)
{
	size_t want, take, used;

	/* Header first, then exactly the rest of this one frame. */
	want = FRAME_HDR;
	if (fb->len >= FRAME_HDR)
		want += (size_t)fb->buf[2] << 8 | fb->buf[3];
	else if (fb->len + len >= FRAME_HDR) {
		unsigned char hdr[FRAME_HDR];

		memcpy(hdr, fb->buf, fb->len);
		memcpy(hdr + fb->len, data, FRAME_HDR - fb->len);
		want += (size_t)hdr[2] << 8 | hdr[3];
	}
	if (want > FRAME_HDR + UDSP_DGRAM_MAX)
		want = FRAME_HDR + UDSP_DGRAM_MAX + 1;	/* let frame_parse refuse it */
	take = want - fb->len < len ? want - fb->len : len;
	memcpy(fb->buf + fb->len, data, take);
	fb->len += take;
	*st = deliver(fb->buf, fb->len, cb, ctx, &used);
	if (used) {
		fb->len = 0;
		*st = FRAME_NEED_MORE;
	}
	return take;
}

int framebuf_feed(struct framebuf *fb, const unsigned char *data, size_t len, frame_cb cb,
		  void *ctx)
{
	size_t used = 0, take;
	int st = FRAME_NEED_MORE;

	if (fb->len) {
		take = complete_pending(fb, data, len, cb, ctx, &st);
		data += take;
		len -= take;
		if (st != FRAME_NEED_MORE || fb->len)
			return st;
	}
	st = deliver(data, len, cb, ctx, &used);
	if (st != FRAME_NEED_MORE || used == len) {
		if (fb->len == 0)
			framebuf_free(fb);
		return st;
	}
	if (!fb->buf) {
		fb->buf = malloc(FRAME_HDR + UDSP_DGRAM_MAX + 1);
		if (!fb->buf)
			return -1;
	}
	memcpy(fb->buf, data + used, len - used);
	fb->len = len - used;
	return FRAME_NEED_MORE;
}

void framebuf_free(struct framebuf *fb)
{
	free(fb->buf);
	fb->buf = NULL;
	fb->len = 0;
}
