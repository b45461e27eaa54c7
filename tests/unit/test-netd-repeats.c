/* The repeat filter (netd/kernel/repeats.c), run by the kernel: each
 * program is attached to one end of a UNIX datagram pair, and the
 * messages netd would get are sent through it. */
#include "check.h"
#include "repeats.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

static uint8_t msg[2048];
static size_t msg_len;

static void put(const void *p, size_t n)
{
	memcpy(msg + msg_len, p, n);
	msg_len += n;
}

static void attr(uint16_t type, const void *data, uint16_t n)
{
	struct rtattr a = { .rta_len = (unsigned short)(RTA_LENGTH(n)), .rta_type = type };

	put(&a, sizeof(a));
	put(data, n);
}

static void header(uint16_t type)
{
	struct nlmsghdr h = { .nlmsg_type = type };

	msg_len = 0;
	put(&h, sizeof(h));
}

static void finish(void)
{
	((struct nlmsghdr *)(void *)msg)->nlmsg_len = (uint32_t)msg_len;
}

/* An address message as the kernel writes one: the address first, then
 * its lifetimes and its flags. */
static void addr6(uint16_t type, int ifindex, const char *ip, uint8_t flags, uint32_t valid_s)
{
	struct ifaddrmsg m = { .ifa_family = AF_INET6, .ifa_prefixlen = 64, .ifa_flags = flags,
			       .ifa_index = (uint32_t)ifindex };
	struct ifa_cacheinfo ci = { .ifa_prefered = valid_s / 2, .ifa_valid = valid_s, .tstamp = valid_s * 7 };
	uint32_t f = flags | IFA_F_MANAGETEMPADDR;
	struct in6_addr a;

	inet_pton(AF_INET6, ip, &a);
	header(type);
	put(&m, sizeof(m));
	attr(IFA_ADDRESS, &a, sizeof(a));
	attr(IFA_CACHEINFO, &ci, sizeof(ci));
	attr(IFA_FLAGS, &f, sizeof(f));
	finish();
}

static void addr4(int ifindex, const char *ip)
{
	struct ifaddrmsg m = { .ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = (uint32_t)ifindex };
	struct in_addr a;

	inet_pton(AF_INET, ip, &a);
	header(RTM_NEWADDR);
	put(&m, sizeof(m));
	attr(IFA_ADDRESS, &a, sizeof(a));
	attr(IFA_LOCAL, &a, sizeof(a));
	finish();
}

/* An RDNSS option from router, with n servers 2001:db8:53::1... */
static void rdnss(int ifindex, const char *router, uint32_t lifetime_s, unsigned n)
{
	struct nduseroptmsg m = { .nduseropt_family = AF_INET6, .nduseropt_ifindex = ifindex,
				  .nduseropt_icmp_type = 134,
				  .nduseropt_opts_len = (uint16_t)(8 + 16 * n) };
	uint8_t opt[8] = { 25, (uint8_t)(1 + 2 * n), 0, 0, (uint8_t)(lifetime_s >> 24),
			   (uint8_t)(lifetime_s >> 16), (uint8_t)(lifetime_s >> 8), (uint8_t)lifetime_s };
	struct in6_addr a;

	header(RTM_NEWNDUSEROPT);
	put(&m, sizeof(m));
	put(opt, sizeof(opt));
	for (unsigned k = 0; k < n; k++) {
		inet_pton(AF_INET6, "2001:db8:53::1", &a);
		a.s6_addr[15] = (uint8_t)(k + 1);
		put(&a, sizeof(a));
	}
	inet_pton(AF_INET6, router, &a);
	attr(NDUSEROPT_SRCADDR, &a, sizeof(a));
	finish();
}

/* ---- the kernel runs the program -------------------------------------------------- */

/* The guest's kernel (6.12) gives a socket 128 KiB of option memory,
 * Debian 12's own (6.1) 20 KiB: too little for a full table. The test
 * gives the machine it runs on the guest's figure while it runs. */
#define GUEST_OPTMEM 131072
static const char optmem_path[] = "/proc/sys/net/core/optmem_max";
static long optmem_before = -1;

static long optmem(long set)
{
	FILE *f = fopen(optmem_path, set ? "w" : "r");
	long v = -1;

	if (!f)
		return -1;
	if (set)
		v = fprintf(f, "%ld\n", set) > 0 ? set : -1;
	else if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	return fclose(f) == 0 ? v : -1;
}

static void optmem_restore(void)
{
	optmem(optmem_before);
}

static void guest_optmem(void)
{
	optmem_before = optmem(0);
	if (optmem_before < 0 || optmem_before >= GUEST_OPTMEM)
		return;
	if (optmem(GUEST_OPTMEM) < 0)
		CHECK_FAIL("%s is %ld and cannot be raised to the guest's %d (run as root)", optmem_path,
			   optmem_before, GUEST_OPTMEM);
	else
		atexit(optmem_restore);
}

