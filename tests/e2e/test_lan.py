"""The host and the Wi-Fi LAN's services (issue 16), on the real image:

    relays      forwarding.conf, in Wifibox's socat form: a UDP broadcast
                on the Wi-Fi network reaches the host; a flood is cut at
                the relay's rate; a line outside the supported forms is
                reported with its file and line, and the others apply"""
import os
import subprocess
import time

import vm
from netd_lib import host_lease, wait_status

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
