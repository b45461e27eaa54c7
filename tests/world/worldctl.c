/* worldctl: the test bench's helper for the simulated world inside the
 * guest. Never part of the image: it reaches the guest on the `testworld`
 * 9P share. It creates mac80211_hwsim radios (optionally without an
 * interface, so that netd never sees them), moves a radio into another
 * network namespace and adds an interface there.
 *
 *   worldctl new-radio NAME [novif]   create a radio (its wiphy is NAME)
 *   worldctl del-radio NAME
 *   worldctl netns NAME PID           move wiphy NAME into PID's netns
 *   worldctl add-if NAME IFNAME       add a station interface on NAME
 *   worldctl wait-phy NAME MS         wait until NAME is in this netns
 */
#include <errno.h>
#include <linux/nl80211.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* From the kernel's drivers/net/wireless/virtual/mac80211_hwsim.h: the
 * generic netlink ABI of mac80211_hwsim, which has no UAPI header. */
enum {
	HWSIM_CMD_NEW_RADIO = 4,
	HWSIM_CMD_DEL_RADIO = 5,
};
enum {
	HWSIM_ATTR_RADIO_NAME = 17,
	HWSIM_ATTR_NO_VIF = 18,
};

static struct nl_sock *sk;

static int connect_family(const char *name)
{
	int family;

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk) < 0) {
		fprintf(stderr, "worldctl: cannot open a generic netlink socket\n");
		exit(111);
	}
	family = genl_ctrl_resolve(sk, name);
	if (family < 0) {
		fprintf(stderr, "worldctl: generic netlink family %s not found (module loaded?)\n", name);
		exit(111);
	}
	return family;
}

static int ack_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	(void)nla;
	*(int *)arg = err->error;
	return NL_STOP;
}

static int ack_ok(struct nl_msg *msg, void *arg)
{
	(void)msg;
	*(int *)arg = 0;
	return NL_STOP;
}

/* Sends msg and returns the kernel's answer: 0, a positive value (hwsim
 * answers NEW_RADIO with the radio's index) or -errno. */
static int transact(struct nl_msg *msg, nl_recvmsg_msg_cb_t on_valid, void *arg)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int result = 1 << 30;

	nl_cb_err(cb, NL_CB_CUSTOM, ack_error, &result);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_ok, &result);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, ack_ok, &result);
	if (on_valid)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, arg);
	if (nl_send_auto(sk, msg) < 0)
		result = -EIO;
	/* libnl reports an error for any non-zero ack, after our callback has
	 * recorded it: keep what the callback saw. */
	while (result == 1 << 30)
		if (nl_recvmsgs(sk, cb) < 0 && result == 1 << 30)
			result = -EIO;
	nl_cb_put(cb);
	nlmsg_free(msg);
	return result;
}

static struct nl_msg *new_msg(int family, int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, (uint8_t)cmd, 0);
	return msg;
}

struct find_wiphy {
	const char *name;
	int index;
};

static int wiphy_seen(struct nl_msg *msg, void *arg)
{
	struct find_wiphy *f = arg;
	struct nlattr *tb[NL80211_ATTR_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));

	nla_parse(tb, NL80211_ATTR_MAX, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), NULL);
	if (tb[NL80211_ATTR_WIPHY_NAME] && tb[NL80211_ATTR_WIPHY] &&
	    strcmp(nla_get_string(tb[NL80211_ATTR_WIPHY_NAME]), f->name) == 0)
		f->index = (int)nla_get_u32(tb[NL80211_ATTR_WIPHY]);
	return NL_OK;
}

static int wiphy_index(int nl80211, const char *name)
{
	struct find_wiphy f = { name, -1 };

	transact(new_msg(nl80211, NL80211_CMD_GET_WIPHY, NLM_F_DUMP), wiphy_seen, &f);
	return f.index;
}

static int need_wiphy(int nl80211, const char *name)
{
	int idx = wiphy_index(nl80211, name);

	if (idx < 0) {
		fprintf(stderr, "worldctl: no wiphy named %s in this network namespace\n", name);
		exit(1);
	}
	return idx;
}

