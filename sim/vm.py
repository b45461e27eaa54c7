"""The QEMU bench that stands in for bhyve, shared by `make run`
(guest/run.py) and the tests (tests/e2e, tests/bench): see sim/README.md.

A VM boots the built outputs (out/) with bhyve's device layout: esp.img and
root.img on virtio-blk at slots 4:0 and 4:1, the 9P shares `config`, `var`
and `app_config` at 4:2-4:4, and an e1000 NIC at 5:0 on a tap device inside
a network namespace made for this VM, which plays the FreeBSD host. QEMU
runs under TCG (KVM does not work on these machines) with a hard time limit.

Tests observe what a user could: the serial console (captured, and driven
through `login()` / `sh()`), the shares' directories, and the host
namespace (`host()`).

The simulated world (see sim/world/) never ships in the image: with
`world=...`, a fourth 9P share `testworld` holds the world's tools and the
kernel is booted (direct boot only) with an init= shim that starts the
world's agent before the image's real init. Without it, the boot is exactly
the production one.
"""

import fcntl
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.environ.get("OUT", os.path.join(TOP, "out"))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
WORLD_SRC = os.path.join(TOP, "sim", "world")
NETNS = os.path.join(TOP, "tests", "lib", "netns.bash")	# the namespaces' one owner
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS.fd"

# Default demo world: WPA2-PSK on channel 1 (and WPA3-SAE where asked).
DEMO_SSID = "wifibox-demo"
DEMO_PASSPHRASE = "correct horse battery"

_counter = [0]
_counter_lock = threading.Lock()


class VMError(Exception):
    pass


def _unique(prefix):
    with _counter_lock:
        _counter[0] += 1
        return "%s%d-%d" % (prefix, os.getpid() % 100000, _counter[0])


def run(cmd, timeout=60, check=True, **kw):
    """Runs a command on the test machine; returns CompletedProcess (text)."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout, **kw)
    if check and p.returncode != 0:
        raise VMError("%s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stdout.strip()))
    return p


class Console:
    """The serial console: everything QEMU writes is kept and logged;
    expect() searches forward from the last match."""

    def __init__(self, stream, writer, logpath):
        self.buf = ""
        self.pos = 0
        self.cond = threading.Condition()
        self.closed = False
        self._writer = writer
        self._log = open(logpath, "w", encoding="utf-8", errors="replace")
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream):
        while True:
            data = stream.read1(4096) if hasattr(stream, "read1") else stream.read(4096)
            if not data:
                break
            text = data.decode("utf-8", errors="replace").replace("\r", "")
            self._log.write(text)
            self._log.flush()
            with self.cond:
                self.buf += text
                self.cond.notify_all()
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def expect(self, pattern, timeout=60):
        """Waits for the regex after the last match; returns the match."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                m = rx.search(self.buf, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    tail = self.buf[-1500:]
                    raise VMError("console: no /%s/ within %ss%s; last output:\n%s" % (
                        pattern, timeout, " (QEMU exited)" if self.closed else "", tail))
                self.cond.wait(min(left, 1.0))

    def seen(self, pattern):
        """True if the regex occurs anywhere in the output so far."""
        with self.cond:
            return re.search(pattern, self.buf) is not None

    def send(self, text):
        self._writer.write(text.encode())
        self._writer.flush()

    def text(self):
        with self.cond:
            return self.buf