static int pair[2] = { -1, -1 };

static void install(const struct repeats *t)
{
	static struct sock_filter prog[REPEATS_PROGRAM_MAX];
	struct sock_fprog fprog = { .filter = prog };

	if (optmem_before < 0)
		guest_optmem();
	if (pair[0] < 0 && socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, pair) < 0)
		CHECK_FAIL("socketpair: %s", strerror(errno));
	fprog.len = (unsigned short)repeats_program(t, prog, REPEATS_PROGRAM_MAX);
	CHECK(fprog.len > 0);
	if (setsockopt(pair[1], SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog)) < 0)
		CHECK_FAIL("the kernel refused the program (%u instructions): %s", fprog.len, strerror(errno));
}

/* Whether the current message gets through the installed program. */
static int passes(void)
{
	uint8_t in[sizeof(msg)];

	CHECK_INT(send(pair[0], msg, msg_len, 0), (long long)msg_len);
	return recv(pair[1], in, sizeof(in), 0) == (ssize_t)msg_len;
}

static enum repeat_change note_addr(struct repeats *t)
{
	return repeats_addr6(t, msg, msg_len);
}

TEST(repeats_drop_an_address_refresh_and_pass_its_changes)
{
	struct repeats t = { 0 };

	install(&t);
	addr6(RTM_NEWADDR, 3, "2001:db8:50::2", 0, 1800);
	CHECK(passes());
	CHECK_INT(note_addr(&t), REPEATS_GREW);
	install(&t);
	/* the refresh of every advertisement: other lifetimes only */
	addr6(RTM_NEWADDR, 3, "2001:db8:50::2", 0, 1790);
	CHECK(!passes());
	CHECK_INT(note_addr(&t), REPEATS_SAME);
	/* the same address elsewhere, another address, another state */
	addr6(RTM_NEWADDR, 4, "2001:db8:50::2", 0, 1800);
	CHECK(passes());
	addr6(RTM_NEWADDR, 3, "2001:db8:50::3", IFA_F_TEMPORARY, 1800);
	CHECK(passes());
	addr6(RTM_NEWADDR, 3, "2001:db8:50::2", IFA_F_DEPRECATED, 1800);
	CHECK(passes());
	/* a change of what was dropped: the seam must dump again */
	CHECK_INT(note_addr(&t), REPEATS_RESYNC);
	install(&t);
	CHECK(!passes());
	addr6(RTM_NEWADDR, 3, "2001:db8:50::2", 0, 1800);
	CHECK(passes());
}

TEST(repeats_pass_an_address_again_after_it_went)
{
	struct repeats t = { 0 };

	addr6(RTM_NEWADDR, 3, "2001:db8:50::2", 0, 1800);
	note_addr(&t);
	install(&t);
	addr6(RTM_DELADDR, 3, "2001:db8:50::2", 0, 1800);
	CHECK(passes());
	CHECK_INT(note_addr(&t), REPEATS_RESYNC);
	install(&t);
	addr6(RTM_NEWADDR, 3, "2001:db8:50::2", 0, 1800);
	CHECK(passes());
	/* gone again when it was not there: nothing to do */
	addr6(RTM_DELADDR, 3, "2001:db8:50::9", 0, 1800);
	CHECK_INT(note_addr(&t), REPEATS_SAME);
}

TEST(repeats_leave_ipv4_and_short_messages_alone)
{
	struct repeats t = { 0 };

	addr6(RTM_NEWADDR, 3, "2001:db8:50::2", 0, 1800);
	note_addr(&t);
	install(&t);
	addr4(3, "192.168.50.2");
	CHECK_INT(note_addr(&t), REPEATS_SAME);
	CHECK(passes());
	CHECK(passes());
	/* shorter than what an entry compares: the program must not read past it */
	header(RTM_NEWADDR);
	put("\x0a\x40\x00\x00", 4);
	finish();
	CHECK(passes());
	CHECK_INT(note_addr(&t), REPEATS_SAME);
	/* a link event of the same length as the address's first bytes */
	header(RTM_NEWLINK);
	put(msg + 16, 40);
	finish();
	CHECK(passes());
}

TEST(repeats_pass_addresses_beyond_the_table)
{
	struct repeats t = { 0 };
	char ip[64];

	for (unsigned k = 0; k < REPEATS_MAX; k++) {
		snprintf(ip, sizeof(ip), "2001:db8:50::%x", k + 1);
		addr6(RTM_NEWADDR, 3, ip, 0, 1800);
		CHECK_INT(note_addr(&t), REPEATS_GREW);
	}
	install(&t);
	CHECK(!passes());
	addr6(RTM_NEWADDR, 3, "2001:db8:50::ffff", 0, 1800);
	CHECK_INT(note_addr(&t), REPEATS_SAME);
	install(&t);
	CHECK(passes());
	CHECK(passes());
}

