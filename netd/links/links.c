/* What the kernel has, and making it match the plan. The view is fed by
 * rtnetlink and nl80211 events (the dump at start-up comes the same way);
 * links_apply compares and fixes, and is called again whenever the kernel
 * drifts: a link that comes back up, an address someone removed. */
#include "netd.h"
#include "events.h"

#include <arpa/inet.h>
#include <string.h>

#include "log.h"

/* ---- the view ------------------------------------------------------------ */

static struct sys_link *view_link(int ifindex)
{
	for (unsigned k = 0; k < netd.view.n_links; k++)
		if (netd.view.links[k].ifindex == ifindex)
			return &netd.view.links[k];
	return NULL;
}

static void view_link_set(const struct sys_link *l, int gone)
{
	struct view *v = &netd.view;
	struct sys_link *have = view_link(l->ifindex);

	if (gone) {
		if (have)
			*have = v->links[--v->n_links];
		return;
	}
	if (have)
		*have = *l;
	else if (v->n_links < VIEW_LINKS)
		v->links[v->n_links++] = *l;
}

static int same_addr(const struct sys_addr *a, const struct sys_addr *b)
{
	if (a->ifindex != b->ifindex || a->family != b->family || a->prefix != b->prefix)
		return 0;
	return a->family == AF_INET ? a->v4.s_addr == b->v4.s_addr
				    : !memcmp(&a->v6, &b->v6, sizeof(a->v6));
}

int view_has_addr(const struct sys_addr *a)
{
	for (unsigned k = 0; k < netd.view.n_addrs; k++)
		if (same_addr(&netd.view.addrs[k], a))
			return 1;
	return 0;
}

static void view_addr_set(const struct sys_addr *a, int gone)
{
	struct view *v = &netd.view;

	for (unsigned k = 0; k < v->n_addrs; k++) {
		if (!same_addr(&v->addrs[k], a))
			continue;
		if (gone)
			v->addrs[k] = v->addrs[--v->n_addrs];
		else
			v->addrs[k].flags = a->flags;	/* DAD over, deprecated... */
		return;
	}
	if (!gone && v->n_addrs < VIEW_ADDRS)
		v->addrs[v->n_addrs++] = *a;
}

/* An interface that went away takes its addresses along. */
static void view_forget_addrs(int ifindex)
{
	struct view *v = &netd.view;

	for (unsigned k = 0; k < v->n_addrs;) {
		if (v->addrs[k].ifindex == ifindex)
			v->addrs[k] = v->addrs[--v->n_addrs];
		else
			k++;
	}
}

/* ---- applying --------------------------------------------------------------- */

static const char *addr_text(const struct sys_addr *a, char *buf, size_t size)
{
	char ip[INET6_ADDRSTRLEN];
	size_t n;

	inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->v4 : (const void *)&a->v6,
		  ip, sizeof(ip));
	n = strlen(ip);
	snprintf(buf, size, "%.*s/%u", (int)n, ip, a->prefix);
	return buf;
}

static int add_addr(struct link *l, struct sys_addr *a)
{
	char text[INET6_ADDRSTRLEN + 4];
	int rc;

	a->ifindex = l->ifindex;
	if (view_has_addr(a))
		return 0;
	rc = sys_addr_add(a);
	if (rc < 0) {
		netd_error(ERR_KERNEL_REFUSED, "setting %s on %s (%s): failed, will retry", addr_text(a, text, sizeof(text)),
			   l->name, l->role);
		return rc;
	}
	log_info("%s: %s set", l->name, addr_text(a, text, sizeof(text)));
	view_addr_set(a, 0);
	l->route_ok = 0;
	return 0;
}

static int add_route(struct link *l)
{
	char gw[INET_ADDRSTRLEN];
	int rc;

	if (!l->want_gateway || l->route_ok || !l->want4)
		return 0;
	rc = sys_route_default(l->ifindex, l->gateway, 1);
	inet_ntop(AF_INET, &l->gateway, gw, sizeof(gw));
	if (rc < 0) {
		netd_error(ERR_KERNEL_REFUSED, "setting the default route via %s on %s: failed, will retry", gw, l->name);
		return rc;
	}
	log_info("%s: default route via %s", l->name, gw);
	l->route_ok = 1;
	return 0;
}

static void retry_later(struct link *l)
{
	loop_timer_set(&l->retry_timer, backoff_fail(&l->retry));
}

void links_apply(struct link *l)
{
	int rc = 0;

	if (!l->ifindex || netd.shutting_down || netd.dumping)
		return;
	if (l->manage_up && !(l->flags & SYS_LINK_UP))
		rc |= sys_link_up(l->ifindex, l->name);
	if (l->want4)
		rc |= add_addr(l, &l->addr4);
	if (l->want6)
		rc |= add_addr(l, &l->addr6);
	rc |= add_route(l);
	if (rc)
		retry_later(l);
	else
		backoff_reset(&l->retry);
	/* serving need not wait for the kernel's event about the address */
	events_link(EV_LINK_CONFIGURED, l);
}

