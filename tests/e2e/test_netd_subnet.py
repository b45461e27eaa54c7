"""A subnet change is one edit of interfaces.conf (issue 7, Wifibox #83).

The guest boots with the shipped samples of interfaces.conf, udhcpd.conf
and uds_passthru.conf, in which only eth0's address was changed, to
10.7.0.1/24. The host's lease must come from the new network with the
guest as its router, and the log must name the lines of udhcpd.conf and
uds_passthru.conf that still say 10.0.0.x: udhcpd.conf's are replaced by
what interfaces.conf implies, uds_passthru.conf's network= (which the host
reads too) is for the user to change.
"""
import os
import re

import vm
from netd_lib import host_lease, wait_status

SAMPLES = os.path.join(vm.TOP, "samples", "config")


def sample(name):
    with open(os.path.join(SAMPLES, name)) as f:
        return f.read()


def line_of(text, pattern):
    """The 1-based number of the first line matching pattern."""
    for n, line in enumerate(text.split("\n"), 1):
        if re.match(pattern, line):
            return n
    raise AssertionError("the sample has no line matching %r" % pattern)


def test_subnet_changed_in_interfaces_conf_only():
    interfaces = sample("interfaces.conf")
    assert "    address 10.0.0.1\n" in interfaces, "the sample's eth0 address changed"
    interfaces = interfaces.replace("    address 10.0.0.1\n", "    address 10.7.0.1\n", 1)
    udhcpd, bridge = sample("udhcpd.conf"), sample("uds_passthru.conf")
    conf = vm.test_config(radios=0, **{"interfaces.conf": interfaces, "udhcpd.conf": udhcpd,
                                       "uds_passthru.conf": bridge})
    with vm.VM("netd-subnet", config=conf, app=vm.station_app_config()) as v:
        v.login()
        wait_status(v, host_addr="10.7.0.1/24", dhcp_server="running")
        lease = host_lease(v)
        assert re.fullmatch(r"10\.7\.0\.\d+", lease["ip"]) and lease["ip"] != "10.7.0.1", lease
        assert lease["router"] == "10.7.0.1", lease
        assert lease["subnet"] == "255.255.255.0", lease
        log = v.read_var("log/messages")
        for what, pattern in (("start", r"start\s"), ("end", r"end\s"), ("opt router", r"opt router\s")):
            n = line_of(udhcpd, pattern)
            assert re.search(r"udhcpd\.conf:%d: %s 10\.0\.0\.\d+ is outside the served network 10\.7\.0\.0/24"
                             % (n, what), log), "no warning for udhcpd.conf:%d (%s):\n%s" % (n, what, log[-3000:])
        n = line_of(bridge, r"network=")
        assert re.search(r"uds_passthru\.conf:%d: network=10\.0\.0\.1:255\.255\.255\.0 does not match eth0's "
                         r"address 10\.7\.0\.1/24 in interfaces\.conf.*\(expected network=10\.7\.0\.1:255\.255\.255\.0\)"
                         % n, log), log[-3000:]
        st = wait_status(v, last_error=r".*uds_passthru\.conf: network= is not eth0's address.*")
        assert st["last_error_code"] == "CONFIG_MISMATCH", st
        assert st["dhcp_server_settings"].endswith("udhcpd.conf"), st
