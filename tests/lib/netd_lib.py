"""Helpers shared by the end-to-end tests that look at netd (tests/e2e):
netd's status file as the host reads it, a DHCP lease for the host's tap0
(with host-udhcpc.sh, the one host DHCP client script of the tests), the
simulated world's TCP service through the guest's NAT, and the
firewall's counters."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "sim"))

import vm

WORLD_DNS = "192.168.50.1 198.51.100.53"
# What the host's lease names (the built-in udhcpd.conf, issue 15): the
# guest, whose dnsmasq asks the network it is on, then the fallbacks.
HOST_DNS = "10.0.0.1 8.8.8.8 8.8.4.4"
WORLD_SERVICE = "198.51.100.1 7777"
# netd's memory of the last uplink, on the var share (issue 18)
LAST_UPLINK = "lib/netd/last-uplink"


# netd's status file, shared with the benchmarks
status = vm.netd_status
wait_status = vm.wait_netd_status


HOST_UDHCPC = os.path.join(vm.TOP, "sim", "host-udhcpc.sh")


def host_lease(v, request=None, options="", flush_all=False):
    """One DHCP lease for the host's tap0 from the guest (busybox udhcpc
    with host-udhcpc.sh), applied (address and default route); returns
    udhcpc's environment. Only the IPv4 addresses are replaced unless
    flush_all: the host's IPv6 ones (its link-local address, SLAAC) stay,
    as on a real host."""
    env = os.path.join(v.dir, "host-lease.env")
    if os.path.exists(env):
        os.unlink(env)
    opt = (" " + options if options else "") + (" -r %s" % request if request else "")
    out = v.host("HOST_LEASE_ENV=%s HOST_FLUSH_ALL=%d busybox udhcpc -i tap0 -n -q -t 10 -T 1%s -s %s 2>&1"
                 % (env, int(flush_all), opt, HOST_UDHCPC), timeout=60, check=False)
    if not os.path.exists(env):
        raise AssertionError("the host got no lease from the guest:\n" + out)
    return lease_env(env)


def lease_env(path):
    """udhcpc's environment as host-udhcpc.sh wrote it to path."""
    with open(path) as f:
        return dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)


def world_reachable(v):
    """The world's TCP service, from the host namespace, through the NAT."""
    out = v.host("busybox nc -w 5 %s" % WORLD_SERVICE, timeout=30, check=False)
    return out.strip() == "wifibox-world"


def milestones(st):
    """[(name, ms)] in time order, init's and netd's."""
    ms = [(k[len("milestone."):], int(v)) for k, v in st.items() if k.startswith("milestone.")]
    return sorted(ms, key=lambda kv: kv[1])


def guest_pid(v, name):
    out = [w for w in v.sh("pidof %s" % name, check=False).split() if w.isdigit()]
    return int(out[0]) if out else None


def guest_stat(v, pid):
    """/proc/PID/stat's fields after the process's name, from field 3 (the
    state) on: the name in parentheses may hold spaces, so they are counted
    from its end. proc(5)'s field N is at index N - 3."""
    return v.sh("cat /proc/%d/stat" % pid).rsplit(")", 1)[1].split()


def guest_nice(v, pid):
    """The process's nice value (proc(5) field 19)."""
    return int(guest_stat(v, pid)[16])


FW_COUNTERS = ("fw_forwarded_packets", "fw_forwarded_bytes", "fw_dropped_inbound_packets",
               "fw_dropped_inbound_bytes")


def fresh_status(v):
    """netd's status, fresh: `netd status` asks the daemon for a new status
    before printing, and the file is rewritten with it (counters, which
    change too often to rewrite it for, are current then)."""
    before = status(v).get("updated_ms", "")
    v.sh("netd status >/dev/null")
    deadline = time.monotonic() + 10
    st = status(v)
    while st.get("updated_ms", "") == before and time.monotonic() < deadline:
        time.sleep(0.2)
        st = status(v)
    return st


def fw_counters(v):
    """netd's firewall counters (both families), fresh."""
    st = fresh_status(v)
    for k in FW_COUNTERS:
        assert re.fullmatch(r"\d+", st.get(k, "")), "status has no counter %s:\n%s" % (k, st)
    return {k: int(st[k]) for k in FW_COUNTERS}


def dropped_since(v, before):
    """Inbound packets netd's rules dropped since the counters before."""
    return fw_counters(v)["fw_dropped_inbound_packets"] - before["fw_dropped_inbound_packets"]
