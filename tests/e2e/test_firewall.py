"""The guest's firewall on the real image, seen from both sides (issue 5).

From the simulated world (a neighbour on the Wi-Fi network), a scan of
every TCP port and the common UDP ports of the guest's uplink address finds
open exactly what the config share's port_forwards.conf forwards, and
nothing of the guest's own: not a listener started in the guest on all
addresses, not the control-socket bridge, not the host's network behind
it. The controls that the scan can find things: the same scanner finds the
world's own service, the forwarded ports (served in the host namespace) and,
from the host's side of the link, the bridge. Every probe of the scan is
seen by netd's "drop inbound" counter, so none was lost on the way.

Then the traffic the firewall must let through: the host reaches the world
(NAT), the world reaches a server in the host namespace through a forward
(with its own source address), a user `iptables` file is loaded on top of
netd's chains and takes effect, and the counters appear in netd's status.

The scanner is `worldctl scan` (sim/world/worldctl.c), run in the world's
namespace; a full TCP scan takes ~20 s under TCG."""
import os
import re
import subprocess
import sys
import time

import vm
from netd_lib import dropped_since, host_lease, wait_status, world_reachable
from netd_lib import fw_counters as counters

HOST = "10.0.0.2"               # the host's address, asked of the guest's DHCP server
FORWARDS = "\n".join([
    "# the host's ssh and a UDP service, reachable from the Wi-Fi side",
    "tcp 2222 -> %s:22" % HOST,
    "udp 5353 -> %s" % HOST,
    ""])
BRIDGE_PORT = 1200
UDS_PASSTHRU = "\n".join([
    "network=10.0.0.1:255.255.255.0",
    "sockets=\"path=/var/run/wpa_supplicant/wlan0,user=root,group=0,mode=770,port=%d\"" % BRIDGE_PORT,
    ""])
GUEST_LISTENER = 4444           # started in the guest on all addresses: must stay hidden
USER_OPENED = 4445              # another one, opened to the Wi-Fi side by the user's file
USER_IPTABLES = "\n".join([
    "# the user opens one guest port to the Wi-Fi network, before netd's chains",
    "*filter",
    "-I INPUT -i wlan0 -p tcp --dport %d -m comment --comment user-rule -j ACCEPT" % USER_OPENED,
    "COMMIT",
    ""])
# The UDP ports a scan of a home router or a small Linux box would try.
COMMON_UDP = [7, 9, 13, 17, 19, 53, 67, 68, 69, 111, 123, 135, 137, 138, 139, 161, 162,
              389, 443, 500, 514, 520, 546, 547, 623, 631, 1194, 1200, 1201, 1434, 1701,
              1812, 1900, 4500, 5060, 5353, 5355, 11211, 27015, 51820]

# A server for the host namespace: TCP 22 and UDP 5353 answer with the
# peer's address (what the forward preserved), one line per peer in a log.
HOST_SERVER = r"""
import socket, sys, threading
log = open(sys.argv[1], "a", buffering=1)
def tcp():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", 22)); s.listen(16)
    while True:
        c, peer = s.accept()
        log.write("tcp %s\n" % peer[0])
        try:
            c.sendall(b"host-ssh %s\n" % peer[0].encode())
        except OSError:
            pass
        c.close()
def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", 5353))
    while True:
        data, peer = s.recvfrom(2048)
        log.write("udp %s\n" % peer[0])
        s.sendto(b"host-udp %s\n" % peer[0].encode(), peer)
threading.Thread(target=udp, daemon=True).start()
tcp()
"""


def config():
    return vm.test_config(**{"port_forwards.conf": FORWARDS, "uds_passthru.conf": UDS_PASSTHRU,
                             "iptables": USER_IPTABLES})


def parse_scan(out):
    """worldctl scan's output: ({open ports}, {summary key: int})."""
    m = re.search(r"^scan (tcp|udp) \S+ (.*)$", out, re.M)
    if not m:
        raise AssertionError("worldctl scan printed no summary:\n" + out)
    summary = {k: int(v) for k, v in (kv.split("=") for kv in m.group(2).split())}
    opened = {int(p) for p in re.findall(r"^open %s (\d+)$" % m.group(1), out, re.M)}
    assert len(opened) == summary["open"], out
    return opened, summary


def world_scan(v, proto, addr, ports, window=8192, timeout_ms=1500):
    cmd = "/mnt/ctl.sh in-world /mnt/worldctl scan %s %s %s %d %d" % (
        proto, addr, ports, window, timeout_ms)
    t0 = time.monotonic()
    out = v.sh(cmd, timeout=300)
    opened, summary = parse_scan(out)
    print("world: %s (%.0f s)" % (out.splitlines()[-1], time.monotonic() - t0))
    return opened, summary


