"""The shipped sample configuration (samples/) on the real image: each VM
boots with the sample files as a user would copy them, changed only where
the samples say to fill something in (the network's name and passphrase,
a forward, a rule), and the tests check that every file does what its
comments promise. Expectations are read from the samples themselves, so a
sample that changes its values is still held to them.

    station   samples/config/* + samples/app_config/wpa_supplicant.conf,
              joining the simulated world's access point
    access    the access-point blocks + samples/app_config/hostapd.conf,
              with a world station joining the guest
"""
import os
import re
import subprocess
import time

import vm
import netd_lib
from netd_lib import wait_status

SAMPLES = os.path.join(vm.TOP, "samples")
WORLD_DNS = "192.168.50.1 198.51.100.53"
WORLD_DOMAIN = "world.test"
HOST_ADDR = "10.0.0.2"      # the inside address port_forwards.conf's example uses


# -- reading and filling in the samples ----------------------------------------

def sample(rel):
    with open(os.path.join(SAMPLES, rel)) as f:
        return f.read()


def replace(text, old, new, count=1):
    """Replaces old (which must be there: the sample changed otherwise)."""
    if old not in text:
        raise AssertionError("the sample no longer contains %r" % old)
    return text.replace(old, new, count)


def uncomment(text, line):
    """Removes the '#' in front of one whole line of the sample."""
    lines = text.split("\n")
    if "#" + line not in lines:
        raise AssertionError("the sample no longer has the line %r" % ("#" + line))
    lines[lines.index("#" + line)] = line
    return "\n".join(lines)


def block(text, name):
    """The lines between '# NAME-begin' and '# NAME-end'."""
    m = re.search(r"(?ms)^# %s-begin\n(.*?)^# %s-end$" % (name, name), text)
    if not m:
        raise AssertionError("the sample has no %s block" % name)
    return m


def access_point_variant(text):
    """What the samples ask for access-point mode: a '#' in front of the
    station block's lines, and the first '#' of the access-point block's
    lines removed."""
    st = block(text, "station")
    lines = ["#" + l if l.strip() and not l.startswith("#") else l
             for l in st.group(1).split("\n")]
    text = text[:st.start(1)] + "\n".join(lines) + text[st.end(1):]
    ap = block(text, "ap")
    lines = [l[1:] if l.startswith("#") else l for l in ap.group(1).split("\n")]
    return text[:ap.start(1)] + "\n".join(lines) + text[ap.end(1):]


def uncomment_table(text, table):
    """Removes the '#' of an iptables sample's example table: from '#*TABLE'
    to the first '#COMMIT', the rule lines (not the explanations)."""
    m = re.search(r"(?ms)^#\*%s\n.*?^#COMMIT$" % table, text)
    if not m:
        raise AssertionError("the sample has no commented *%s table" % table)
    lines = [l[1:] if re.match(r"#[-*]|#COMMIT$", l) else l for l in m.group(0).split("\n")]
    return text[:m.start()] + "\n".join(lines) + text[m.end():]


def active(text):
    """The lines that are not comments or blank, without trailing comments."""
    out = []
    for l in text.splitlines():
        l = l.split("#", 1)[0].strip()
        if l:
            out.append(l)
    return out


def settings(text):
    """udhcpd.conf's active lines as {keyword or 'opt NAME': value}."""
    s = {}
    for l in active(text):
        w = l.split()
        if w[0] in ("opt", "option"):
            s["opt " + w[1]] = " ".join(w[2:])
        else:
            s[w[0]] = " ".join(w[1:])
    return s


def iface_address(text, name):
    """(address, prefix) of 'iface NAME inet static' in interfaces.conf."""
    addr = prefix = None
    current = None
    for l in active(text):
        w = l.split()
        if w[0] == "iface":
            current = (w[1], w[2] if len(w) == 4 else "inet")
        elif current == (name, "inet") and w[0] == "address":
            addr, _, bits = w[1].partition("/")
            prefix = int(bits) if bits else prefix
        elif current == (name, "inet") and w[0] == "netmask":
            prefix = sum(bin(int(o)).count("1") for o in w[1].split(".")) if "." in w[1] else int(w[1])
    return addr, prefix


def nameservers(text):
    """All dns-nameservers addresses of interfaces.conf, in order."""
    out = []
    for l in active(text):
        w = l.split()
        if w[0] == "dns-nameservers":
            out += w[1:]
    return out


def passthru(text):
    """(address, [ports]) of uds_passthru.conf, as the host's sh reads it."""
    p = subprocess.run(["sh", "-c", '. /dev/stdin; printf "%s\\n" "$network"; printf "%s\\n" "$sockets"'],
                       input=text, capture_output=True, text=True, check=True)
    lines = p.stdout.splitlines()
    ports = [int(m) for m in re.findall(r"port=(\d+)", "\n".join(lines[1:]))]
    return lines[0].split(":")[0].split("/")[0], ports


