/* interfaces.conf: the Wifibox subset of ifupdown's interfaces(5).
 *
 *   auto lo                          (accepted; netd brings up what it needs)
 *   iface lo inet loopback
 *   iface eth0 inet static           (also "iface NAME METHOD": inet implied)
 *       address 10.0.0.1[/24]
 *       netmask 255.255.255.0
 *       gateway 10.0.0.1
 *       dns-nameservers 1.1.1.1 ...
 *       mdns-reflector yes|no        (eth0 only: issue 16)
 *       bridge-uplink yes|no         (eth0 only: bridged mode, issue 17)
 *   iface eth0 inet6 static
 *       address fd00::ffff/64
 *       dns-nameservers 2001:4860:4860::8888 ...
 *   iface wlan0 inet dhcp
 *
 * Options are read through a table (name -> type -> field). Every problem
 * is reported with file:line and what was expected, and the rest of the
 * file is still read. */
#ifndef NETD_IFCONF_H
#define NETD_IFCONF_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>

#include "conf.h"
#include "ipv4.h"

#define IFC_MAX_IFACES 8
#define IFC_MAX_DNS 3

enum ifc_method {
	IFC_UNSET,	/* no stanza for this family */
	IFC_LOOPBACK,
	IFC_STATIC,
	IFC_DHCP,
	IFC_MANUAL,
};

struct ifc_inet {
	enum ifc_method method;
	unsigned line;		/* the stanza's line, for messages */
	struct in_addr addr;
	uint8_t prefix;
	uint8_t has_addr, has_prefix, has_gateway;
	struct in_addr gateway;
	struct in_addr dns[IFC_MAX_DNS];
	uint8_t n_dns;
	uint8_t mdns_reflector;		/* "mdns-reflector yes" */
	unsigned mdns_line;		/* where it was said; 0: not said */
	uint8_t bridge_uplink;		/* "bridge-uplink yes" */
	unsigned bridge_line;		/* where it was said; 0: not said */
};

struct ifc_inet6 {
	enum ifc_method method;
	unsigned line;
	struct in6_addr addr;
	uint8_t prefix;
	uint8_t has_addr, has_prefix, has_gateway;
	struct in6_addr gateway;
	struct in6_addr dns[IFC_MAX_DNS];	/* advertised when the uplink's are not known */
	uint8_t n_dns;
};

struct ifc_iface {
	char name[IF_NAMESIZE];
	struct ifc_inet inet;
	struct ifc_inet6 inet6;
};

struct ifc_conf {
	struct ifc_iface iface[IFC_MAX_IFACES];
	unsigned n;
};

/* Parses the whole file; returns the number of problems reported. */
unsigned ifconf_parse(struct conf_reader *r, struct ifc_conf *c);
const struct ifc_iface *ifconf_find(const struct ifc_conf *c, const char *name);
const char *ifc_method_name(enum ifc_method m);

/* Text helpers shared with the other parsers (the IPv4 ones: lib/ipv4.h). */
/* "a.b.c.d" or "a.b.c.d/nn"; *has_prefix tells which. */
int parse_ipv4_cidr(const char *s, struct in_addr *addr, uint8_t *prefix, uint8_t *has_prefix);
int parse_ipv6_cidr(const char *s, struct in6_addr *addr, uint8_t *prefix, uint8_t *has_prefix);
int valid_ifname(const char *s);

#endif