def host_scan(v, proto, addr, ports, window=8192, timeout_ms=1500):
    """The same scanner (static) from the host namespace."""
    out = v.host("%s scan %s %s %s %d %d" % (os.path.join(vm.BUILD, "musl", "bin", "worldctl"),
                                             proto, addr, ports, window, timeout_ms), timeout=300)
    opened, summary = parse_scan(out)
    print("host: %s" % out.splitlines()[-1])
    return opened, summary


class HostServer:
    """HOST_SERVER running in the host namespace for the test's duration."""

    def __init__(self, v):
        self.log = os.path.join(v.dir, "host-server.log")
        self.proc = subprocess.Popen(["ip", "netns", "exec", v.netns, sys.executable, "-c",
                                      HOST_SERVER, self.log],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while "0.0.0.0:22 " not in v.host("ss -ltnH", check=False):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError("the host namespace's server did not start")
            time.sleep(0.1)

    def peers(self):
        try:
            with open(self.log) as f:
                return f.read().split("\n")
        except OSError:
            return []

    def close(self):
        self.proc.kill()
        self.proc.wait()


def up(v):
    """The guest associated, routing, with the host's lease; the uplink address."""
    st = wait_status(v, wifi_state="COMPLETED", lease="bound", forwarding="1", firewall="ok",
                     uplink_addr=r"192\.168\.50\.\d+/24")
    lease = host_lease(v, request=HOST)
    assert lease["ip"] == HOST, "the host asked for %s and got %s" % (HOST, lease)
    return st["uplink_addr"].split("/")[0]


def start_guest_listeners(v, uplink):
    """TCP listeners in the guest on every address; checked from the guest
    itself (loopback is allowed), so a port the scan misses is really there."""
    for port in (GUEST_LISTENER, USER_OPENED):
        v.sh("(nc -ll -p %d -e /bin/echo guest-listener-%d </dev/null >/dev/null 2>&1 &)" % (port, port))
    for port in (GUEST_LISTENER, USER_OPENED):
        deadline = time.monotonic() + 20
        while v.sh("nc -w 3 %s %d </dev/null" % (uplink, port), check=False) != \
                "guest-listener-%d" % port:
            assert time.monotonic() < deadline, "the guest's listener on %d does not answer" % port
            time.sleep(0.5)


def assert_dropped_at_the_guest(summary, dropped):
    """A scan whose every probe went unanswered, and netd's count of the
    packets it dropped meanwhile: at least one per probe."""
    assert summary["open"] == summary["closed"] == summary["unreachable"] == 0 and \
        summary["filtered"] == summary["ports"], "not every probe was dropped silently: %s" % summary
    assert dropped >= summary["filtered"], \
        "%d probes unanswered, but netd dropped only %d packets: lost elsewhere" % (
            summary["filtered"], dropped)


def test_scan_from_the_wifi_side_finds_only_the_forwards():
    with vm.VM("fw-scan", config=config(), app=vm.station_app_config(),
               world={"mode": "ap"}) as v:
        v.login()
        uplink = up(v)
        server = HostServer(v)
        try:
            start_guest_listeners(v, uplink)
            # Control: the scanner finds the world's own service ("the Internet").
            opened, _ = world_scan(v, "tcp", "198.51.100.1", "1-65535")
            assert opened == {7777}, "the scan of the world's own service found %s" % opened
            # Control: from the host's side, the bridge's port and DNS
            # (the guest's forwarder, over TCP too) are open, and nothing
            # else: the host gets DHCP, DNS, ICMP and the bridge.
            opened, _ = host_scan(v, "tcp", "10.0.0.1", "1-65535")
            assert opened == {53, BRIDGE_PORT}, \
                "from the host, TCP ports open on 10.0.0.1: %s (want DNS's 53 and the bridge's %d)" % (
                    sorted(opened), BRIDGE_PORT)

            before = counters(v)
            tcp, tsum = world_scan(v, "tcp", uplink, "1-65535")
            udp, usum = world_scan(v, "udp", uplink, ",".join(map(str, COMMON_UDP)))
            after = counters(v)
            # Exactly the forwards, plus the port the user's iptables file opened.
            assert tcp == {2222, USER_OPENED}, \
                "TCP ports open on the uplink %s: %s (want 2222, the forward, and %d, the " \
                "user's rule)\nINPUT:\n%s" % (uplink, sorted(tcp), USER_OPENED,
                                               v.sh("iptables -S WIFIBOX-INPUT"))
            assert udp == {5353}, "UDP ports open on the uplink: %s (want 5353, the forward)" % udp
            # Silence, not refusals: the guest does not even say a port is closed.
            assert tsum["closed"] == tsum["unreachable"] == 0, tsum
            assert usum["closed"] == usum["unreachable"] == 0, usum
            # The unanswered probes reached the guest and were dropped by
            # netd's rule, not lost on the radio: at least one drop per
            # filtered port (each probe is sent twice).
            dropped = after["fw_dropped_inbound_packets"] - before["fw_dropped_inbound_packets"]
            assert dropped >= tsum["filtered"] + usum["filtered"], \
                "the scans' %d unanswered probes, but netd dropped %d packets" % (
                    tsum["filtered"] + usum["filtered"], dropped)
            assert "udp 192.168.50.1" in server.peers(), server.peers()

            # Straight at the inside network, routed through the guest:
            # dropped there. Every probe unanswered, none refused or
            # unreachable on the way, and netd's drops rose by at least one
            # per probe: a route that failed would leave them unreachable or
            # lost elsewhere, uncounted.
            v.sh("/mnt/ctl.sh in-world ip route replace 10.0.0.0/24 via %s" % uplink)
            route = v.sh("/mnt/ctl.sh in-world ip route show 10.0.0.0/24")
            assert re.search(r"10\.0\.0\.0/24 via %s dev world0" % re.escape(uplink), route), \
                "the world's route to the inside network: %r" % route
            before = counters(v)
            _, s1 = world_scan(v, "tcp", "10.0.0.1", "1-2000,%d" % GUEST_LISTENER)
            assert_dropped_at_the_guest(s1, dropped_since(v, before))
            # The forwards are for the guest's own address only: the host's
            # 2222 routed through the guest is not turned into its 22.
            before = counters(v)
            _, s2 = world_scan(v, "tcp", HOST, "22,2222")
            assert_dropped_at_the_guest(s2, dropped_since(v, before))
            print("counters after the scans:", counters(v))
        finally:
            server.close()


def test_nat_forward_user_rules_and_counters():
    with vm.VM("fw-traffic", config=config(), app=vm.station_app_config(),
               world={"mode": "ap"}) as v:
        v.login()
        uplink = up(v)
        server = HostServer(v)
        try:
            start = counters(v)
            # The host reaches the world through the NAT.
            assert world_reachable(v), "the host cannot reach the world's service"
            # A forward: the world reaches the host's server, which sees the
            # world's own address (DNAT only, no masquerade on the way in).
            out = v.sh("/mnt/ctl.sh in-world nc -w 5 %s 2222 </dev/null" % uplink, check=False,
                       timeout=30)
            assert out.strip() == "host-ssh 192.168.50.1", \
                "the world through tcp 2222 got %r; the nat table:\n%s" % (
                    out, v.sh("iptables -t nat -S WIFIBOX-PREROUTING"))
            assert "tcp 192.168.50.1" in server.peers(), server.peers()
            # The user's iptables file: loaded once, on top of netd's chains,
            # before them in INPUT (-I), and in effect.
            log = v.read_var("log/messages")
            assert "user rules /media/etc/iptables loaded" in log, \
                "\n".join(l for l in log.splitlines() if "iptables" in l)
            rules = v.sh("iptables -S INPUT").splitlines()
            mine = [i for i, l in enumerate(rules) if "user-rule" in l]
            jump = rules.index("-A INPUT -j WIFIBOX-INPUT")
            assert mine and mine[0] < jump, "the user's rule is not before netd's chain:\n" + \
                "\n".join(rules)
            v.sh("(nc -ll -p %d -e /bin/echo guest-listener </dev/null >/dev/null 2>&1 &)" % USER_OPENED)
            time.sleep(1)
            out = v.sh("/mnt/ctl.sh in-world nc -w 5 %s %d </dev/null" % (uplink, USER_OPENED),
                       check=False, timeout=30)
            assert out.strip() == "guest-listener", "the user's rule is not in effect: %r" % out
            # netd's chains are whole after the user's file.
            for chain, rule in (("WIFIBOX-POSTROUTING", r"-o wlan0 .*-j MASQUERADE"),
                                ("WIFIBOX-PREROUTING", r"-i wlan0 .*--dport 2222 .*-j DNAT")):
                rules = v.sh("iptables -t nat -S %s" % chain)
                assert re.search(rule, rules), "%s lacks /%s/:\n%s" % (chain, rule, rules)
            # The counters: forwarded traffic both ways is counted.
            end = counters(v)
            print("counters: start %s, end %s" % (start, end))
            assert end["fw_forwarded_packets"] >= start["fw_forwarded_packets"] + 4, (start, end)
            assert end["fw_forwarded_bytes"] > start["fw_forwarded_bytes"], (start, end)
            out = v.sh("netd status")
            m = re.search(r"forwarded packets: (\d+), dropped inbound: (\d+)", out)
            assert m and int(m.group(1)) >= end["fw_forwarded_packets"], out
        finally:
            server.close()
