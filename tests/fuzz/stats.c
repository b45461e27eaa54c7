/* Linked into every fuzz target by tests/fuzz/run, which renames the
 * target's own entry point to fuzz_target_one: counts the inputs run, the
 * largest one and those of 32 KiB or more, and prints them when the fuzzer
 * exits. A run that never came near the size limits must show it, not
 * pass quietly; one that ran a 64 KiB seed once and nothing big after
 * shows that too. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#undef LLVMFuzzerTestOneInput

int fuzz_target_one(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BIG (32 * 1024)

static unsigned long long execs, big;
static size_t largest;

static void report(void)
{
	fprintf(stderr, "fuzz-stats: execs=%llu largest_input=%zu inputs_over_32k=%llu\n", execs,
		largest, big);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!execs++)
		atexit(report);	/* libFuzzer ends a bounded run with exit() */
	if (size > largest)
		largest = size;
	big += size >= BIG;
	return fuzz_target_one(data, size);
}
