"""Helpers shared by the netd end-to-end tests (test_netd_*.py; this module
has no tests of its own): netd's status file as the host reads it, a DHCP
lease for the host's tap0, and the simulated world's TCP service through
the guest's NAT."""
import os
import re
import time

WORLD_DNS = "192.168.50.1 198.51.100.53"
WORLD_SERVICE = "198.51.100.1 7777"


def status(v):
    """netd's status file (var/lib/netd/status) as a dict; {} if absent."""
    try:
        text = v.read_var("lib/netd/status")
    except OSError:
        return {}
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def wait_status(v, timeout=90, **want):
    """Waits until every key of the status matches its regex (fullmatch)."""
    deadline = time.monotonic() + timeout
    st = {}
    while time.monotonic() < deadline:
        st = status(v)
        if all(re.fullmatch(rx, st.get(k, "\0")) for k, rx in want.items()):
            return st
        time.sleep(0.5)
    wrong = {k: st.get(k) for k, rx in want.items() if not re.fullmatch(rx, st.get(k, "\0"))}
    raise AssertionError("netd status never had %s; it has %s\nfull status:\n%s"
                         % (want, wrong, "\n".join("%s=%s" % kv for kv in st.items())))


def host_lease(v, request=None):
    """One DHCP lease for the host's tap0 from the guest (busybox udhcpc),
    applied (address and default route); returns udhcpc's environment.
    Only the IPv4 addresses are replaced: the host's IPv6 ones (its
    link-local address, SLAAC) stay, as on a real host."""
    script = os.path.join(v.dir, "host-udhcpc.sh")
    env = os.path.join(v.dir, "host-lease.env")
    with open(script, "w") as f:
        f.write("#!/bin/sh\n"
                "case $1 in bound|renew) ;; *) exit 0 ;; esac\n"
                "ip -4 addr flush dev $interface\n"
                "ip addr add $ip/$mask dev $interface\n"
                "[ -z \"$router\" ] || ip route replace default via $router\n"
                "env | sort > %s\n" % env)
    os.chmod(script, 0o755)
    if os.path.exists(env):
        os.unlink(env)
    opt = " -r %s" % request if request else ""
    out = v.host("busybox udhcpc -i tap0 -n -q -t 10 -T 1 -s %s%s 2>&1" % (script, opt),
                 timeout=60, check=False)
    if not os.path.exists(env):
        raise AssertionError("the host got no lease from the guest:\n" + out)
    with open(env) as f:
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
