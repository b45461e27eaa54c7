"""The control-socket pass-through on the real image (issue 6): the host's
wpa_cli and hostapd_cli reach the Wi-Fi daemon in the guest over eth0.

The guest reads uds_passthru.conf (Wifibox's format) from the config share
and init starts uds-passthru in guest mode. In the host namespace, the host
side runs either exactly as wifibox-core runs it (socat UNIX-RECVFROM ...
TCP4, one TCP connection per datagram) or as uds-passthru's host mode (one
framed connection per client). Through each, our static wpa_cli
($WPA/sbin/wpa_cli, as on a FreeBSD host) sees wpa_state=COMPLETED for the
simulated network, and an attached `wpa_cli -a` gets the events of a
disconnect and a reconnect. In access-point mode, hostapd_cli sees hostapd
enabled and the world's station associated."""
import os
import re
import signal
import subprocess
import time

import vm
from test_netd_ap import HOSTAPD_CONF
from netd_lib import host_lease, wait_status

PORT = 1200
STATION_CONF = "\n".join([
    "# as Wifibox's sample: the guest's eth0 and one control socket",
    "network=10.0.0.1:255.255.255.0",
    "_sockdir=/var/run/wpa_supplicant",
    '_perms="user=root,group=0,mode=770"',
    'sockets="path=${_sockdir}/wlan0,${_perms},port=%d"' % PORT,
    ""])
AP_CONF = "\n".join([
    "network=10.0.0.2:255.255.255.0",
    "_sockdir=/var/run/hostapd",
    '_perms="user=root,group=0,mode=770"',
    'sockets="path=${_sockdir}/wlan0,${_perms},port=%d"' % PORT,
    ""])


def thirdparty(name):
    with open(os.path.join(vm.BUILD, "thirdparty.env")) as f:
        env = dict(l.strip().split("=", 1) for l in f if "=" in l)
    return env[name]


WPA_SBIN = os.path.join(thirdparty("WPA"), "sbin")
BRIDGE = os.path.join(vm.BUILD, "musl", "bin", "uds-passthru")


