"""Bridged mode (issue 17), on the real image: with "bridge-uplink yes" in
interfaces.conf's eth0 stanza the host is on the Wi-Fi network itself.

    lease       the host's DHCP goes to the world's own DHCP server through
                the guest: it gets an address of the world's network
                (192.168.50.x, not 10.0.0.x) and its router, with the
                guest's eth0 address as the server to renew with and a
                lease capped at 300 s
    as itself   a world server sees the host's own address, not the
                guest's; a station of the world opens a TCP connection to
                a service on the host at that address
    renewal     the host's renewal, unicast to the guest, is relayed and
                acknowledged
    wpa_cli     the control-socket bridge lets the host in from its new
                address (netd names it to uds-passthru)
    IPv6        the host forms an address in the world's prefix from the
                guest's advertisements, reaches the world's IPv6 service
                from it, and the world reaches it back (proxy NDP)
    move        the guest moves to another network: the host's next
                renewal is refused and it gets an address of the new one
    fallback    a network that gives the host no address (its pool holds
                one, which the guest took): the guest falls back to NAT,
                says so in the status, and the host still reaches the
                world through it

The host's side is busybox udhcpc with sim/host-udhcpc.sh, which applies
the lease as a FreeBSD host's dhclient would.
"""
import os
import re
import time

import vm
from netd_lib import HOST_UDHCPC, WORLD_SERVICE, host_lease, lease_env, wait_status, world_reachable
from test_hostile import two_networks_app_config
from test_ipv6 import SERVICE6, ipv6_uplink_ready, wait_host, world6_reachable
from test_uds_passthru import STATION_CONF, HostSide, cli

BRIDGED = ("iface eth0 inet static\n"
           "    address 10.0.0.1\n"
           "    netmask 255.255.255.0\n"
           "    bridge-uplink yes\n"
           "iface wlan0 inet dhcp\n")


def in_world(v, cmd, timeout=60):
    return v.sh("/mnt/ctl.sh in-world %s" % cmd, timeout=timeout, check=False)


def world_listens(v, port, reply_cmd):
    """A TCP service in the world that runs reply_cmd for each connection,
    once it listens."""
    in_world(v, "sh -c 'nc -ll -p %d -e %s >/dev/null 2>&1 &'" % (port, reply_cmd))
    wait_until(lambda: ":%d " % port in in_world(v, "netstat -ltn"), "listener on the world's port %d" % port)


def host_listens(v, port, text):
    """A TCP service on the host, on both families, once it listens."""
    v.host("busybox nc -ll -p %d -e echo %s >/dev/null 2>&1 &" % (port, text))
    wait_until(lambda: ":%d " % port in v.host("ss -Hltn"), "listener on the host's port %d" % port)


def flap_eth0(v):
    """The host link down and up at the guest's console; back once netd has
    set eth0 up again with its addresses."""
    v.sh("ip link set eth0 down; sleep 1; ip link set eth0 up")
    wait_status(v, timeout=30, host_link_state="up", firewall="ok")
    wait_until(lambda: "10.0.0.1/24" in v.sh("ip -4 addr show dev eth0") and
               "fd00::ffff/64" in v.sh("ip -6 addr show dev eth0"), "eth0's addresses")


def wait_until(pred, what, timeout=20):
    end = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < end, "no %s within %d s" % (what, timeout)
        time.sleep(0.2)


