"""The host's DNS through the guest (issue 15), on the real image: the
host's lease names the guest (10.0.0.1), whose dnsmasq asks the DNS
servers of the network the guest is on now. The world has two networks,
each with its own DNS server, which give different answers for the same
name (probe.test).

    follow      the host resolves through the guest on network A; the
                guest moves to network B; the host, with no new lease,
                gets B's answer at its next lookup once B's lease is in
                (nothing cached from A); then A's access point goes away
                and a lookup is refused at once, not left to time out
    wifi side   from the Wi-Fi side, port 53 of the guest is closed; the
                host is answered over UDP, TCP and IPv6"""
import time

import vm
from netd_lib import HOST_DNS, host_lease, wait_status
from test_hostile import two_networks_app_config
from test_ipv6 import wait_host

A, B = "192.0.2.1", "192.0.2.2"
WORLD = {"mode": "ap", "dns": "192.168.50.1", "dns_answers": {"probe.test": A},
         "second": {"dns_answers": {"probe.test": B}}}

# One DNS query, as the host's resolver sends it (UDP, or TCP with
# "tcp"), to an IPv4 or IPv6 server: prints the answer's rcode, its first
# A record (or -) and the seconds it took.
QUERY = r'''
import socket, struct, sys, time
name, server, proto = sys.argv[1], sys.argv[2], sys.argv[3]
q = struct.pack(">HHHHHH", 0x5151, 0x0100, 1, 0, 0, 0)
q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
family = socket.AF_INET6 if ":" in server else socket.AF_INET
t = time.monotonic()
try:
    if proto == "tcp":
        s = socket.create_connection((server, 53), timeout=5)
        s.sendall(struct.pack(">H", len(q)) + q)
        d = b""
        while len(d) < 2 or len(d) < 2 + struct.unpack(">H", d[:2])[0]:
            more = s.recv(1500)
            if not more:
                break
            d += more
        d = d[2:]
    else:
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.settimeout(5)
        s.sendto(q, (server, 53))
        d = s.recv(1500)
except socket.timeout:
    print("timeout - %.3f" % (time.monotonic() - t))
    sys.exit(0)
secs = time.monotonic() - t
rcode, ancount = d[3] & 15, struct.unpack(">H", d[6:8])[0]
ip = "-"
if ancount and d[-6:-4] == b"\0\4":
    ip = socket.inet_ntoa(d[-4:])
print(rcode, ip, "%.3f" % secs)
'''


def lookup(v, name="probe.test", server="10.0.0.1", proto="udp"):
    """(rcode or "timeout", address or "-", seconds) of the host's query."""
    out = v.host("python3 -c '%s' %s %s %s" % (QUERY.replace("'", "'\\''"), name, server, proto),
                 timeout=30)
    rcode, ip, secs = out.split()
    return (rcode if rcode == "timeout" else int(rcode)), ip, float(secs)


def test_the_hosts_dns_follows_the_guests_network():
    with vm.VM("dns-follow", config=vm.test_config(), app=two_networks_app_config(),
               world=WORLD) as v:
        v.login()
        wait_status(v, timeout=150, ssid=vm.DEMO_SSID, lease="bound", dns="192.168.50.1")
        lease = host_lease(v)
        assert lease["dns"] == HOST_DNS, lease
        assert lookup(v)[:2] == (0, A), lookup(v)
        cached = lookup(v)
        print("network A through the guest: %s (a cached answer in %.1f ms)" % (A, cached[2] * 1000))

        v.sh("/mnt/ctl.sh move 2", timeout=60)
        wait_status(v, timeout=150, ssid=vm.SECOND_NETWORK["ssid"], wifi_state="COMPLETED",
                    lease="bound", uplink_addr=r"192\.168\.60\.\d+/24", dns="192.168.60.1")
        # B's lease is in: the next lookup, with the host's lease as it
        # was, is B's answer (dnsmasq reloads within netd's reaction,
        # SIGHUP, so a second is ample on this slow emulator)
        deadline, got = time.monotonic() + 1.0, None
        while time.monotonic() < deadline:
            got = lookup(v)
            if got[:2] == (0, B):
                break
        assert got[:2] == (0, B), "after the move the host still gets %r" % (got,)
        assert "nameserver 192.168.50.1" not in v.sh("cat /run/netd/dns-upstream")
        print("network B through the guest: %s, the host's lease unchanged" % B)

        # no uplink: the access point goes; a lookup is refused at once
        v.sh("/mnt/ctl.sh in-world /mnt/net.sh down", timeout=60)
        wait_status(v, timeout=60, wifi_state=r"(?!COMPLETED).*")
        rcode, ip, secs = lookup(v)
        assert rcode == 5 and ip == "-" and secs < 1.0, (rcode, ip, secs)
        print("no uplink: REFUSED in %.0f ms" % (secs * 1000))
        assert v.console.seen(r"netd: connected to '%s'" % vm.SECOND_NETWORK["ssid"])


def test_port_53_is_closed_from_the_wifi_side():
    world = {"mode": "ap", "dns": "192.168.50.1", "dns_answers": {"probe.test": A}}
    with vm.VM("dns-wifi-side", config=vm.test_config(), app=vm.station_app_config(),
               world=world) as v:
        v.login()
        st = wait_status(v, timeout=150, ssid=vm.DEMO_SSID, lease="bound")
        guest = st["uplink_addr"].split("/")[0]
        # the world's side asks the guest's Wi-Fi address and, through the
        # guest as its router, its host-link address: no answer either way
        # (dropped, so a time-out)
        v.sh("/mnt/ctl.sh in-world ip route replace 10.0.0.0/24 via %s" % guest)
        for server in (guest, "10.0.0.1"):
            out = v.sh("/mnt/ctl.sh in-world nslookup -timeout=2 -retry=1 probe.test %s 2>&1; "
                       "echo rc=$?" % server, timeout=60, check=False)
            assert "timed out" in out and "rc=0" not in out, out
        # while the host, on eth0, is answered: over UDP and TCP, and at
        # the guest's IPv6 address on eth0 once the host has its own
        host_lease(v)
        assert lookup(v)[:2] == (0, A)
        assert lookup(v, proto="tcp")[:2] == (0, A)
        wait_host(v, "ip -6 addr show dev tap0 scope global", r"inet6 fd00::[0-9a-f:]+/64")
        assert lookup(v, server="fd00::ffff")[:2] == (0, A)
        assert "dnsmasq" in v.sh("pidof dnsmasq >/dev/null && echo dnsmasq")
