// SRCS: uds-passthru/frame.c
/* The frame reassembler on arbitrary bytes, cut at arbitrary places. The
 * first input byte seeds the cuts. Whatever the input and the cuts, the
 * frames delivered and the final verdict must be those of the whole
 * stream fed at once: TCP may segment or coalesce as it likes. Every
 * frame delivered is within the limits, and nothing leaks. */
#include "../../uds-passthru/frame.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct digest {
	size_t frames, bytes;
	uint32_t hash;
};

static void collect(void *ctx, const struct frame *f)
{
	struct digest *d = ctx;

	if (f->len > UDSP_DGRAM_MAX || (f->type != FRAME_DGRAM && f->type != FRAME_RESET))
		abort();
	d->frames++;
	d->bytes += f->len;
	d->hash = d->hash * 31 + (uint32_t)f->type + (uint32_t)f->len;
	for (size_t i = 0; i < f->len; i++)
		d->hash = d->hash * 131 + f->data[i];
}

static int feed_whole(const uint8_t *s, size_t n, struct digest *d)
{
	struct framebuf fb = { 0 };
	int st = framebuf_feed(&fb, s, n, collect, d);

	framebuf_free(&fb);
	return st;
}

static int feed_cut(const uint8_t *s, size_t n, unsigned seed, struct digest *d)
{
	struct framebuf fb = { 0 };
	size_t pos = 0;
	int st = FRAME_NEED_MORE;

	while (pos < n && st == FRAME_NEED_MORE) {
		size_t cut;

		seed = seed * 1103515245u + 12345u;
		cut = 1 + (seed >> 16) % 37;
		if (cut > n - pos)
			cut = n - pos;
		st = framebuf_feed(&fb, s + pos, cut, collect, d);
		pos += cut;
	}
	framebuf_free(&fb);
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct digest whole = { 0 }, cut = { 0 };
	int a, b;

	if (size < 1)
		return 0;
	a = feed_whole(data + 1, size - 1, &whole);
	b = feed_cut(data + 1, size - 1, data[0], &cut);
	if (a != b || whole.frames != cut.frames || whole.bytes != cut.bytes ||
	    whole.hash != cut.hash)
		abort();
	(void)hello_check(data, size);
	return 0;
}
