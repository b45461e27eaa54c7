/* Wi-Fi interfaces and the regulatory domain through nl80211 (libnl-genl),
 * done event-first as iwd does: join the "config" multicast group, then
 * dump the interfaces. nl80211 itself may appear late (cfg80211 as a
 * module that loads with the driver): then the nlctrl "notify" group
 * tells us when the family is registered, and we start over from there.
 * Dumps and requests use separate sockets, as in system-rtnl.c. */
#include "system-impl.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>

#include <linux/genetlink.h>
#include <linux/nl80211.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "log.h"
#include "loop.h"

static struct nl_sock *ev_sk, *dump_sk, *req_sk;
static struct loop_fd ev_lfd = { .fd = -1 };
static const struct sys_handlers *handlers;
static int family = -1;

/* Only interfaces a station or an access point can run on; P2P devices
 * (no netdev) and monitors are not candidates. */
static int usable_type(uint32_t t)
{
	return t == NL80211_IFTYPE_STATION || t == NL80211_IFTYPE_AP ||
	       t == NL80211_IFTYPE_ADHOC || t == NL80211_IFTYPE_UNSPECIFIED;
}

static int on_nl80211(struct nl_msg *msg, int cmd)
{
	struct nlattr *tb[NL80211_ATTR_MAX + 1];
	struct sys_wifi w = { 0 };
	int gone = cmd == NL80211_CMD_DEL_INTERFACE;

	if (cmd != NL80211_CMD_NEW_INTERFACE && !gone)
		return NL_OK;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NL80211_ATTR_MAX, NULL) < 0 ||
	    !tb[NL80211_ATTR_IFINDEX] || !tb[NL80211_ATTR_IFNAME])
		return NL_OK;
	if (!gone && tb[NL80211_ATTR_IFTYPE] && !usable_type(nla_get_u32(tb[NL80211_ATTR_IFTYPE])))
		return NL_OK;
	w.ifindex = (int)nla_get_u32(tb[NL80211_ATTR_IFINDEX]);
	w.wiphy = tb[NL80211_ATTR_WIPHY] ? nla_get_u32(tb[NL80211_ATTR_WIPHY]) : 0;
	snprintf(w.name, sizeof(w.name), "%s", nla_get_string(tb[NL80211_ATTR_IFNAME]));
	handlers->wifi(&w, gone);
	return NL_OK;
}

static void take_family(void);

/* nlctrl: a family appeared; ours? */
static int on_ctrl(struct nl_msg *msg, int cmd)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (cmd != CTRL_CMD_NEWFAMILY || family >= 0)
		return NL_OK;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) < 0 || !tb[CTRL_ATTR_FAMILY_NAME])
		return NL_OK;
	if (!strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), NL80211_GENL_NAME))
		take_family();
	return NL_OK;
}

static int on_msg(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	int cmd = ((struct genlmsghdr *)nlmsg_data(h))->cmd;

	(void)arg;
	if (h->nlmsg_type == GENL_ID_CTRL)
		return on_ctrl(msg, cmd);
	if ((int)h->nlmsg_type == family)
		return on_nl80211(msg, cmd);
	return NL_OK;
}

static int dump_interfaces(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	int rc = -NLE_NOMEM;

	if (msg && genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP,
			       NL80211_CMD_GET_INTERFACE, 0)) {
		rc = nl_send_auto(dump_sk, msg);
		if (rc >= 0)
			rc = nl_recvmsgs_default(dump_sk);
	}
	nlmsg_free(msg);
	if (rc < 0)
		log_err("nl80211: dumping the Wi-Fi interfaces: %s", nl_geterror(rc));
	return rc < 0 ? -1 : 0;
}

static void take_family(void)
{
	int id = genl_ctrl_resolve(req_sk, NL80211_GENL_NAME), grp, rc;

	if (id < 0) {
		log_notice("nl80211 is not there yet (no cfg80211): waiting for it");
		return;
	}
	grp = genl_ctrl_resolve_grp(req_sk, NL80211_GENL_NAME, NL80211_MULTICAST_GROUP_CONFIG);
	if (grp < 0 || (rc = nl_socket_add_membership(ev_sk, grp)) < 0) {
		log_err("nl80211: joining the config group failed: Wi-Fi interfaces will go unseen");
		return;
	}
	family = id;
	/* subscribed first: an interface created during the dump is an event */
	dump_interfaces();
}

static void events_ready(struct loop_fd *lfd, uint32_t events)
{
	int rc;

	(void)lfd;
	(void)events;
	rc = nl_recvmsgs_default(ev_sk);
	if (rc == -NLE_NOMEM && family >= 0) {
		log_warn("nl80211 events overflowed: dumping the Wi-Fi interfaces again");
		dump_interfaces();
	} else if (rc < 0 && rc != -NLE_AGAIN) {
		log_warn("reading nl80211 events: %s", nl_geterror(rc));
	}
}

static struct nl_sock *genl_socket(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk)
		return NULL;
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_msg, NULL);
	if (genl_connect(sk) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

int nl80211_open(const struct sys_handlers *h)
{
	int grp;

	handlers = h;
	ev_sk = genl_socket();
	dump_sk = genl_socket();
	req_sk = genl_socket();
	if (!ev_sk || !dump_sk || !req_sk) {
		log_err("opening generic netlink sockets: %s: no Wi-Fi", strerror(errno));
		return -1;
	}
	grp = genl_ctrl_resolve_grp(req_sk, "nlctrl", "notify");
	if (grp < 0 || nl_socket_add_membership(ev_sk, grp) < 0)
		log_warn("nlctrl notify group: unavailable (a late cfg80211 will go unseen)");
	nl_socket_set_nonblocking(ev_sk);
	ev_lfd.fd = nl_socket_get_fd(ev_sk);
	ev_lfd.cb = events_ready;
	if (loop_fd_add(&ev_lfd, EPOLLIN) < 0)
		return -1;
	take_family();
	return 0;
}

void nl80211_close(void)
{
	loop_fd_del(&ev_lfd);
	nl_socket_free(ev_sk);
	nl_socket_free(dump_sk);
	nl_socket_free(req_sk);
	ev_sk = dump_sk = req_sk = NULL;
	family = -1;
}

int sys_set_regdom(const char *alpha2)
{
	struct nl_msg *msg = nlmsg_alloc();
	int rc = -NLE_NOMEM;

	if (family < 0) {
		nlmsg_free(msg);
		return -ENODEV;
	}
	if (msg && genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, NL80211_CMD_REQ_SET_REG, 0) &&
	    nla_put_string(msg, NL80211_ATTR_REG_ALPHA2, alpha2) == 0) {
		rc = nl_send_auto(req_sk, msg);
		if (rc >= 0)
			rc = nl_wait_for_ack(req_sk);
	}
	nlmsg_free(msg);
	if (rc < 0) {
		log_err("setting the regulatory domain to %s: %s", alpha2, nl_geterror(rc));
		return -EIO;
	}
	log_info("regulatory domain set to %s", alpha2);
	return 0;
}
