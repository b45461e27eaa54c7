/* A tiny unit-test harness. Each test file defines TEST(name) functions and
 * includes this header once; main() runs them all and prints TAP:
 * "ok N - name" or "not ok N - name", then "# N passed, N failed". */
#ifndef WB_CHECK_H
#define WB_CHECK_H

#include <stdio.h>
#include <string.h>

struct check_test {
	const char *name;
	void (*fn)(void);
	struct check_test *next;
};

static struct check_test *check_tests, **check_tail = &check_tests;
static int check_failed_now;

#define TEST(name)                                                            \
	static void name(void);                                               \
	static struct check_test check_##name = { #name, name, NULL };       \
	__attribute__((constructor)) static void check_register_##name(void) \
	{                                                                     \
		*check_tail = &check_##name;                                  \
		check_tail = &check_##name.next;                              \
	}                                                                     \
	static void name(void)

#define CHECK_FAIL(...)                                                       \
	do {                                                                  \
		printf("#   %s:%d: ", __FILE__, __LINE__);                       \
		printf(__VA_ARGS__);                                          \
		printf("\n");                                                 \
		check_failed_now = 1;                                         \
	} while (0)

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond))                                                  \
			CHECK_FAIL("CHECK(%s) failed", #cond);                \
	} while (0)

#define CHECK_INT(a, b)                                                       \
	do {                                                                  \
		long long check_a = (long long)(a), check_b = (long long)(b); \
		if (check_a != check_b)                                       \
			CHECK_FAIL("%s == %lld, expected %s == %lld", #a,        \
				   check_a, #b, check_b);                     \
	} while (0)

#define CHECK_STR(a, b)                                                       \
	do {                                                                  \
		const char *check_a = (a), *check_b = (b);                   \
		if (!check_a || !check_b || strcmp(check_a, check_b) != 0)    \
			CHECK_FAIL("%s == \"%s\", expected \"%s\"", #a,          \
				   check_a ? check_a : "(null)",              \
				   check_b ? check_b : "(null)");             \
	} while (0)

/* True when haystack contains needle. */
#define CHECK_CONTAINS(haystack, needle)                                      \
	do {                                                                  \
		const char *check_h = (haystack), *check_n = (needle);       \
		if (!check_h || !strstr(check_h, check_n))                    \
			CHECK_FAIL("%s does not contain \"%s\": \"%s\"", #haystack, \
				   check_n, check_h ? check_h : "(null)");    \
	} while (0)

int main(void)
{
	struct check_test *t;
	int n = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (t = check_tests; t; t = t->next) {
		check_failed_now = 0;
		t->fn();
		n++;
		failed += check_failed_now;
		printf("%s %d - %s\n", check_failed_now ? "not ok" : "ok", n, t->name);
	}
	printf("1..%d\n# %d passed, %d failed\n", n, n - failed, failed);
	return failed ? 1 : 0;
}

#endif