class QMP:
    """QEMU's machine protocol: the power button, and shutdown events."""

    def __init__(self, path, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise VMError("QMP socket %s never appeared" % path)
                time.sleep(0.05)
        self.file = self.sock.makefile("rwb")
        self.events = []
        self.cond = threading.Condition()
        json.loads(self.file.readline())  # greeting
        self._send({"execute": "qmp_capabilities"})
        json.loads(self.file.readline())
        threading.Thread(target=self._pump, daemon=True).start()

    def _send(self, obj):
        self.file.write((json.dumps(obj) + "\n").encode())
        self.file.flush()

    def _pump(self):
        for line in self.file:
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if "event" in msg:
                with self.cond:
                    self.events.append((time.monotonic(), msg))
                    self.cond.notify_all()

    def command(self, name):
        self._send({"execute": name})

    def wait_event(self, name, timeout):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for t, e in self.events:
                    if e["event"] == name:
                        return t, e
                left = deadline - time.monotonic()
                if left <= 0:
                    return None, None
                self.cond.wait(left)


class VM:
    """One guest. Use as a context manager; everything is cleaned up on exit.

    boot:     "kernel" (direct -kernel boot, fast), "uefi" (OVMF, esp.img on
              the first disk, as wifibox-core >= 0.17) or "legacy" (vmlinuz
              + disk.img with grub.cfg's command line, as <= 0.16)
    config:   dict of files for the config share, or None for no share
    var:      True for an (empty) var share, or None for no share
    app:      dict of files for the app_config share, or None
    world:    None, or a dict for the simulated world (see world_files())
    cpus:     vCPUs, as bhyve's -c (wifibox-core's bhyve.conf "cpus")
    serial2:  True for a second serial port (the guest's ttyS1), reached
              with second_serial(); bhyve's guest has none (test-only)
    rtc:      None (the RTC gives the host's time, as bhyve -u), or a
              "YYYY-MM-DD" the RTC starts from: a host with a wrong clock
    """

    def __init__(self, name, boot="kernel", config=None, var=True, app=None,
                 world=None, memory=128, nic="e1000", append="", time_limit=600,
                 cpus=1, serial2=False, rtc=None):
        self.name = name
        self.rtc = rtc
        self.cpus = cpus
        self.boot = boot
        self.memory = memory
        self.nic = nic
        self.extra_append = append
        self.time_limit = time_limit
        self.dir = os.path.join(BUILD, "test-vms", _unique(name + "-"))
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.netns = _unique("wbt")
        self.shares = {}
        if config is not None:
            self.shares["config"] = self._share("config", config)
        if var is not None and var is not False:  # True, {}: empty; a dict: its files
            self.shares["var"] = self._share("var", var if isinstance(var, dict) else {})
        if app is not None:
            self.shares["app_config"] = self._share("app_config", app)
        self.serial2 = serial2
        self.world = world
        if world is not None:
            if boot != "kernel":
                raise VMError("the simulated world needs the direct kernel boot")
            self.shares["testworld"] = self._share("testworld", world_files(world))
        self.proc = None
        self.console = None
        self.qmp = None
        self._watchdog = None

    # -- set-up -------------------------------------------------------------

    def _share(self, tag, files):
        d = os.path.join(self.dir, tag)
        os.makedirs(d)
        for rel, content in files.items():
            path = os.path.join(d, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            mode = 0o644
            if isinstance(content, tuple):
                content, mode = content
            with open(path, "wb") as f:
                f.write(content.encode() if isinstance(content, str) else content)
            os.chmod(path, mode)
        return d

    @property
    def var_dir(self):
        return self.shares.get("var")

    def _make_netns(self):
        run(["ip", "netns", "add", self.netns])
        run(["ip", "-n", self.netns, "link", "set", "lo", "up"])
        run(["ip", "-n", self.netns, "tuntap", "add", "tap0", "mode", "tap"])
        run(["ip", "-n", self.netns, "link", "set", "tap0", "up"])

    def _qemu_argv(self):
        a = ["qemu-system-x86_64", "-accel", "tcg", "-machine", "pc", "-smp", str(self.cpus),
             "-m", "%dM" % self.memory, "-nodefaults", "-vga", "none", "-display", "none",
             "-no-reboot", "-serial", "stdio",
             *(["-serial", "unix:%s,server=on,wait=off" % self._serial2_path()] if self.serial2 else []),
             "-qmp", "unix:%s,server=on,wait=off" % os.path.join(self.dir, "qmp.sock")]

        def disk(path, slot, ident):
            a.extend(["-drive", "file=%s,if=none,id=%s,format=raw,readonly=on" % (path, ident),
                      "-device", "virtio-blk-pci,drive=%s,addr=%s" % (ident, slot)])

        append = self.extra_append
        if self.boot == "legacy":
            a.extend(["-kernel", os.path.join(OUT, "vmlinuz")])
            append = (grub_cmdline() + " " + append).strip()
            disk(os.path.join(OUT, "disk.img"), "4.0,multifunction=on", "disk")
        else:
            if self.boot == "uefi":
                vars_copy = os.path.join(self.dir, "OVMF_VARS.fd")
                shutil.copy(OVMF_VARS, vars_copy)
                a.extend(["-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
                          "-drive", "if=pflash,format=raw,file=" + vars_copy])
            else:
                a.extend(["-kernel", os.path.join(OUT, "vmlinuz")])
            disk(os.path.join(OUT, "esp.img"), "4.0,multifunction=on", "esp")
            disk(os.path.join(OUT, "root.img"), "4.1", "root")
        if self.world is not None:
            append = ('init=/bin/sh %s -- -c "mount -t 9p testworld /mnt && exec /mnt/boot"'
                      % append).strip()
        if append and self.boot != "uefi":
            a.extend(["-append", append])
        slots = {"config": "4.2", "var": "4.3", "app_config": "4.4", "testworld": "6.0"}
        for tag, path in self.shares.items():
            ro = ",readonly=on" if tag in ("config", "testworld") else ""
            a.extend(["-fsdev", "local,id=fs_%s,path=%s,security_model=none%s" % (tag, path, ro),
                      "-device", "virtio-9p-pci,fsdev=fs_%s,mount_tag=%s,addr=%s" % (tag, tag, slots[tag])])
        nic = "virtio-net-pci" if self.nic == "virtio" else "e1000"
        a.extend(["-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no",
                  "-device", "%s,netdev=n0,addr=5.0,mac=58:9c:fc:00:00:01" % nic])
        a.extend(["-device", "virtio-rng-pci,addr=7.0"])
        if self.rtc:
            a.extend(["-rtc", "base=" + self.rtc])
        return a

    def _check_outputs(self):
        for f in ("root.img", "esp.img", "vmlinuz", "disk.img"):
            if not os.path.exists(os.path.join(OUT, f)):
                raise VMError("%s/%s is missing: build the image first (make)" % (OUT, f))

    def interactive(self, on_started=None):
        """Runs QEMU in the foreground with this terminal as the serial
        console (Ctrl-A X quits); returns QEMU's exit status."""
        self._check_outputs()
        self._make_netns()
        argv = self._qemu_argv()
        argv[argv.index("stdio")] = "mon:stdio"
        proc = subprocess.Popen(["ip", "netns", "exec", self.netns] + argv)
        if on_started:
            on_started(self)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            return proc.wait()

    def start(self):
        self._check_outputs()
        self._make_netns()
        argv = ["ip", "netns", "exec", self.netns] + self._qemu_argv()
        with open(os.path.join(self.dir, "qemu.argv"), "w") as f:
            f.write(" ".join(argv) + "\n")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.console = Console(self.proc.stdout, self.proc.stdin,
                               os.path.join(self.dir, "console.log"))
        self.qmp = QMP(os.path.join(self.dir, "qmp.sock"))
        self._watchdog = threading.Timer(self.time_limit, self.kill)
        self._watchdog.daemon = True
        self._watchdog.start()
        return self

    def _serial2_path(self):
        return os.path.join(self.dir, "ttyS1.sock")

    def second_serial(self):
        """The guest's ttyS1 (serial2=True) as a Console of its own."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(self._serial2_path())
        self._serial2_sock = sock
        return Console(sock.makefile("rb"), sock.makefile("wb"), os.path.join(self.dir, "ttyS1.log"))

    # -- driving --------------------------------------------------------------

    def expect(self, pattern, timeout=60):
        return self.console.expect(pattern, timeout)

    def login(self, timeout=90):
        """Logs in as root on the serial console and waits for the prompt."""
        self.expect(r"login: ", timeout)
        self.login_prompt_at = time.monotonic()
        self.console.send("root\n")
        self.expect(r"# $|# ", 30)
        # No echo and no prompt: command output comes back clean.
        self.sh("stty -echo; export PS1= PS2=", timeout=20)

    def sh(self, cmd, timeout=60, check=True):
        """Runs cmd in the console's shell; returns its output (str).

        What the daemons write to the console meanwhile ("netd: ...") must
        not mix into it, so the output goes to a file of its own: on the
        var share when there is one, read here once cmd has ended; else in
        /run, printed between two markers once cmd has ended. The markers
        are split in the command so that an echo never matches."""
        tag = _unique("m")
        with self.console.cond:
            self.console.pos = len(self.console.buf)
        if self.var_dir:
            text, rc = self._sh_via_share(cmd, tag, timeout)
        else:
            text, rc = self._sh_via_console(cmd, tag, timeout)
        if check and rc != 0:
            raise VMError("guest command %r exited %d:\n%s" % (cmd, rc, text))
        return text

    def _sh_via_share(self, cmd, tag, timeout):
        name = ".vm-sh-%s" % tag
        self.console.send("{ %s\n} >/var/%s 2>&1; echo \"__END_%s\"_$?_\n" % (cmd, name, tag))
        m = self.expect(r"__END_%s_(\d+)_" % re.escape(tag), timeout)
        path = os.path.join(self.var_dir, name)
        try:
            with open(path, errors="replace") as f:
                text = f.read()
            os.remove(path)
        except FileNotFoundError:
            # /var is not the share (cmd unmounted it, say): ask the guest.
            text, _ = self._sh_via_console("cat /var/%s; rm -f /var/%s" % (name, name),
                                           _unique("m"), 30)
        return text.strip("\n"), int(m.group(1))

    def _sh_via_console(self, cmd, tag, timeout):
        out = "/run/.vm-sh-%s" % tag
        self.console.send(
            "{ %s\n} >%s 2>&1; __rc=$?; echo \"__BEGIN_%s\"_; "
            "cat %s; rm -f %s; echo \"__END_%s\"_${__rc}_\n" % (cmd, out, tag, out, out, tag))
        begin = self.expect(r"__BEGIN_%s_" % re.escape(tag), timeout)
        m = self.expect(r"__END_%s_(\d+)_" % re.escape(tag), 30)
        lines = self.console.buf[begin.end():m.start()].split("\n")
        return "\n".join(l for l in lines if tag not in l).strip("\n"), int(m.group(1))

    def host(self, cmd, timeout=60, check=True):
        """Runs a shell command in the host namespace (the FreeBSD host's side)."""
        p = run(["ip", "netns", "exec", self.netns, "sh", "-c", cmd], timeout=timeout, check=False)
        if check and p.returncode != 0:
            raise VMError("host command %r exited %d:\n%s" % (cmd, p.returncode, p.stdout))
        return p.stdout

    def power_button(self):
        """bhyve's SIGTERM: the ACPI power button."""
        self.qmp.command("system_powerdown")
        return time.monotonic()

    def wait_exit(self, timeout=30):
        """Waits for QEMU to end; returns the SHUTDOWN event's reason
        ("guest-shutdown", "guest-reset", ...) or None."""
        _, ev = self.qmp.wait_event("SHUTDOWN", timeout)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        return ev["data"].get("reason") if ev else None

    def read_var(self, rel):
        with open(os.path.join(self.var_dir, rel), errors="replace") as f:
            return f.read()

    # -- tear-down ------------------------------------------------------------

    def kill(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 9)
            except OSError:
                pass

    def close(self):
        if self._watchdog:
            self._watchdog.cancel()
        self.kill()
        if self.proc:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        # Every process in it goes first: what a test started on the
        # host's side in the background (a socat listener, say) would
        # outlive the namespace's name.
        run([NETNS, "del", self.netns], check=False)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
        return False


def netd_status(v):
    """netd's status file (var/lib/netd/status) as the host reads it, as a
    dict; {} if absent."""
    try:
        text = v.read_var("lib/netd/status")
    except OSError:
        return {}
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def wait_netd_status(v, timeout=90, interval=0.5, **want):
    """Waits until every key of netd's status matches its regex (fullmatch);
    returns the status."""
    deadline = time.monotonic() + timeout
    st = {}
    while time.monotonic() < deadline:
        st = netd_status(v)
        if all(re.fullmatch(rx, st.get(k, "\0")) for k, rx in want.items()):
            return st
        time.sleep(interval)
    wrong = {k: st.get(k) for k, rx in want.items() if not re.fullmatch(rx, st.get(k, "\0"))}
    raise VMError("netd status never had %s; it has %s\nfull status:\n%s"
                  % (want, wrong, "\n".join("%s=%s" % kv for kv in st.items())))


def grub_cmdline():
    """The command line grub.cfg gives the kernel (legacy hosts)."""
    with open(os.path.join(OUT, "grub.cfg")) as f:
        for line in f:
            if line.startswith("linux "):
                return line.split(None, 2)[2].strip()
    raise VMError("no linux line in grub.cfg")


# The world's IPv6 (issue 8): the prefix its router advertises, the DNS
# servers it gives, and "the Internet" over IPv6.
WORLD_PREFIX6 = "2001:db8:50::/64"
WORLD_DNS6 = "2001:db8:53::1 2001:db8:53::2"
WORLD_SERVICE6 = "2001:db8:ffff::1"


# The world's second network (issue 14: a move to another network), for
# world={"second": {...}}: its defaults, each overridable there.
SECOND_NETWORK = {
    "ssid": "wifibox-second", "addr4": "192.168.60.1/24", "start": "192.168.60.100",
    "end": "192.168.60.199", "subnet": "255.255.255.0", "router": "192.168.60.1",
    "dns": "192.168.60.1", "domain": "second.test", "prefix6": "2001:db8:60::/64",
    "addr6": "2001:db8:60::1/64", "dns6": "2001:db8:63::1",
}


def _network_files(n, net, top):
    """hostapd and udhcpd configs and world.env lines of the world's network
    n; each setting from net, else top (the world dict: network 1's
    settings may sit there), else network 1's default."""
    def get(key, default):
        return net.get(key, top.get(key, default)) if n != 1 else top.get(key, default)

    key_mgmt = get("key_mgmt", "WPA-PSK")
    suffix = "" if n == 1 else "-%d" % n
    hostapd = [
        "interface=world0", "driver=nl80211", "ctrl_interface=/run/world/hostapd",
        "ssid=" + get("ssid", DEMO_SSID), "hw_mode=g", "channel=1", "wpa=2",
        "wpa_key_mgmt=" + key_mgmt, "rsn_pairwise=CCMP",
        "wpa_passphrase=" + get("passphrase", DEMO_PASSPHRASE),
        "ieee80211w=%d" % (2 if key_mgmt == "SAE" else 1),
        "sae_pwe=%d" % get("sae_pwe", 2)]
    # Fake SSIDs (open networks on the same channel): more BSSes of the
    # same radio, each with an address of its own.
    for k in range(1, get("fake_ssids", 0) + 1):
        hostapd += ["bss=world0_%d" % k, "ssid=free-wifi-%d" % k]
    udhcpd = [
        "interface world0", "start " + get("start", "192.168.50.100"),
        "end " + get("end", "192.168.50.199"), "lease_file /run/world/udhcpd%s.leases" % suffix,
        "opt subnet " + get("subnet", "255.255.255.0"),
        "opt router " + get("router", "192.168.50.1")]
    dns, domain = get("dns", "192.168.50.1 198.51.100.53"), get("domain", "world.test")
    udhcpd += (["opt dns " + dns] if dns else []) + (["opt domain " + domain] if domain else [])
    udhcpd += ["opt search " + get("search", "")] if get("search", "") else []
    udhcpd += ["static_lease %s %s" % kv for kv in sorted(get("known_clients", {}).items())]
    udhcpd += ["opt lease 3600"]
    env = {"ADDR4": get("addr4", "192.168.50.1/24"), "IPV6": 1 if get("ipv6", True) else 0,
           "DNS_ANSWERS": " ".join("%s=%s" % kv for kv in sorted(get("dns_answers", {}).items())),
           "ADDR6": get("addr6", "2001:db8:50::1/64"), "PREFIX6": get("prefix6", WORLD_PREFIX6),
           "DNS6": get("dns6", WORLD_DNS6), "DNS6_LIFETIME": get("dns6_lifetime", 1800)}
    return ({"hostapd%s.conf" % suffix: "\n".join(hostapd + [""]),
             "udhcpd%s.conf" % suffix: "\n".join(udhcpd + [""])},
            "".join('NET%d_%s="%s"\n' % (n, k, v) for k, v in env.items()))


def world_files(world):
    """The testworld share: the world's scripts, worldctl, worldra, worldmdns, and its
    config.
    world = {"mode": "ap"|"station"|"none", "ssid", "passphrase",
             "key_mgmt": "WPA-PSK"|"SAE"|"WPA-PSK SAE", "sae_pwe": 0|1|2,
             "ipv6": True|False (ap mode: an IPv6 router and service),
             "dns6": "A B" (the IPv6 DNS servers advertised; "" for none),
             network 1's other settings (issue 14): "addr4" (world0's,
             "192.168.50.1/24"), "start", "end", "subnet", "router", "dns"
             and "domain" of its DHCP server (dns, domain: "" for none),
             "search" (its search option, none by default),
             "known_clients": {MAC: IPV4} (clients its DHCP server already
                    knows, as a network's server knows one that was there
                    before: offered at once, without the 2 s ARP probe
                    busybox udhcpd makes before a new address),
             "prefix6", "addr6", "dns6_lifetime" (s, or "infinite"),
             "fake_ssids" (N more open BSSes, free-wifi-1...N),
             "dns_answers": {NAME: IPV4} (a DNS server on the network's
                    address that knows these names, and refuses others;
                    none by default),
             "second": {the same keys} (network 2, for ctl.sh move 2;
             defaults SECOND_NETWORK),
             "eap": {...} (ap mode: network 1 is an 802.1X access point
                    instead, see eap_world_files()),
             "guest_radio_after_ap": True (the agent creates the guest's
                    radio, phyguest with wlan0, once the access point is up;
                    use with test_config(radios=0)),
             "start_before_init": True (all of that before the image's
                    init starts: the access point up and the guest's radio
                    there when the guest boots, as on a resume; the kernel
                    log marks "world: start" and "world: init now"; use
                    with test_config(radios=0))}"""
    files = {}
    for name in ("boot", "agent.sh", "world.sh", "net.sh", "ctl.sh", "udhcpc.script"):
        with open(os.path.join(WORLD_SRC, name), "rb") as f:
            files[name] = (f.read(), 0o755)
    for prog in ("worldctl", "worldra", "worldmdns"):
        with open(os.path.join(BUILD, "musl", "bin", prog), "rb") as f:
            files[prog] = (f.read(), 0o755)
    mode = world.get("mode", "ap")
    ssid = world.get("ssid", DEMO_SSID)
    passphrase = world.get("passphrase", DEMO_PASSPHRASE)
    key_mgmt = world.get("key_mgmt", "WPA-PSK")
    env = "WORLD_MODE=%s\nWORLD_IPV6=%d\nWORLD_DNS6=\"%s\"\nWORLD_HOSTAPD=%s\n" % (
        mode, 1 if world.get("ipv6", True) else 0, world.get("dns6", WORLD_DNS6),
        "/mnt/hostapd-eap" if "eap" in world else "hostapd")
    if world.get("guest_radio_after_ap") or world.get("start_before_init"):
        env += "WORLD_GUEST_RADIO=after-ap\n"
    if world.get("start_before_init"):
        env += "WORLD_START=before-init\n"
        files["run/README"] = "boot mounts the world's run directory here: see boot\n"
    net1, env1 = _network_files(1, {}, world)
    files.update(net1)
    env += env1
    if "second" in world:
        net2, env2 = _network_files(2, dict(SECOND_NETWORK, **world["second"]), {})
        files.update(net2)
        env += env2
    files["world.env"] = env
    if "eap" in world:
        files.update(eap_world_files(world, ssid))
    files["wpa_supplicant.conf"] = "\n".join([
        "ctrl_interface=/run/world/wpa_supplicant",
        "network={", '  ssid="%s"' % ssid, '  psk="%s"' % passphrase,
        "  key_mgmt=%s" % key_mgmt, "  scan_freq=2412", "}", ""])
    return files


def station_app_config(ssid=DEMO_SSID, passphrase=DEMO_PASSPHRASE, key_mgmt="WPA-PSK",
                       extra="", scan_freq=True):
    """An app_config share for station mode: wpa_supplicant.conf; with
    scan_freq False, the network is searched on every channel, as a
    user's configuration does."""
    return {"wpa_supplicant.conf": "\n".join([
        "ctrl_interface=/var/run/wpa_supplicant", "update_config=1", extra,
        "network={", '  ssid="%s"' % ssid, '  psk="%s"' % passphrase,
        "  key_mgmt=%s" % key_mgmt,
        "  ieee80211w=%d" % (2 if key_mgmt == "SAE" else 1),
        "  scan_freq=2412" if scan_freq else "", "}", ""])}


def test_config(radios=1, **files):
    """A config share with the test radios loaded through modules.conf."""
    conf = {"modules.conf": "load mac80211_hwsim radios=%d\n" % radios}
    conf.update(files)
    return conf


# The enterprise world (issue 20): an 802.1X access point whose
# authentication is done by hostapd's integrated EAP server, on OpenSSL
# (build/thirdparty.env's WPA_WORLD, never in the image), with
# certificates made at test time by sim/world/pki.sh.
EAP_SSID = "wifibox-corp"
EAP_USER = "alice"
EAP_PASSWORD = "alice's password"
EAP_CLIENT_KEY_PASS = "client key passphrase"
EAP_DOMAIN = "world.test"


def thirdparty_env():
    """build/thirdparty.env as a dict: the third-party builds' prefixes."""
    with open(os.path.join(BUILD, "thirdparty.env")) as f:
        return dict(line.strip().split("=", 1) for line in f if "=" in line)


def world_pki():
    """The world's certificates (sim/world/pki.sh), made once per build
    directory and renewed when they near their end: {name: bytes}."""
    d = os.path.join(BUILD, "test-pki")
    os.makedirs(BUILD, exist_ok=True)
    # Two VMs start at a time: one makes the set while the other waits,
    # rather than both remaking the same directory.
    with open(d + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        run([os.path.join(WORLD_SRC, "pki.sh"), d], timeout=120,
            env=dict(os.environ, CLIENT_KEY_PASS=EAP_CLIENT_KEY_PASS))
        out = {}
        for name in ("ca.pem", "server.pem", "server.key", "elsewhere.pem", "elsewhere.key",
                     "client.pem", "client.key"):
            with open(os.path.join(d, name), "rb") as f:
                out[name] = f.read()
    return out


EAP_RADIUS_SECRET = "world radius secret"


def eap_ap_conf(ssid, key_mgmt="WPA-EAP"):
    """The world's 802.1X access point: hostapd as the authenticator,
    passing EAP to the RADIUS server on the world's loopback."""
    return "\n".join([
        "interface=world0", "driver=nl80211", "ctrl_interface=/run/world/hostapd",
        "ssid=" + ssid, "hw_mode=g", "channel=1", "wpa=2",
        "wpa_key_mgmt=" + key_mgmt, "rsn_pairwise=CCMP",
        "ieee80211w=%d" % (2 if key_mgmt == "WPA-EAP-SHA256" else 1),
        "ieee8021x=1", "own_ip_addr=127.0.0.1", "nas_identifier=world-ap",
        "auth_server_addr=127.0.0.1", "auth_server_port=1812",
        "auth_server_shared_secret=" + EAP_RADIUS_SECRET,
        "logger_syslog=-1", "logger_syslog_level=2", ""])


def eap_radius_conf(tls13=False, server="server"):
    """The world's RADIUS server: hostapd with no radio (driver=none), its
    integrated RADIUS and EAP servers; TLS 1.2 at most (the servers'
    common default) or TLS 1.3 offered too; server is the certificate's
    name in pki/ (server: radius.world.test, elsewhere:
    radius.elsewhere.test)."""
    return "\n".join([
        "interface=radius", "driver=none", "ctrl_interface=/run/world/radius",
        "radius_server_clients=/mnt/radius_clients", "radius_server_auth_port=1812",
        "eap_server=1", "eap_user_file=/mnt/eap_users",
        "ca_cert=/mnt/pki/ca.pem", "server_cert=/mnt/pki/%s.pem" % server,
        "private_key=/mnt/pki/%s.key" % server,
        "tls_flags=[%s-TLSv1.3]" % ("ENABLE" if tls13 else "DISABLE"),
        "logger_syslog=-1", "logger_syslog_level=2", ""])


def eap_world_files(world, ssid):
    """The 802.1X world's files: hostapd-eap, the certificates, the users,
    the access point's hostapd.conf, and one RADIUS server config per
    server behaviour (radius-NAME.conf, for `ctl.sh radius-start NAME`);
    radius.conf is world["eap"]["start"]'s.
    world["eap"] = {"key_mgmt": "WPA-EAP"|"WPA-EAP-SHA256",
                    "start": "tls12"|"tls13"|"elsewhere-tls12"|...}"""
    eap = world["eap"]
    files = {}
    with open(os.path.join(thirdparty_env()["WPA_WORLD"], "sbin", "hostapd-eap"), "rb") as f:
        files["hostapd-eap"] = (f.read(), 0o755)
    for name, content in world_pki().items():
        files["pki/" + name] = content
    # Any identity starts a tunnel or EAP-TLS; inside it, alice with her
    # password over MSCHAPv2 (PEAP, TTLS) or PAP (TTLS).
    files["eap_users"] = "\n".join([
        "* PEAP,TTLS,TLS",
        '"%s" MSCHAPV2,TTLS-MSCHAPV2,TTLS-PAP "%s" [2]' % (EAP_USER, EAP_PASSWORD), ""])
    files["radius_clients"] = "127.0.0.1/32 %s\n" % EAP_RADIUS_SECRET
    for server in ("server", "elsewhere"):
        for tls13 in (False, True):
            name = "%s%s" % ("" if server == "server" else "elsewhere-", "tls13" if tls13 else "tls12")
            files["radius-%s.conf" % name] = eap_radius_conf(tls13, server)
    files["radius.conf"] = files["radius-%s.conf" % eap.get("start", "tls12")]
    files["hostapd.conf"] = eap_ap_conf(ssid, eap.get("key_mgmt", "WPA-EAP"))
    return files