static void retry_fired(struct loop_timer *t)
{
	links_apply(container_of(t, struct link, retry_timer));
}

/* ---- the Wi-Fi interface ---------------------------------------------------- */

static const struct sys_wifi *pick_wifi(void)
{
	const struct view *v = &netd.view;

	for (unsigned k = 0; k < v->n_wifi; k++)
		if (v->wifi[k].ifindex == netd.wifi.ifindex)
			return &v->wifi[k];	/* keep the one we run on */
	for (unsigned k = 0; k < v->n_wifi; k++)
		if (!strcmp(v->wifi[k].name, netd.plan.wifi.name))
			return &v->wifi[k];	/* the name in interfaces.conf */
	return v->n_wifi ? &v->wifi[0] : NULL;
}

static void wifi_lost(void)
{
	int ifindex = netd.wifi.ifindex;

	struct netd_ev ev = { .type = EV_WIFI_GONE, .link = &netd.wifi, .ifindex = ifindex };

	log_console("Wi-Fi interface %s is gone", netd.wifi.name);
	wifi_set_iface(&netd.sup, netd.wifi.name, 0);
	netd.wifi.ifindex = 0;
	netd.wifi.flags = 0;
	netd.wifi.route_ok = 0;
	loop_timer_cancel(&netd.wifi.retry_timer);
	if (netd.mode == MODE_STATION)
		links_set_uplink_addr(NULL);
	events_publish(&ev);
}

static void wifi_found(const struct sys_wifi *w)
{
	const struct sys_link *l = view_link(w->ifindex);

	log_console("Wi-Fi interface %s found (phy%u)", w->name, w->wiphy);
	report_milestone("wifi_iface");
	strcpy(netd.wifi.name, w->name);
	netd.wifi.ifindex = w->ifindex;
	netd.wiphy = w->wiphy;
	netd.wifi.flags = l ? l->flags : 0;
	netd.wifi.route_ok = 0;
	if (netd.app.country[0])
		sys_set_regdom(netd.app.country);
	wifi_adopt(&netd.sup, w->name);
	wifi_set_iface(&netd.sup, w->name, 1);
	links_apply(&netd.wifi);
	events_link(EV_WIFI_FOUND, &netd.wifi);
}

static void choose_wifi(void)
{
	const struct sys_wifi *w = pick_wifi();

	if (w && w->ifindex == netd.wifi.ifindex)
		return;
	if (netd.wifi.ifindex)
		wifi_lost();
	if (w && netd.mode != MODE_NONE && !netd.shutting_down)
		wifi_found(w);
	else if (w)
		log_notice("Wi-Fi interface %s found, but there is no Wi-Fi config: not used", w->name);
	report_changed();
}

/* ---- kernel events ------------------------------------------------------------ */

static struct link *link_by_index(int ifindex)
{
	struct link *all[] = { &netd.lo, &netd.eth, &netd.wifi };

	for (size_t k = 0; k < 3; k++)
		if (all[k]->ifindex && all[k]->ifindex == ifindex)
			return all[k];
	return NULL;
}

static struct link *link_by_name(const char *name)
{
	if (!strcmp(name, "lo"))
		return &netd.lo;
	if (!strcmp(name, netd.eth.name))
		return &netd.eth;
	return NULL;
}

static void link_gone(struct link *l)
{
	struct netd_ev ev = { .type = EV_LINK_GONE, .link = l, .ifindex = l->ifindex };

	log_notice("%s (%s) is gone", l->name, l->role);
	view_forget_addrs(l->ifindex);
	l->ifindex = 0;
	l->flags = 0;
	l->route_ok = 0;
	loop_timer_cancel(&l->retry_timer);
	events_publish(&ev);
}

/* Someone else's link: its IPv6 routes, say, go with it. */
static void other_link_gone(int ifindex)
{
	struct netd_ev ev = { .type = EV_LINK_GONE, .ifindex = ifindex };

	events_publish(&ev);
}

static void forget_wifi(int ifindex)
{
	struct view *v = &netd.view;

	for (unsigned k = 0; k < v->n_wifi; k++) {
		if (v->wifi[k].ifindex == ifindex) {
			v->wifi[k] = v->wifi[--v->n_wifi];
			choose_wifi();
			return;
		}
	}
}

