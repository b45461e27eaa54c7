/* libip6tc (IPv6) as the firewall's operations (fw-tc.h). */
#include "fw-tc.h"

#include <libiptc/libip6tc.h>

#define XTC(name) ip6tc_##name
#define XTC_ENTRY struct ip6t_entry
#define XTC_IP_T struct ip6t_ip6
#define XTC_IP ipv6
#define XTC_MEMBER e6
#define XTC_SAME fw_entry6_same
#define XTC_ENCODE fw_encode6
#define XTC_FAMILY FW_IPV6
#define XTC_NAME "ip6tables"
#define XTC_OPS fw_ip6tc
#include "fw-xtc.inc"
