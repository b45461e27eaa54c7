// SRCS: netd/kernel/repeats.c
/* rtnetlink messages as the repeat filter's table reads them (issue 18):
 * address events and router advertisement options, whose bytes come in
 * part from the Wi-Fi network. The input is a list of records: one byte
 * that says what to do, two of length (little-endian), the message. After
 * each, the table holds only what the program can compare, the program
 * fits its bound and every jump lands inside it, and what was just kept
 * is a repeat at once. */
#include "repeats.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t msg[65536];
static struct sock_filter prog[REPEATS_PROGRAM_MAX];

static void check_program(const struct repeats *t)
{
	unsigned n = repeats_program(t, prog, REPEATS_PROGRAM_MAX);

	if (!n || prog[n - 1].code != (BPF_RET | BPF_K))
		abort();
	for (unsigned pc = 0; pc < n; pc++)
		if (BPF_CLASS(prog[pc].code) == BPF_JMP &&
		    (pc + 1 + prog[pc].jt >= n || pc + 1 + prog[pc].jf >= n))
			abort();
	if (t->n > REPEATS_MAX)
		abort();
	for (unsigned k = 0; k < t->n; k++)
		if (t->r[k].len > REPEAT_BODY_MAX || t->r[k].len % 4 || !t->r[k].len)
			abort();
}

static void one(uint8_t op, size_t len, uint64_t *now, struct repeats *t)
{
	int changed = 0;
	uint64_t next;

	switch (op % 4) {
	case 0:
		repeats_addr6(t, msg, len);
		if (repeats_addr6(t, msg, len) != REPEATS_SAME)
			abort();
		break;
	case 1:
		repeats_ndopt(t, msg, len, *now + 1 + op);
		if (repeats_ndopt(t, msg, len, *now + 1 + op) != REPEATS_SAME)
			abort();
		break;
	case 2:
		*now += op;
		next = repeats_expire(t, *now, &changed);
		if (next && next <= *now)
			abort();
		break;
	case 3:
		repeats_forget_ndopt(t);
		if (op & 4)
			repeats_forget_addr6(t);
		break;
	}
	check_program(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct repeats t;
	uint64_t now = 0;
	size_t off = 0;

	memset(&t, 0, sizeof(t));
	while (off + 3 <= size) {
		uint8_t op = data[off];
		size_t len = (size_t)data[off + 1] | (size_t)data[off + 2] << 8;

		off += 3;
		if (len > size - off)
			len = size - off;
		memcpy(msg, data + off, len);
		off += len;
		one(op, len, &now, &t);
	}
	return 0;
}
