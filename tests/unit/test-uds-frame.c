#include "check.h"
#include "../../uds-passthru/frame.h"

#include <stdlib.h>

/* What the frame callback saw, to compare with what was sent. */
struct seen {
	int n;
	int types[64];
	size_t lens[64];
	unsigned char *data[64];
};

static void collect(void *ctx, const struct frame *f)
{
	struct seen *s = ctx;

	if (s->n == 64)
		return;
	s->types[s->n] = f->type;
	s->lens[s->n] = f->len;
	s->data[s->n] = malloc(f->len + 1);
	memcpy(s->data[s->n], f->data, f->len);
	s->n++;
}

static void seen_free(struct seen *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->data[i]);
	s->n = 0;
}

/* A stream of n frames of varied sizes (up to the maximum); *len set. */
static unsigned char *make_stream(int n, size_t *len, size_t *sizes)
{
	unsigned char *buf = malloc((size_t)n * (FRAME_HDR + UDSP_DGRAM_MAX));
	size_t pos = 0;

	for (int i = 0; i < n; i++) {
		size_t sz = i == 3 ? UDSP_DGRAM_MAX : i == 4 ? 0 : (size_t)(i * 977) % 5000;

		sizes[i] = sz;
		frame_header(buf + pos, i == 5 ? FRAME_RESET : FRAME_DGRAM, sz);
		pos += FRAME_HDR;
		for (size_t j = 0; j < sz; j++)
			buf[pos + j] = (unsigned char)(i * 31 + j);
		pos += sz;
	}
	*len = pos;
	return buf;
}

TEST(frame_parse_one)
{
	unsigned char buf[8];
	struct frame f;
	size_t used = 0;

	frame_header(buf, FRAME_DGRAM, 4);
	memcpy(buf + 4, "PING", 4);
	CHECK_INT(frame_parse(buf, 3, &f, &used), FRAME_NEED_MORE);
	CHECK_INT(frame_parse(buf, 7, &f, &used), FRAME_NEED_MORE);
	CHECK_INT(frame_parse(buf, 8, &f, &used), FRAME_OK);
	CHECK_INT(used, 8);
	CHECK_INT(f.len, 4);
	CHECK(memcmp(f.data, "PING", 4) == 0);
	CHECK_INT(f.type, FRAME_DGRAM);
}

TEST(frame_parse_refuses_garbage_early)
{
	unsigned char buf[4] = { 'X', 0, 0, 0 };
	struct frame f;
	size_t used;

	/* One byte is enough to see a bad type: no waiting for more. */
	CHECK_INT(frame_parse(buf, 1, &f, &used), FRAME_BAD_TYPE);
	buf[0] = 'D';
	buf[1] = 7;
	CHECK_INT(frame_parse(buf, 2, &f, &used), FRAME_BAD_RESERVED);
	frame_header(buf, FRAME_DGRAM, UDSP_DGRAM_MAX + 1);
	CHECK_INT(frame_parse(buf, 4, &f, &used), FRAME_TOO_LONG);
	frame_header(buf, FRAME_DGRAM, UDSP_DGRAM_MAX);
	CHECK_INT(frame_parse(buf, 4, &f, &used), FRAME_NEED_MORE);
}

TEST(frame_hello)
{
	CHECK_INT(HELLO_LEN, 16);
	CHECK_INT(udsp_hello[0], 0);
	CHECK_INT(hello_check(udsp_hello, HELLO_LEN), HELLO_YES);
	CHECK_INT(hello_check(udsp_hello, 5), HELLO_PARTIAL);
	CHECK_INT(hello_check((const unsigned char *)"UNKNOWN COMMAND\n", 16), HELLO_NO);
	CHECK_INT(hello_check((const unsigned char *)"\0uds-passthru/2\n", 16), HELLO_NO);
}

/* Whatever the cuts (TCP segmentation) and however much arrives at once
 * (coalescing), the same frames come out. */
TEST(framebuf_survives_any_segmentation)
{
	size_t sizes[12], len;
	unsigned char *stream = make_stream(12, &len, sizes);
	struct framebuf fb = { 0 };
	struct seen s = { 0 };
	unsigned seed = 12345;

	for (int round = 0; round < 200; round++) {
		size_t pos = 0;

		while (pos < len) {
			size_t cut;

			seed = seed * 1103515245u + 12345u;
			cut = round == 0 ? 1 : round == 1 ? len : 1 + (seed >> 8) % (round * 97);
			if (cut > len - pos)
				cut = len - pos;
			CHECK_INT(framebuf_feed(&fb, stream + pos, cut, collect, &s), FRAME_NEED_MORE);
			pos += cut;
		}
		CHECK_INT(s.n, 12);
		for (int i = 0; i < s.n && i < 12; i++) {
			CHECK_INT(s.lens[i], sizes[i]);
			CHECK_INT(s.types[i], i == 5 ? FRAME_RESET : FRAME_DGRAM);
			for (size_t j = 0; j < sizes[i]; j++)
				if (s.data[i][j] != (unsigned char)(i * 31 + j)) {
					CHECK_FAIL("round %d frame %d byte %zu differs", round, i, j);
					break;
				}
		}
		CHECK_INT(fb.len, 0);
		CHECK(fb.buf == NULL);	/* no memory held between frames */
		seen_free(&s);
	}
	free(stream);
}

TEST(framebuf_stops_at_garbage)
{
	unsigned char buf[16];
	struct framebuf fb = { 0 };
	struct seen s = { 0 };

	frame_header(buf, FRAME_DGRAM, 2);
	memcpy(buf + 4, "ok", 2);
	memcpy(buf + 6, "GARBAGE!", 8);
	CHECK_INT(framebuf_feed(&fb, buf, 14, collect, &s), FRAME_BAD_TYPE);
	CHECK_INT(s.n, 1);
	seen_free(&s);
	framebuf_free(&fb);
	/* A bad length seen across a cut. */
	frame_header(buf, FRAME_DGRAM, UDSP_DGRAM_MAX + 1);
	CHECK_INT(framebuf_feed(&fb, buf, 3, collect, &s), FRAME_NEED_MORE);
	CHECK_INT(framebuf_feed(&fb, buf + 3, 1, collect, &s), FRAME_TOO_LONG);
	CHECK_INT(s.n, 0);
	framebuf_free(&fb);
}