class HostSide:
    """Processes in the host namespace, each with a log in the VM's folder,
    all stopped at the end."""

    def __init__(self, v):
        self.v = v
        self.procs = []

    def spawn(self, name, argv):
        log = open(os.path.join(self.v.dir, "host-%s.log" % name), "w")
        p = subprocess.Popen(["ip", "netns", "exec", self.v.netns] + argv, stdout=log,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.procs.append(p)
        return p

    def socket_dir(self, name):
        d = os.path.join(self.v.dir, "host-" + name)
        os.makedirs(d, exist_ok=True)
        return d

    def wait_socket(self, path, proc):
        deadline = time.monotonic() + 10
        while not os.path.exists(path):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the host side never made its socket %s" % path)
            time.sleep(0.05)

    def socat(self, ip):
        """wifibox-core's host side: socat under daemon -r."""
        d = self.socket_dir("socat")
        path = os.path.join(d, "wlan0")
        p = self.spawn("socat", [
            "socat", "UNIX-RECVFROM:%s,reuseaddr,fork,unlink-early,user=root,group=0,mode=770" % path,
            "TCP4:%s:%d" % (ip, PORT)])
        self.wait_socket(path, p)
        return d

    def host_mode(self, ip):
        d = self.socket_dir("bridge")
        path = os.path.join(d, "wlan0")
        p = self.spawn("uds-passthru", [BRIDGE, "host", "-v", "-u", "root", "-g", "0", "-m", "770",
                                        path, "%s:%d" % (ip, PORT)])
        self.wait_socket(path, p)
        return d

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def cli(v, tool, sockdir, *args, timeout=30):
    """wpa_cli or hostapd_cli in the host namespace; (exit status, output)."""
    p = vm.run(["ip", "netns", "exec", v.netns, os.path.join(WPA_SBIN, tool), "-p", sockdir,
                "-i", "wlan0"] + list(args), timeout=timeout, check=False)
    return p.returncode, p.stdout


def fields(text):
    return dict(l.split("=", 1) for l in text.splitlines() if "=" in l)


def check_status(v, sockdir):
    rc, out = cli(v, "wpa_cli", sockdir, "ping")
    assert rc == 0 and out.strip() == "PONG", "wpa_cli ping through the bridge: %d %r" % (rc, out)
    rc, out = cli(v, "wpa_cli", sockdir, "status")
    st = fields(out)
    assert rc == 0 and st.get("wpa_state") == "COMPLETED", \
        "wpa_cli status through the bridge (exit %d):\n%s" % (rc, out)
    assert st.get("ssid") == vm.DEMO_SSID and st.get("key_mgmt") == "WPA2-PSK", out
    assert re.fullmatch(r"192\.168\.50\.\d+", st.get("ip_address", "")), out
    # A multi-line reply.
    rc, out = cli(v, "wpa_cli", sockdir, "list_networks")
    assert rc == 0 and re.search(r"^0\t%s\t" % re.escape(vm.DEMO_SSID), out, re.M), out


def check_events(v, host, sockdir, timeout):
    """An attached `wpa_cli -a` runs its script for the DISCONNECTED and
    CONNECTED events of a disconnect and a reconnect sent through the
    bridge by a one-shot wpa_cli."""
    events = os.path.join(v.dir, "action-%s.out" % os.path.basename(sockdir))
    script = os.path.join(v.dir, "action-%s.sh" % os.path.basename(sockdir))
    with open(script, "w") as f:
        f.write("#!/bin/sh\necho \"$2\" >> %s\n" % events)
    os.chmod(script, 0o755)
    monitor = host.spawn("wpa_cli-a-" + os.path.basename(sockdir),
                         [os.path.join(WPA_SBIN, "wpa_cli"), "-p", sockdir, "-i", "wlan0",
                          "-a", script])
    time.sleep(3)     # let it ATTACH (through socat: a connection of its own)

    def wait_for(word):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(events) and word in open(events).read().split():
                return time.monotonic()
            time.sleep(0.1)
        raise AssertionError("wpa_cli -a never ran its script for %s (in %d s); it got %r" % (
            word, timeout, open(events).read() if os.path.exists(events) else ""))

    t0 = time.monotonic()
    assert cli(v, "wpa_cli", sockdir, "disconnect")[1].strip() == "OK"
    down = wait_for("DISCONNECTED") - t0
    # The host's request holds: the guest stays disconnected until asked.
    st = fields(cli(v, "wpa_cli", sockdir, "status")[1])
    assert st.get("wpa_state") == "DISCONNECTED", st
    t1 = time.monotonic()
    assert cli(v, "wpa_cli", sockdir, "reconnect")[1].strip() == "OK"
    up = wait_for("CONNECTED") - t1
    assert monitor.poll() is None, "wpa_cli -a exited"
    print("%s: wpa_cli -a saw DISCONNECTED %.1f s after the request, CONNECTED %.1f s after "
          "reconnect" % (os.path.basename(sockdir), down, up))


def station(name):
    return vm.VM(name, config=vm.test_config(**{"uds_passthru.conf": STATION_CONF}),
                 app=vm.station_app_config(), world={"mode": "ap"})


def ready(v):
    wait_status(v, wifi_state="COMPLETED", lease="bound")
    host_lease(v)


def test_wpa_cli_through_socat_as_wifibox_core_runs_it():
    with station("udsp-socat") as v:
        v.login()
        ready(v)
        host = HostSide(v)
        try:
            sockdir = host.socat("10.0.0.1")
            check_status(v, sockdir)
            # socat's host side carries no client identity: the bridge
            # parks the attached socket and hands its events to the next
            # PING, which wpa_cli -a sends every 5 s.
            check_events(v, host, sockdir, timeout=30)
        finally:
            host.close()


def test_wpa_cli_through_host_mode():
    with station("udsp-host") as v:
        v.login()
        ready(v)
        host = HostSide(v)
        try:
            sockdir = host.host_mode("10.0.0.1")
            check_status(v, sockdir)
            check_events(v, host, sockdir, timeout=30)
        finally:
            host.close()


def test_hostapd_cli_in_access_point_mode():
    with vm.VM("udsp-ap", config=vm.test_config(**{"uds_passthru.conf": AP_CONF}),
               app={"hostapd.conf": HOSTAPD_CONF}, world={"mode": "station"}) as v:
        v.login()
        st = wait_status(v, mode="ap", wifi_state="ENABLED", stations="1")
        # The host is 10.0.0.1 in access-point mode (the guest's gateway).
        v.host("ip addr add 10.0.0.1/24 dev tap0")
        host = HostSide(v)
        try:
            for sockdir in (host.socat("10.0.0.2"), host.host_mode("10.0.0.2")):
                rc, out = cli(v, "hostapd_cli", sockdir, "ping")
                assert rc == 0 and out.strip().endswith("PONG"), (rc, out)
                rc, out = cli(v, "hostapd_cli", sockdir, "status")
                f = fields(out)
                assert rc == 0 and f.get("state") == "ENABLED" and f.get("ssid[0]") == vm.DEMO_SSID, \
                    "hostapd_cli status through %s (exit %d):\n%s" % (sockdir, rc, out)
                rc, out = cli(v, "hostapd_cli", sockdir, "all_sta")
                stas = re.findall(r"^([0-9a-f]{2}(?::[0-9a-f]{2}){5})$", out, re.M)
                assert rc == 0 and len(stas) == 1 and "[AUTHORIZED]" in out, \
                    "hostapd_cli all_sta through %s: the world's station is missing:\n%s" % (sockdir, out)
            assert st["stations"] == "1"
        finally:
            host.close()
