"""The host and the Wi-Fi LAN's services (issue 16), on the real image:

    relays      forwarding.conf, in Wifibox's socat form: a UDP broadcast
                on the Wi-Fi network reaches the host; a flood is cut at
                the relay's rate; a line outside the supported forms is
                reported with its file and line, and the others apply
    mDNS        the reflector (interfaces.conf's "mdns-reflector yes"):
                the host finds the Wi-Fi network's services and the
                network finds the host's, with the guest's address in
                place of the host's; a second reflector on the network
                makes no loop; a flood is cut. mdnsd-services.conf's
                services are found from the Wi-Fi side with the guest's
                address, and withdrawn when netd stops. Off by default:
                nothing passes and 5353 stays closed. In access-point
                mode too: a Wi-Fi client's printer is found from the host.

The mDNS peers are test tools that share no code with netd:
sim/world/worldmdns (in the world) and sim/mdns.py (in the host's
namespace); both print a record as "SECTION NAME TYPE TTL DATA".
"""
import os
import re
import subprocess
import time

import vm
from netd_lib import fresh_status, host_lease, wait_status

HOST_ADDR = "10.0.0.2"
RELAY = "UDP4-RECV:11223,broadcast,reuseaddr UDP4:%s:11223\n" % HOST_ADDR

# In the host's namespace: every datagram to port 11223 for SECONDS, then
# how many came and the first one.
LISTEN = r'''
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 11223))
print("listening", flush=True)
end = time.monotonic() + float(sys.argv[1])
n, first = 0, b""
while time.monotonic() < end:
    s.settimeout(max(0.01, end - time.monotonic()))
    try:
        d = s.recv(2048)
    except socket.timeout:
        break
    first = first or d
    n += 1
print(n, first.decode(errors="replace"), flush=True)
'''