static void on_link(const struct sys_link *sl, int gone)
{
	struct link *l = link_by_index(sl->ifindex);
	unsigned was;
	int found;

	view_link_set(sl, gone);
	if (gone) {
		view_forget_addrs(sl->ifindex);
		if (l && l != &netd.wifi)
			link_gone(l);
		forget_wifi(sl->ifindex);	/* nl80211 may not say so (netns move) */
		if (!l)
			other_link_gone(sl->ifindex);
		return;
	}
	if (!l && (l = link_by_name(sl->name)) && l->ifindex)
		return;	/* a second link of that name: not ours */
	if (!l)
		return;
	if (l != &netd.wifi && strcmp(sl->name, l->name)) {
		link_gone(l);	/* renamed away */
		return;
	}
	was = l->ifindex ? l->flags : 0;
	found = !l->ifindex;
	if (found)
		log_info("%s (%s) found", l->name, l->role);
	l->ifindex = sl->ifindex;
	l->flags = sl->flags;
	if (!(was & SYS_LINK_UP) && (l->flags & SYS_LINK_UP))
		l->route_ok = 0;	/* the kernel dropped its routes when it went down */
	if (was != l->flags || !was)
		links_apply(l);
	if (found && l != &netd.wifi)
		events_link(EV_LINK_FOUND, l);
	else if (was != l->flags)
		events_link(EV_LINK_CHANGED, l);
}

static void on_addr(const struct sys_addr *a, int gone)
{
	struct link *l = link_by_index(a->ifindex);
	struct netd_ev ev = { .type = EV_ADDR, .link = l, .ifindex = a->ifindex, .addr = a,
			      .gone = gone };

	if (ipv6_on_addr(a, gone))
		return;	/* removed at once: never counted as the uplink's */
	view_addr_set(a, gone);
	if (!l)
		return;
	if (gone && ((l->want4 && same_addr(a, &l->addr4)) || (l->want6 && same_addr(a, &l->addr6)))) {
		log_notice("%s: a configured address was removed: setting it again", l->name);
		l->route_ok = 0;
		links_apply(l);
	}
	events_publish(&ev);
}

static void on_wifi(const struct sys_wifi *w, int gone)
{
	struct view *v = &netd.view;
	unsigned k;

	for (k = 0; k < v->n_wifi && v->wifi[k].ifindex != w->ifindex; k++)
		;
	if (gone && k < v->n_wifi)
		v->wifi[k] = v->wifi[--v->n_wifi];
	else if (!gone && k < v->n_wifi)
		v->wifi[k] = *w;
	else if (!gone && v->n_wifi < VIEW_WIFI)
		v->wifi[v->n_wifi++] = *w;
	choose_wifi();
}

const struct sys_handlers links_handlers = {
	.link = on_link,
	.addr = on_addr,
	.wifi = on_wifi,
	.route6 = ipv6_on_route6,
	.ndopt = ipv6_on_ndopt,
	.rs = ipv6_on_rs,
};

/* ---- setup -------------------------------------------------------------------- */

static void set_v4(struct sys_addr *a, struct in_addr addr, uint8_t prefix)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->v4 = addr;
	a->prefix = prefix;
}

static void link_init(struct link *l, const char *role, const char *name, int manage_up)
{
	memset(l, 0, sizeof(*l));
	l->role = role;
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->manage_up = manage_up;
	l->retry_timer.lfd.fd = -1;
	l->retry_timer.cb = retry_fired;
	backoff_init(&l->retry, APPLY_BACKOFF_MIN_MS, APPLY_BACKOFF_MAX_MS);
}

static void want_plan(struct link *l, const struct plan_link *p)
{
	if (p->v4 == PLAN_V4_STATIC) {
		l->want4 = 1;
		set_v4(&l->addr4, p->addr, p->prefix);
		l->want_gateway = p->has_gateway;
		l->gateway = p->gateway;
	}
	/* IPv6 addresses wait for ipv6_start(): it may be off */
}

void links_init(void)
{
	struct in_addr loopback = { htonl(INADDR_LOOPBACK) };

	link_init(&netd.lo, "loopback", "lo", 1);
	netd.lo.want4 = 1;
	set_v4(&netd.lo.addr4, loopback, 8);
	link_init(&netd.eth, "host link", netd.plan.eth.name, 1);
	want_plan(&netd.eth, &netd.plan.eth);
	link_init(&netd.wifi, "Wi-Fi", netd.plan.wifi.name, 0);
	if (netd.mode != MODE_NONE)
		want_plan(&netd.wifi, &netd.plan.wifi);
}

/* The station's address from its lease; NULL when it has none. */
void links_set_uplink_addr(const struct lease *ls)
{
	struct link *l = &netd.wifi;
	struct sys_addr a;

	if (ls) {
		set_v4(&a, ls->ip, ls->prefix);
		a.ifindex = l->ifindex;
	}
	if (l->want4 && (!ls || !same_addr(&a, &l->addr4)) && view_has_addr(&l->addr4)) {
		if (sys_addr_del(&l->addr4) == 0)
			view_addr_set(&l->addr4, 1);
	}
	l->want4 = ls != NULL;
	l->want_gateway = ls && ls->has_router;
	l->route_ok = 0;
	if (!ls)
		return;
	l->addr4 = a;
	l->gateway = ls->router;
	links_apply(l);
}
