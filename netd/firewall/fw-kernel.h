/* The kernel's netfilter headers, included in one place because of two
 * traps: musl's <net/if.h> and the kernel's <linux/if.h> (which
 * ip_tables.h includes) both define IFF_VOLATILE, and the kernel's
 * byteorder helpers cast const away, which -Wcast-qual turns into errors
 * (under musl-gcc they are not system headers). */
#ifndef NETD_FW_KERNEL_H
#define NETD_FW_KERNEL_H

#include <net/if.h>
#include <netinet/ip_icmp.h>
#undef IFF_VOLATILE

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/xt_addrtype.h>
#include <linux/netfilter/xt_comment.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv4/ipt_REJECT.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <linux/netfilter_ipv6/ip6t_REJECT.h>
#pragma GCC diagnostic pop

#endif