static int cmd_new_radio(int argc, char **argv)
{
	int family = connect_family("MAC80211_HWSIM");
	struct nl_msg *msg = new_msg(family, HWSIM_CMD_NEW_RADIO, 0);
	int rc;

	nla_put_string(msg, HWSIM_ATTR_RADIO_NAME, argv[0]);
	if (argc > 1 && strcmp(argv[1], "novif") == 0)
		nla_put_flag(msg, HWSIM_ATTR_NO_VIF);
	rc = transact(msg, NULL, NULL);
	if (rc < 0) {
		fprintf(stderr, "worldctl: new-radio %s: %s\n", argv[0], strerror(-rc));
		return 1;
	}
	printf("%s\n", argv[0]);
	return 0;
}

static int cmd_del_radio(int argc, char **argv)
{
	int family = connect_family("MAC80211_HWSIM");
	struct nl_msg *msg = new_msg(family, HWSIM_CMD_DEL_RADIO, 0);
	int rc;

	(void)argc;
	nla_put_string(msg, HWSIM_ATTR_RADIO_NAME, argv[0]);
	rc = transact(msg, NULL, NULL);
	if (rc < 0)
		fprintf(stderr, "worldctl: del-radio %s: %s\n", argv[0], strerror(-rc));
	return rc < 0;
}

static int cmd_netns(int argc, char **argv)
{
	int nl80211 = connect_family("nl80211");
	struct nl_msg *msg = new_msg(nl80211, NL80211_CMD_SET_WIPHY_NETNS, 0);
	int rc;

	(void)argc;
	nla_put_u32(msg, NL80211_ATTR_WIPHY, (uint32_t)need_wiphy(nl80211, argv[0]));
	nla_put_u32(msg, NL80211_ATTR_PID, (uint32_t)atoi(argv[1]));
	rc = transact(msg, NULL, NULL);
	if (rc < 0)
		fprintf(stderr, "worldctl: netns %s %s: %s\n", argv[0], argv[1], strerror(-rc));
	return rc < 0;
}

static int cmd_add_if(int argc, char **argv)
{
	int nl80211 = connect_family("nl80211");
	struct nl_msg *msg = new_msg(nl80211, NL80211_CMD_NEW_INTERFACE, 0);
	int rc;

	(void)argc;
	nla_put_u32(msg, NL80211_ATTR_WIPHY, (uint32_t)need_wiphy(nl80211, argv[0]));
	nla_put_string(msg, NL80211_ATTR_IFNAME, argv[1]);
	nla_put_u32(msg, NL80211_ATTR_IFTYPE, NL80211_IFTYPE_STATION);
	rc = transact(msg, NULL, NULL);
	if (rc < 0)
		fprintf(stderr, "worldctl: add-if %s %s: %s\n", argv[0], argv[1], strerror(-rc));
	return rc < 0;
}

/* Test tooling: a short poll is fine here (the daemons under test never poll). */
static int cmd_wait_phy(int argc, char **argv)
{
	int nl80211 = connect_family("nl80211");
	long ms = argc > 1 ? atol(argv[1]) : 10000;
	struct timespec step = { 0, 20 * 1000 * 1000 };

	for (; ms > 0; ms -= 20) {
		if (wiphy_index(nl80211, argv[0]) >= 0)
			return 0;
		nanosleep(&step, NULL);
	}
	fprintf(stderr, "worldctl: wiphy %s did not appear\n", argv[0]);
	return 1;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int min_args;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "new-radio", 1, cmd_new_radio }, { "del-radio", 1, cmd_del_radio },
		{ "netns", 2, cmd_netns }, { "add-if", 2, cmd_add_if },
		{ "wait-phy", 1, cmd_wait_phy },
	};

	for (size_t i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0 && argc - 2 >= cmds[i].min_args)
			return cmds[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "usage: worldctl new-radio NAME [novif] | del-radio NAME | netns NAME PID |"
			" add-if NAME IFNAME | wait-phy NAME [MS]\n");
	return 100;
}