def listen(v, seconds):
    p = subprocess.Popen(["ip", "netns", "exec", v.netns, "python3", "-c", LISTEN, str(seconds)],
                         stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "listening"
    return p


def received(p):
    out, _ = p.communicate(timeout=60)
    n, _, first = out.strip().partition(" ")
    return int(n), first


def world_send(v, text, count=1):
    return v.sh("/mnt/ctl.sh in-world /mnt/worldctl udp-send 192.168.50.255 11223 %s %d"
                % (text, count), timeout=60)


MDNS_PY = os.path.join(vm.TOP, "sim", "mdns.py")


def host_query(v, name, qtype, timeout=4):
    """The records the host's query for name got, as (section, name, type, data)."""
    out = v.host("python3 %s query tap0 %s %s --timeout %s" % (MDNS_PY, name, qtype, timeout),
                 timeout=60, check=False)
    return records(out)


def world_query(v, name, qtype, timeout_ms=4000):
    out = v.sh("/mnt/ctl.sh in-world /mnt/worldmdns query world0 %s %s %d" % (name, qtype, timeout_ms),
               timeout=60, check=False)
    return records(out)


def records(out):
    got = []
    for line in out.splitlines():
        w = line.split(None, 4)
        if len(w) == 5 and w[0] in ("answer", "authority", "additional"):
            got.append((w[0], w[1].lower(), w[2], w[4]))
    return got


def data_of(recs, name, rtype):
    return [d for _, n, t, d in recs if n == name.lower() and t == rtype]


def world_bg(v, args, log):
    v.sh("(/mnt/ctl.sh in-world /mnt/worldmdns %s > %s 2>&1 &)" % (args, log))


def test_forwarding_conf_relays_a_lan_broadcast_to_the_host():
    conf = RELAY + "# Wifibox accepted any socat line; the guest says which it cannot do\n" \
                   "TCP4-LISTEN:8080,fork UDP4:10.0.0.2:8080\n"
    with vm.VM("lan-relay", config=vm.test_config(**{"forwarding.conf": conf}),
               app=vm.station_app_config(), world={"mode": "ap"}) as v:
        v.login()
        wait_status(v, timeout=150, ssid=vm.DEMO_SSID, lease="bound", firewall="ok")
        lease = host_lease(v, request=HOST_ADDR)
        assert lease["ip"] == HOST_ADDR, lease
        # the bad line, with its file and line; the good one applies
        log = v.read_var("log/messages")
        assert "forwarding.conf:3: receiving address 'TCP4-LISTEN' is not supported" in log, log[-2000:]
        assert "relaying UDP port 11223 from wlan0 to 10.0.0.2:11223 (/media/etc/forwarding.conf line 1)" \
            in log, log[-2000:]

        p = listen(v, 10)
        world_send(v, "hello-from-the-lan")
        n, first = received(p)
        assert (n, first) == (1, "hello-from-the-lan"), (n, first)

        # a flood from the Wi-Fi side: cut at 200 a second
        p = listen(v, 10)
        t0 = time.monotonic()
        world_send(v, "flood", 3000)
        sent_s = time.monotonic() - t0
        n, _ = received(p)
        print("flood: 3000 sent in %.1f s, %d reached the host" % (sent_s, n))
        assert 0 < n < 3000, n
        assert "more than 200 datagrams a second on port 11223" in v.read_var("log/messages")
        # the relay still works after it
        time.sleep(1.5)
        p = listen(v, 10)
        world_send(v, "after-the-flood")
        assert received(p) == (1, "after-the-flood")
        # and the firewall opened that port only: the status says it is ok
        rules = v.sh("iptables -S WIFIBOX-INPUT")
        assert "--dport 11223" in rules and "8080" not in rules, rules
        # mDNS is off by default: 5353 is closed, and the world's
        # announcements never reach the host
        assert "5353" not in rules + v.sh("ip6tables -S WIFIBOX-INPUT"), rules
        world_bg(v, "announce world0 worldprinter 192.168.50.1 WorldPrinter _ipp._tcp 631 20",
                 "/tmp/announce.log")
        assert host_query(v, "_ipp._tcp.local", "PTR") == []
        assert wait_status(v, timeout=5, mdns_reflector="off")["mdns_reflected"] == "0"


HOSTNAME = "wifibox"
SERVICES = ("# the host's web server, announced on the Wi-Fi network\nHostWeb\n_http._tcp\n8080\npath=/\n\n"
            "# no port forward for this one: a warning names both files\nHostPrinter\n_ipp._tcp\n631\n")
REFLECTOR = ("iface eth0 inet static\n    address 10.0.0.1\n    netmask 255.255.255.0\n"
             "    mdns-reflector yes\n\niface wlan0 inet dhcp\n")


def test_mdns_reflector_and_services_both_ways():
    conf = vm.test_config(**{"interfaces.conf": REFLECTOR, "mdnsd-services.conf": SERVICES,
                             "port_forwards.conf": "tcp 8080 -> 10.0.0.2:8080\n"})
    with vm.VM("lan-mdns", config=conf, app=vm.station_app_config(), world={"mode": "ap"}) as v:
        v.login()
        st = wait_status(v, timeout=150, ssid=vm.DEMO_SSID, lease="bound", firewall="ok",
                         mdns_reflector="on", mdns_services="2")
        uplink = st["uplink_addr"].split("/")[0]
        host = v.sh("hostname").strip()
        assert host_lease(v, request=HOST_ADDR)["ip"] == HOST_ADDR
        rules = v.sh("iptables -S WIFIBOX-INPUT")
        assert "-i eth0 -p udp -m udp --dport 5353" in rules and "-i wlan0 -p udp -m udp --dport 5353" in rules, rules

        # the Wi-Fi network's printer, found from the host
        world_bg(v, "announce world0 worldprinter 192.168.50.1 WorldPrinter _ipp._tcp 631 60",
                 "/tmp/announce.log")
        got = host_query(v, "_ipp._tcp.local", "PTR")
        assert set(data_of(got, "_ipp._tcp.local", "PTR")) == {"WorldPrinter._ipp._tcp.local"}, got
        assert set(data_of(got, "WorldPrinter._ipp._tcp.local", "SRV")) == {"0 0 631 worldprinter.local"}, got
        assert set(data_of(got, "worldprinter.local", "A")) == {"192.168.50.1"}, got
        got = host_query(v, "worldprinter.local", "A")
        assert set(data_of(got, "worldprinter.local", "A")) == {"192.168.50.1"}, got
        # over IPv6 too: the world's AAAA (a global address) reaches the host
        world_bg(v, "-6 announce world0 worldsix 2001:db8:50::1 WorldSix _ipp._tcp 631 30", "/tmp/announce6.log")
        out = v.host("python3 %s query tap0 worldsix.local AAAA --timeout 4 -6" % MDNS_PY, check=False)
        assert set(data_of(records(out), "worldsix.local", "AAAA")) == {"2001:db8:50::1"}, out
        log = v.read_var("log/messages")
        assert "mdnsd-services.conf:8: 'HostPrinter' (_ipp._tcp) port 631 has no forward in port_forwards.conf" in log, log[-3000:]

        # mdnsd-services.conf's service, found from the Wi-Fi side at the
        # guest's address there
        got = world_query(v, "_http._tcp.local", "PTR")
        assert set(data_of(got, "_http._tcp.local", "PTR")) == {"HostWeb._http._tcp.local"}, got
        assert set(data_of(got, "HostWeb._http._tcp.local", "SRV")) == {"0 0 8080 %s.local" % host}, got
        assert set(data_of(got, "%s.local" % host, "A")) == {uplink}, got
        assert set(data_of(got, "HostWeb._http._tcp.local", "TXT")) == {'"path=/"'}, got

        # the host's own service, found from the Wi-Fi side through the
        # reflector: its 10.0.0.2 became the guest's Wi-Fi address
        ann = subprocess.Popen(["ip", "netns", "exec", v.netns, "python3", MDNS_PY, "announce", "tap0",
                                "freebsd", HOST_ADDR, "FreeBSDssh", "_ssh._tcp", "22", "--seconds", "30"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1)
            got = world_query(v, "_ssh._tcp.local", "PTR")
        finally:
            ann.kill()
            ann.wait()
        assert set(data_of(got, "_ssh._tcp.local", "PTR")) == {"FreeBSDssh._ssh._tcp.local"}, got
        assert set(data_of(got, "freebsd.local", "A")) == {uplink}, got
        assert not [r for r in got if HOST_ADDR in r[3]], got

        # a second reflector on the Wi-Fi network sends back all it gets:
        # the host's one query comes back to it at most once, not in a loop
        world_bg(v, "echo world0 8", "/tmp/echo.log")
        time.sleep(1)
        p = subprocess.Popen(["ip", "netns", "exec", v.netns, "python3", MDNS_PY, "listen", "tap0", "5"],
                             stdout=subprocess.PIPE, text=True)
        time.sleep(0.5)
        host_query(v, "loop-probe.local", "A", timeout=1)
        out, _ = p.communicate(timeout=60)
        copies = out.count("question loop-probe.local A")
        print("a query with a reflector echoing on the Wi-Fi side: %d copies back at the host" % copies)
        time.sleep(4)
        echoed = v.sh("cat /tmp/echo.log")
        print("the echoing reflector: %s; the guest's status: %s" % (echoed.strip(), v.sh("netd status | grep mDNS").strip()))
        assert copies <= 1, out[-2000:]
        assert int(re.search(r"echoed (\d+)", echoed).group(1)) > 0, echoed
        assert int(fresh_status(v)["mdns_dropped"]) > 0

        # a flood of announcements from the Wi-Fi side is cut at 100 a second
        p = subprocess.Popen(["ip", "netns", "exec", v.netns, "python3", MDNS_PY, "listen", "tap0", "6"],
                             stdout=subprocess.PIPE, text=True)
        time.sleep(0.5)
        sent = v.sh("/mnt/ctl.sh in-world /mnt/worldmdns flood world0 3000", timeout=60)
        out, _ = p.communicate(timeout=60)
        n = len(set(re.findall(r"answer (flood-\d+\.local) A", out)))
        print("flood: %s; %d reached the host" % (sent.strip(), n))
        assert 0 < n < 1000, n
        assert "more than 100 messages a second towards the host" in v.read_var("log/messages")

        # netd stops: the service is withdrawn with a goodbye (TTL 0)
        world_bg(v, "listen world0 15", "/tmp/bye.log")
        time.sleep(1)
        old = v.sh("pidof netd").split()[0]
        v.sh("kill %s" % old)
        time.sleep(8)
        bye = v.sh("cat /tmp/bye.log")
        assert re.search(r"answer HostWeb\._http\._tcp\.local SRV 0 ", bye), bye[-2000:]
        # and the stopping netd says nothing more after its goodbye (the
        # Wi-Fi going down on the way out once made it announce again)
        log = v.read_var("log/messages")
        after = log[log.index("netd[%s]: stopping" % old):]
        assert not re.search(r"netd\[%s\]: mDNS: announcing" % old, after), after[:3000]


AP_REFLECTOR = ("iface eth0 inet static\n    address 10.0.0.2\n    netmask 255.255.255.0\n"
                "    gateway 10.0.0.1\n    mdns-reflector yes\n\n"
                "iface wlan0 inet static\n    address 192.168.0.1\n    netmask 255.255.255.0\n")
AP_CONF = "\n".join([
    "interface=wlan0", "driver=nl80211", "ctrl_interface=/var/run/hostapd",
    "ssid=" + vm.DEMO_SSID, "hw_mode=g", "channel=1", "wpa=2", "wpa_key_mgmt=WPA-PSK",
    "rsn_pairwise=CCMP", "wpa_passphrase=" + vm.DEMO_PASSPHRASE, "country_code=DE", ""])


def test_mdns_reflector_in_access_point_mode():
    """The guest is the access point and the host its way out: a Wi-Fi
    client's printer is found from the host, and the host's service from
    the client, addresses untouched (the host routes to the clients)."""
    with vm.VM("lan-mdns-ap", config=vm.test_config(**{"interfaces.conf": AP_REFLECTOR}),
               app={"hostapd.conf": AP_CONF}, world={"mode": "station"}) as v:
        v.login()
        wait_status(v, timeout=150, mode="ap", wifi_state="ENABLED", stations="1", mdns_reflector="on")
        v.host("ip addr add 10.0.0.1/24 dev tap0")
        lease = ""
        for _ in range(60):
            lease = v.sh("/mnt/ctl.sh lease", check=False)
            m = re.search(r"192\.168\.0\.\d+", lease)
            if m:
                break
            time.sleep(1)
        assert m, lease
        client = m.group(0)
        world_bg(v, "announce world0 clientprinter %s ClientPrinter _ipp._tcp 631 60" % client,
                 "/tmp/announce.log")
        got = host_query(v, "_ipp._tcp.local", "PTR")
        assert set(data_of(got, "_ipp._tcp.local", "PTR")) == {"ClientPrinter._ipp._tcp.local"}, got
        assert set(data_of(got, "clientprinter.local", "A")) == {client}, got
        ann = subprocess.Popen(["ip", "netns", "exec", v.netns, "python3", MDNS_PY, "announce", "tap0",
                                "freebsd", "10.0.0.1", "FreeBSDweb", "_http._tcp", "80", "--seconds", "30"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1)
            got = world_query(v, "_http._tcp.local", "PTR")
        finally:
            ann.kill()
            ann.wait()
        assert set(data_of(got, "freebsd.local", "A")) == {"10.0.0.1"}, got
        rules = v.sh("iptables -S WIFIBOX-INPUT")
        assert "-i eth0 -p udp -m udp --dport 5353" in rules and "-i wlan0 -p udp -m udp --dport 5353" in rules, rules