TEST(repeats_drop_an_option_until_its_deadline)
{
	struct repeats t = { 0 };
	int changed = 0;

	rdnss(3, "fe80::50", 1800, 2);
	CHECK_INT(repeats_ndopt(&t, msg, msg_len, 900000), REPEATS_GREW);
	install(&t);
	CHECK(!passes());
	/* seen again before the filter was in: a later deadline, the same program */
	CHECK_INT(repeats_ndopt(&t, msg, msg_len, 950000), REPEATS_SAME);
	CHECK_INT(repeats_expire(&t, 900000, &changed), 950000);
	CHECK(!changed);
	CHECK_INT(repeats_expire(&t, 950000, &changed), 0);
	CHECK(changed);
	install(&t);
	CHECK(passes());
}

TEST(repeats_pass_a_changed_option_and_what_it_replaced)
{
	struct repeats t = { 0 };

	rdnss(3, "fe80::50", 1800, 2);
	repeats_ndopt(&t, msg, msg_len, 900000);
	/* another router's, the same servers: both are dropped */
	rdnss(3, "fe80::51", 1800, 2);
	CHECK_INT(repeats_ndopt(&t, msg, msg_len, 900000), REPEATS_GREW);
	install(&t);
	CHECK(!passes());
	/* the first router withdraws its servers: passed, and not kept */
	rdnss(3, "fe80::50", 0, 2);
	CHECK(passes());
	CHECK_INT(repeats_ndopt(&t, msg, msg_len, 0), REPEATS_GREW);
	install(&t);
	/* so its servers, advertised again as before, reach netd */
	rdnss(3, "fe80::50", 1800, 2);
	CHECK(passes());
	rdnss(3, "fe80::51", 1800, 2);
	CHECK(!passes());
	/* on another link, the same bytes are news */
	rdnss(4, "fe80::51", 1800, 2);
	CHECK(passes());
}

TEST(repeats_forget_options_when_netd_forgets)
{
	struct repeats t = { 0 };

	addr6(RTM_NEWADDR, 3, "2001:db8:50::2", 0, 1800);
	note_addr(&t);
	rdnss(3, "fe80::50", 1800, 1);
	repeats_ndopt(&t, msg, msg_len, 900000);
	install(&t);
	CHECK(!passes());
	CHECK_INT(repeats_forget_ndopt(&t), REPEATS_GREW);
	CHECK_INT(repeats_forget_ndopt(&t), REPEATS_SAME);
	install(&t);
	CHECK(passes());
	addr6(RTM_NEWADDR, 3, "2001:db8:50::2", 0, 1790);
	CHECK(!passes());	/* the addresses stay */
	repeats_forget_addr6(&t);
	install(&t);
	CHECK(passes());
}

TEST(repeats_keep_no_option_too_large_to_compare)
{
	struct repeats t = { 0 };

	rdnss(3, "fe80::50", 1800, 4);	/* 16 + 8 + 64 + 20 bytes of body */
	CHECK_INT(repeats_ndopt(&t, msg, msg_len, 900000), REPEATS_SAME);
	install(&t);
	CHECK(passes());
}

TEST(repeats_program_of_a_full_table_is_taken_by_the_kernel)
{
	struct repeats t = { 0 };
	char router[64];
	unsigned n = 0;

	close(pair[1]);		/* a socket of its own: nothing of the earlier filters charged */
	close(pair[0]);
	pair[0] = pair[1] = -1;

	/* the largest body kept: 16 + 8 + 48 + 20 = 92 bytes */
	for (unsigned k = 0; k < REPEATS_MAX; k++) {
		snprintf(router, sizeof(router), "fe80::%x", k + 1);
		rdnss(3, router, 1800, 3);
		CHECK(msg_len - 16 <= REPEAT_BODY_MAX);
		CHECK_INT(repeats_ndopt(&t, msg, msg_len, 900000 + k), REPEATS_GREW);
	}
	CHECK_INT(t.n, REPEATS_MAX);
	install(&t);
	CHECK(!passes());
	rdnss(3, "fe80::1", 1800, 3);
	CHECK(!passes());
	/* full: a new one takes the place of the one due first (fe80::1's) */
	rdnss(3, "fe80::99", 1800, 3);
	CHECK(passes());
	CHECK_INT(repeats_ndopt(&t, msg, msg_len, 990000), REPEATS_GREW);
	install(&t);
	CHECK(!passes());
	rdnss(3, "fe80::1", 1800, 3);
	CHECK(passes());
	for (unsigned k = 0; k < t.n; k++)
		n += t.r[k].kind == REPEAT_NDOPT;
	CHECK_INT(n, REPEATS_MAX);
}