def test_bridged_host_gets_the_networks_lease_and_is_reachable_there():
    conf = vm.test_config(**{"interfaces.conf": BRIDGED, "uds_passthru.conf": STATION_CONF})
    with vm.VM("bridged", config=conf, app=vm.station_app_config(), world={"mode": "ap"}) as v:
        v.login()
        st = wait_status(v, timeout=150, ssid=vm.DEMO_SSID, lease="bound", firewall="ok",
                         bridged="relaying")
        uplink = st["uplink_addr"].split("/")[0]
        lease = host_lease(v)
        ip = lease["ip"]
        assert ip.startswith("192.168.50.") and ip != uplink, lease
        assert lease["router"] == "192.168.50.1", lease
        assert lease["serverid"] == "10.0.0.1", lease	# renewals come back through the guest
        assert int(lease["lease"]) <= 300, lease
        mac = v.host("cat /sys/class/net/tap0/address").strip()
        st = wait_status(v, timeout=30, bridged="bridged", bridged_host=ip)
        assert st["bridged_neighbours"] == "%s %s" % (ip, mac), st

        # wpa_cli on the host still reaches the guest's wpa_supplicant,
        # from the host's address on the Wi-Fi network now
        host = HostSide(v)
        try:
            rc, out = cli(v, "wpa_cli", host.socat("10.0.0.1"), "ping")
            assert rc == 0 and out.strip() == "PONG", (rc, out)
        finally:
            host.close()

        # the host reaches the world, and the world sees the host's own address
        assert world_reachable(v)
        world_listens(v, 7001, "netstat -tn")
        seen = v.host("busybox nc -w 5 %s 7001" % WORLD_SERVICE.split()[0], timeout=30, check=False)
        why = "host %s, guest %s; the world saw: %s\n%s" % (ip, uplink, seen, v.sh(
            "iptables -t nat -S WIFIBOX-POSTROUTING; iptables -S WIFIBOX-FORWARD; ip route"))
        assert "%s:" % ip in seen and "%s:" % uplink not in seen, why

        # a station of the world reaches a service on the host at its address
        host_listens(v, 7002, "hello-from-the-host")
        got = in_world(v, "nc -w 5 %s 7002" % ip)
        assert "hello-from-the-host" in got, got
        # eth0 down and up again: the kernel drops the route to the host
        # with it, and netd sets it again
        flap_eth0(v)
        got = in_world(v, "nc -w 5 %s 7002" % ip)
        assert "hello-from-the-host" in got, "after eth0 went down and up: %r" % got
        fw = v.sh("iptables -t nat -S WIFIBOX-POSTROUTING; iptables -S WIFIBOX-FORWARD")
        assert "-s %s/32 -o wlan0" % ip in fw and "-d %s/32 -i wlan0 -o eth0" % ip in fw, fw

        # a renewal, as the host's client makes it halfway through the
        # lease: unicast to the guest's eth0 address, relayed, acknowledged
        with HostClient(v, ip) as client:
            renewed = client.renew()
            assert renewed["ip"] == ip and renewed["serverid"] == "10.0.0.1", renewed
        log = v.read_var("log/messages")
        assert "bridged mode: the host has %s on the Wi-Fi network" % ip in log, log[-3000:]


