/* libiptc (IPv4) as the firewall's operations (fw-tc.h). */
#include "fw-tc.h"

#include <libiptc/libiptc.h>

#define XTC(name) iptc_##name
#define XTC_ENTRY struct ipt_entry
#define XTC_IP_T struct ipt_ip
#define XTC_IP ip
#define XTC_MEMBER e
#define XTC_SAME fw_entry_same
#define XTC_ENCODE fw_encode4
#define XTC_FAMILY FW_IPV4
#define XTC_NAME "iptables"
#define XTC_OPS fw_ip4tc
#include "fw-xtc.inc"