def station_samples():
    """config and app_config shares for station mode, filled in."""
    cfg = {}
    for name in ("interfaces.conf", "udhcpd.conf", "uds_passthru.conf", "sysctl.conf"):
        cfg[name] = sample("config/" + name)
    cfg["hostname"] = re.sub(r"(?m)^wifibox$", "sample-box", sample("config/hostname"))
    assert "sample-box" in cfg["hostname"], "hostname's sample has no 'wifibox' line to change"
    cfg["modules.conf"] = uncomment(sample("config/modules.conf"), "load mac80211_hwsim radios=1")
    cfg["port_forwards.conf"] = uncomment(sample("config/port_forwards.conf"), "tcp 2222 -> 10.0.0.2:22")
    cfg["iptables"] = uncomment_table(sample("config/iptables"), "filter")
    cfg["ip6tables"] = uncomment_table(sample("config/ip6tables"), "filter")
    wpa = sample("app_config/wpa_supplicant.conf")
    m = re.search(r"(?ms)^#network=\{\n.*?^#\}$", wpa)
    assert m, "wpa_supplicant.conf's sample has no commented network block"
    net = "\n".join(l[1:] for l in m.group(0).split("\n"))
    net = replace(net, '"your network"', '"%s"' % vm.DEMO_SSID)
    net = replace(net, '"your passphrase"', '"%s"' % vm.DEMO_PASSPHRASE)
    wpa = wpa[:m.start()] + net + wpa[m.end():]
    return cfg, {"wpa_supplicant.conf": wpa}


# -- observing the guest -----------------------------------------------------------

def wait_guest(v, cmd, pattern, timeout=60):
    """Runs cmd at the console until its output matches."""
    deadline = time.monotonic() + timeout
    out = ""
    while time.monotonic() < deadline:
        out = v.sh(cmd, check=False)
        if re.search(pattern, out):
            return out
        time.sleep(1)
    raise AssertionError("%r never showed /%s/; last output:\n%s" % (cmd, pattern, out))


def host_lease(v, request):
    """A DHCP lease for the host's tap0, asking for the search list too;
    the host's addresses are all replaced, as this test always did."""
    return netd_lib.host_lease(v, request, options="-O search", flush_all=True)


def messages(v):
    try:
        return v.read_var("log/messages")
    except OSError:
        return ""