class HostClient:
    """The host's DHCP client left running, as a real host's is: busybox
    udhcpc with sim/host-udhcpc.sh, started for the address ip."""

    def __init__(self, v, ip):
        self.v = v
        self.env = os.path.join(v.dir, "client.env")
        self.pid = os.path.join(v.dir, "client.pid")
        v.host("HOST_LEASE_ENV=%s busybox udhcpc -i tap0 -t 10 -T 1 -r %s -p %s -s %s >/dev/null 2>&1"
               % (self.env, ip, self.pid, HOST_UDHCPC), timeout=60)
        self.lease = self.wait()

    def wait(self, timeout=60):
        end = time.monotonic() + timeout
        while not os.path.exists(self.env):
            assert time.monotonic() < end, "the host's client wrote no lease within %d s" % timeout
            time.sleep(0.2)
        lease = lease_env(self.env)
        os.unlink(self.env)
        return lease

    def renew(self, timeout=60):
        """What it does halfway through its lease (SIGUSR1: at once)."""
        self.v.host("kill -USR1 $(cat %s)" % self.pid)
        return self.wait(timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.v.host("kill $(cat %s)" % self.pid, check=False)


def test_bridged_host_has_an_ipv6_address_of_the_networks_prefix():
    """The guest's advertisements carry the world's /64 as well: the host
    forms its own address there, reaches the world's IPv6 service from it
    (not NAT66), and the world reaches it back through proxy NDP."""
    conf = vm.test_config(**{"interfaces.conf": BRIDGED})
    with vm.VM("bridged-v6", config=conf, app=vm.station_app_config(), world={"mode": "ap"}) as v:
        v.login()
        ipv6_uplink_ready(v)
        # past duplicate address detection: until then the host speaks
        # from its unique local address (NAT66)
        out = wait_host(v, "ip -6 addr show dev tap0 scope global -tentative",
                        r"inet6 2001:db8:50:0:[0-9a-f:]+/64", timeout=60)
        addr = re.search(r"inet6 (2001:db8:50:0:[0-9a-f:]+)/64", out).group(1)
        assert "fd00:" in out, out	# the guest's prefix stays
        st = wait_status(v, timeout=30, bridged_host6=re.escape(addr))
        assert world6_reachable(v)
        # the world sees the host's own address, not the guest's (NAT66)
        world_listens(v, 7004, "netstat -tn")
        seen = v.host("socat -T 5 - TCP6:[%s]:7004,connect-timeout=5 </dev/null" % SERVICE6,
                      timeout=30, check=False)
        # the host may speak from a temporary (privacy) address of the same
        # prefix: any of its own will do, the guest's will not
        host_addrs = re.findall(r"inet6 (2001:db8:50:0:[0-9a-f:]+)/64",
                                v.host("ip -6 addr show dev tap0 scope global"))
        peer = re.search(r"2001:db8:ffff::1:7004\s+(\S+):\d+\s", seen)
        assert peer and peer.group(1) in host_addrs, (host_addrs, seen, st["uplink_addr6"])
        assert peer.group(1) in v.sh("netd status"), "the guest answers for it: %s" % peer.group(1)
        # a station of the world reaches a service on the host at that address
        host_listens(v, 7005, "hello-over-ipv6")
        got = in_world(v, "nc -w 5 %s 7005" % addr)
        assert "hello-over-ipv6" in got, got
        flap_eth0(v)
        got = in_world(v, "nc -w 5 %s 7005" % addr)
        assert "hello-over-ipv6" in got, "after eth0 went down and up: %r" % got


def test_bridged_host_follows_the_guest_to_another_network():
    """What the host sees after a move: its next renewal, at most half of
    the capped lease later, is refused by the guest, and its client asks
    the new network, which leases it an address there."""
    conf = vm.test_config(**{"interfaces.conf": BRIDGED})
    with vm.VM("bridged-move", config=conf, app=two_networks_app_config(),
               world={"mode": "ap", "second": {}}) as v:
        v.login()
        wait_status(v, timeout=150, ssid=vm.DEMO_SSID, lease="bound", firewall="ok", bridged="relaying")
        first = host_lease(v)["ip"]
        with HostClient(v, first) as client:
            assert client.lease["ip"] == first, client.lease
            wait_status(v, timeout=30, bridged="bridged", bridged_host=first)
            v.sh("/mnt/ctl.sh move 2", timeout=60)
            wait_status(v, timeout=150, ssid=vm.SECOND_NETWORK["ssid"], lease="bound",
                        uplink_addr=r"192\.168\.60\.\d+/24", bridged="relaying", bridged_host="")
            moved = client.renew()
        assert moved["ip"].startswith("192.168.60.") and moved["router"] == "192.168.60.1", moved
        wait_status(v, timeout=30, bridged="bridged", bridged_host=moved["ip"])
        assert world_reachable(v)
        log = v.read_var("log/messages")
        assert "the host asked to keep %s, of the network the guest left: refused" % first in log, log[-3000:]


def test_bridged_falls_back_to_nat_when_the_network_gives_the_host_nothing():
    conf = vm.test_config(**{"interfaces.conf": BRIDGED})
    world = {"mode": "ap", "start": "192.168.50.100", "end": "192.168.50.100"}
    with vm.VM("bridged-full", config=conf, app=vm.station_app_config(), world=world) as v:
        v.login()
        st = wait_status(v, timeout=150, ssid=vm.DEMO_SSID, lease="bound", firewall="ok",
                         bridged="relaying")
        assert st["uplink_addr"].startswith("192.168.50.100/"), st
        # the host keeps asking, as a real one does, until the guest serves it
        lease = host_lease(v, options="-t 40")
        assert lease["ip"].startswith("10.0.0."), lease
        st = wait_status(v, timeout=30, bridged="nat-fallback")
        assert st["bridged_fallback"] == "the Wi-Fi network gives the host no address", st
        assert st["bridged_host"] == "", st
        assert world_reachable(v)
        log = v.read_var("log/messages")
        assert "no offer for the host from the Wi-Fi network (try 3 of 3)" in log, log[-3000:]