def wait_messages(v, pattern, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if re.search(pattern, messages(v)):
            return
        time.sleep(0.5)
    raise AssertionError("var/log/messages never had /%s/; its end:\n%s" % (pattern, messages(v)[-3000:]))


def ip2int(a):
    o = [int(x) for x in a.split(".")]
    return (o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]


def listening(v, addr, ports, timeout=60):
    for port in ports:
        wait_guest(v, "netstat -ltn", r"%s:%d\s" % (re.escape(addr), port), timeout)


# -- the tests ---------------------------------------------------------------------

def test_station_samples_work_as_documented():
    cfg, app = station_samples()
    ifc = cfg["interfaces.conf"]
    dhcp = settings(cfg["udhcpd.conf"])
    with vm.VM("samples-sta", config=cfg, app=app, world={"mode": "ap"}) as v:
        v.login()
        problems = []

        def check(ok, what):
            if not ok:
                problems.append(what)

        # hostname: the filled-in name, on the prompt too.
        check(v.sh("hostname") == "sample-box", "hostname: %r" % v.sh("hostname"))
        check(v.console.seen(r"\nsample-box login: "), "hostname: the login prompt is not named after it")

        # interfaces.conf: eth0's address; wpa_supplicant.conf: associated;
        # udhcpd.conf: used from the file; a lease on the Wi-Fi side.
        addr, prefix = iface_address(ifc, "eth0")
        st = wait_status(v, timeout=120, mode="station", host_addr=r"%s/%d" % (re.escape(addr), prefix),
                         wifi_state="COMPLETED", ssid=re.escape(vm.DEMO_SSID), lease="bound",
                         dns=re.escape(WORLD_DNS), forwarding="1", firewall="ok",
                         dhcp_server="running", dhcp_server_settings="/media/etc/udhcpd.conf")
        uplink = st["uplink_addr"].split("/")[0]
        # modules.conf: the radio (it associated) and its option.
        check("mac80211_hwsim" in v.sh("lsmod"), "modules.conf: mac80211_hwsim is not loaded")
        check("init: loaded mac80211_hwsim radios=1" in v.read_var("log/dmesg"),
              "modules.conf: init did not load mac80211_hwsim with radios=1")
        check("%s/%d" % (addr, prefix) in v.sh("ip -4 addr show eth0"), "interfaces.conf: eth0 lacks %s" % addr)
        check(st["dhcp_client"] == "running", "interfaces.conf: 'iface wlan0 inet dhcp' but no DHCP client")

        # netd status at the console says the same.
        out = v.sh("netd status")
        check(vm.DEMO_SSID in out and uplink in out, "netd status does not show the network:\n" + out)

        # udhcpd.conf: the host's lease carries the sample's options, with
        # %%DNS%% and %%DOMAIN%% filled in from the world's lease.
        lease = host_lease(v, HOST_ADDR)
        lo, hi = dhcp["start"], dhcp["end"]
        check(ip2int(lo) <= ip2int(lease.get("ip", "0.0.0.0")) <= ip2int(hi),
              "udhcpd.conf: leased %s, not in %s-%s" % (lease.get("ip"), lo, hi))
        check(lease.get("router") == dhcp["opt router"], "udhcpd.conf: router %r" % lease.get("router"))
        check(lease.get("subnet") == dhcp["opt subnet"], "udhcpd.conf: subnet %r" % lease.get("subnet"))
        # %%DNS%% is the guest itself, whose dnsmasq asks the world's servers
        want_dns = replace(dhcp["opt dns"], "%%DNS%%", "10.0.0.1").split()
        check(lease.get("dns", "").split() == want_dns, "udhcpd.conf: dns %r, want %r" % (lease.get("dns"), want_dns))
        check(lease.get("domain") == WORLD_DOMAIN, "udhcpd.conf: domain %r" % lease.get("domain"))
        check(lease.get("lease") == dhcp["opt lease"], "udhcpd.conf: lease %r" % lease.get("lease"))
        check(lease.get("ip") == HOST_ADDR, "the host asked for %s and got %s" % (HOST_ADDR, lease.get("ip")))

        # The point of it all: the host reaches the world through the NAT.
        out = v.host("busybox nc -w 5 198.51.100.1 7777", timeout=30, check=False)
        check(out.strip() == "wifibox-world", "no way out through the NAT: %r" % out)

        # port_forwards.conf: tcp 2222 on the uplink reaches the host's 22.
        check(re.search(r"--dport 2222 .*-j DNAT --to-destination 10\.0\.0\.2:22",
                        v.sh("iptables -t nat -S WIFIBOX-PREROUTING")) is not None,
              "port_forwards.conf: no DNAT rule for tcp 2222")
        listener = subprocess.Popen(["ip", "netns", "exec", v.netns, "timeout", "60", "busybox", "nc",
                                     "-l", "-p", "22", "-e", "/bin/echo", "behind-the-forward"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1)
            out = v.sh("/mnt/ctl.sh in-world nc -w 5 %s 2222" % uplink, check=False, timeout=30)
            check("behind-the-forward" in out, "port_forwards.conf: tcp 2222 from the world: %r" % out)
        finally:
            listener.kill()
            listener.wait()

        # iptables and ip6tables: the example rules are loaded.
        wait_messages(v, r"user rules /media/etc/ip6tables loaded|ip6tables.*(failed|exit status)")
        text = messages(v)
        for tool, rule in (("iptables", "-A FORWARD -d 192.168.1.0/24 -i eth0 -j REJECT"),
                           ("ip6tables", "-A INPUT ! -i eth0 -m conntrack ! --ctstate RELATED,ESTABLISHED -j DROP")):
            check("user rules /media/etc/%s loaded" % tool in text, "%s: not loaded; log:\n%s" % (
                tool, "\n".join(l for l in text.splitlines() if tool in l)))
            check(rule in v.sh("%s -S" % tool), "%s: %r is not in the table" % (tool, rule))
        fwd = v.sh("iptables -S FORWARD").splitlines()
        jump = fwd.index("-A FORWARD -j WIFIBOX-FORWARD") if "-A FORWARD -j WIFIBOX-FORWARD" in fwd else -1
        mine = [k for k, l in enumerate(fwd) if "192.168.1.0/24" in l]
        check(mine and jump > mine[0], "iptables: the -I rule does not come before the guest's chain:\n"
              + "\n".join(fwd))

        # sysctl.conf: every setting in effect, none reported.
        for line in active(cfg["sysctl.conf"]):
            key, _, value = (x.strip() for x in line.partition("="))
            got = v.sh("sysctl -n %s" % key, check=False)
            check(got == value, "sysctl.conf: %s is %r, not %r" % (key, got, value))
        check("sysctl" not in st.get("last_error", ""), "sysctl.conf: " + st.get("last_error", ""))
        check(not re.search(r"sysctl\.conf:\d+:", text), "sysctl.conf: lines reported in the log")

        # uds_passthru.conf: the bridge listens at network='s address.
        address, ports = passthru(cfg["uds_passthru.conf"])
        check(address == addr, "uds_passthru.conf: network %s is not eth0's %s" % (address, addr))
        try:
            listening(v, address, ports)
        except AssertionError as e:
            problems.append("uds_passthru.conf: %s" % e)

        # No config file was reported as wrong (init reports to the kernel log).
        bad = [l for l in (text + v.read_var("log/dmesg")).splitlines()
               if re.search(r"/media/etc/[\w.]+:\d+: ", l)]
        check(not bad, "lines of the samples reported in the log:\n" + "\n".join(bad))
        # The logs the manual points at exist on the host's side.
        check("Linux version" in v.read_var("log/dmesg"), "var/log/dmesg is not the kernel log")

        assert not problems, "\n".join(problems)


def test_uds_passthru_sample_answers_the_host():
    """wpa_cli's way in, as wifibox-core's socat does it: one TCP connection
    per datagram to network='s address and the socket's port."""
    cfg, app = station_samples()
    address, ports = passthru(cfg["uds_passthru.conf"])
    with vm.VM("samples-udsp", config=cfg, app=app, world={"mode": "ap"}) as v:
        v.login()
        wait_status(v, timeout=120, wifi_daemon_state="running", dhcp_server="running")
        listening(v, address, ports)
        host_lease(v, HOST_ADDR)
        out = v.host("printf PING | busybox nc -w 5 %s %d 2>&1" % (address, ports[0]), timeout=30, check=False)
        assert out.strip() == "PONG", (
            "PING to %s:%d from the host got %r; the guest's INPUT chain:\n%s"
            % (address, ports[0], out, v.sh("iptables -S WIFIBOX-INPUT")))


def test_access_point_samples_serve_a_wifi_client():
    cfg = {name: access_point_variant(sample("config/" + name))
           for name in ("interfaces.conf", "udhcpd.conf", "uds_passthru.conf")}
    cfg["modules.conf"] = uncomment(sample("config/modules.conf"), "load mac80211_hwsim radios=1")
    cfg["sysctl.conf"] = sample("config/sysctl.conf")
    ap = sample("app_config/hostapd.conf")
    ap = re.sub(r"(?m)^ssid=.*$", "ssid=" + vm.DEMO_SSID, ap)
    ap = re.sub(r"(?m)^wpa_passphrase=.*$", "wpa_passphrase=" + vm.DEMO_PASSPHRASE, ap)
    eth, eth_prefix = iface_address(cfg["interfaces.conf"], "eth0")
    wlan, wlan_prefix = iface_address(cfg["interfaces.conf"], "wlan0")
    dhcp = settings(cfg["udhcpd.conf"])
    with vm.VM("samples-ap", config=cfg, app={"hostapd.conf": ap},
               world={"mode": "station"}) as v:
        v.login()
        st = wait_status(v, timeout=120, mode="ap", wifi_daemon="hostapd", wifi_daemon_state="running",
                         host_addr=r"%s/%d" % (re.escape(eth), eth_prefix),
                         host_gateway="10.0.0.1", dhcp_server="running",
                         dhcp_server_settings="/media/etc/udhcpd.conf", stations="[1-9]")
        assert "%s/%d" % (wlan, wlan_prefix) in v.sh("ip -4 addr show dev %s" % st["wifi_iface"])
        lease = wait_guest(v, "/mnt/ctl.sh lease", r"ip=\S+", timeout=90)
        got = dict(kv.split("=", 1) for kv in lease.split("dns=")[0].split())
        dns = lease.split("dns=", 1)[1].split()
        assert ip2int(dhcp["start"]) <= ip2int(got["ip"]) <= ip2int(dhcp["end"]), lease
        assert got["router"] == dhcp["opt router"], lease
        want = replace(dhcp["opt dns"], "%%DNS%%", " ".join(nameservers(cfg["interfaces.conf"]))).split()
        assert nameservers(cfg["interfaces.conf"]), "the access-point block sets no dns-nameservers"
        assert dns == want, "udhcpd.conf: the client got dns %r, want %r" % (dns, want)
        address, ports = passthru(cfg["uds_passthru.conf"])
        assert address == eth, (address, eth)
        listening(v, address, ports)
        bad = [l for l in (messages(v) + v.read_var("log/dmesg")).splitlines()
               if re.search(r"/media/etc/[\w.]+:\d+: ", l)]
        assert not bad, "lines of the samples reported in the log:\n" + "\n".join(bad)
