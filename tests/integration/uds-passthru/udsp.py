"""Shared set-up for the uds-passthru integration tests (imported, not run).

A "guest" and a "host" network namespace joined by a veth pair
(10.77.0.1/24 in the guest, 10.77.0.2/24 on the host), real daemons in the
guest (our static wpa_supplicant with -D wired on a veth pair, hostapd with
driver=none), uds-passthru in guest mode there, and the host side either
as wifibox-core runs it (socat) or uds-passthru in host mode. Everything
lives in a temporary directory and is torn down on exit, even on failure
or SIGTERM (the runner's timeout). The namespaces are tests/lib/netns.bash's,
as the bash tests' are: it makes them, runs commands in them and, at the
end, kills every process inside and deletes them.
"""
import atexit
import itertools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

TOP = os.environ.get("TOP") or os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
NETNS = os.path.join(TOP, "tests/lib/netns.bash")
GUEST_IP = "10.77.0.1"
HOST_IP = "10.77.0.2"
SKIP = 77

_counter = itertools.count()
_ctrl_dirs = {}


def _ctrl_dir():
    """This process's own directory for its clients' sockets: made fresh,
    so a socket left by an earlier process of the same PID (the PIDs wrap
    at 32768 in a long run) cannot take a client's address."""
    pid = os.getpid()
    if pid not in _ctrl_dirs:
        _ctrl_dirs[pid] = tempfile.mkdtemp(prefix="udsp-ctrl-")
    return _ctrl_dirs[pid]


def log(*args):
    print(*args, flush=True)


def fail(msg):
    log("FAIL:", msg)
    sys.exit(1)


def skip(msg):
    log("SKIP:", msg)
    sys.exit(SKIP)


def check(cond, msg):
    if not cond:
        fail(msg)
    log("ok:", msg)


def run(*cmd, check_rc=True, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if check_rc and r.returncode != 0:
        fail(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()}")
    return r


def thirdparty():
    env = {}
    path = os.path.join(TOP, "build/thirdparty.env")
    if not os.path.exists(path):
        skip("build/thirdparty.env is missing: the third-party build has not run")
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.strip().split("=", 1)
                env[k] = v
    return env


def build_bridge():
    """The static musl binary that goes into the image, or $UDSP_BRIDGE
    (a sanitizer build, for instance)."""
    if os.environ.get("UDSP_BRIDGE"):
        return os.environ["UDSP_BRIDGE"]
    r = subprocess.run(["make", "-s", "build/musl/bin/uds-passthru"], cwd=TOP,
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail("building uds-passthru: " + r.stdout + r.stderr)
    return os.path.join(TOP, "build/musl/bin/uds-passthru")


SANITIZE = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-fno-sanitize-recover=all"]
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def sanitized_bridge(outdir):
    """The bridge built with AddressSanitizer and UBSan (host gcc), from
    the sources the image's build uses (uds-passthru/build.mk, lib/), so
    that a check for sanitizer reports can fail. Proven instrumented: its
    runtime answers ASAN_OPTIONS=help=1 on the output the tests capture."""
    r = subprocess.run(["make", "-s", "--no-print-directory", "--eval",
                        "udsp-srcs: ; @echo $(uds-passthru_SRCS) $(LIB_SRCS)", "udsp-srcs"],
                       cwd=TOP, capture_output=True, text=True)
    if r.returncode != 0 or not r.stdout.split():
        fail("listing the bridge's sources: " + r.stdout + r.stderr)
    out = os.path.join(outdir, "uds-passthru-asan")
    r = subprocess.run(["gcc", "-std=c11", "-D_GNU_SOURCE", "-Ilib", "-O1", "-g", *SANITIZE,
                        "-o", out, *r.stdout.split()], cwd=TOP, capture_output=True, text=True)
    if r.returncode != 0:
        fail("building the sanitizer build of the bridge: " + r.stderr[-2000:])
    probe = subprocess.run([out, "check", "/nonexistent"], capture_output=True, text=True,
                           env=dict(os.environ, ASAN_OPTIONS="help=1"))
    check("Available flags for AddressSanitizer" in probe.stdout + probe.stderr,
          "the bridge under test is a sanitizer build (its ASan runtime answers)")
    return out


def sanitizer_report(text):
    """The first line of a sanitizer's report in a log, or None."""
    for line in text.splitlines():
        if any(mark in line for mark in SANITIZER_MARKS):
            return line
    return None


def wait_for(pred, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.02)
    fail(f"timed out after {timeout} s waiting for {what}")


def is_socket(path):
    try:
        import stat
        return stat.S_ISSOCK(os.stat(path).st_mode)
    except FileNotFoundError:
        return False


RAW_CLIENT = """
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
s.sendall(bytes.fromhex(sys.argv[3]))
s.shutdown(socket.SHUT_WR)
s.settimeout(float(sys.argv[4]))
try:
    d = s.recv(65536)
    print(d.hex() if d else "none")
except socket.timeout:
    print("none")
"""


class Ctrl:
    """A wpa_ctrl client in Python: its own bound datagram socket,
    connected to a control socket path."""

    def __init__(self, path, timeout=10.0):
        self.local = os.path.join(_ctrl_dir(), f"{next(_counter)}")
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.s.bind(self.local)
        self.s.connect(path)
        self.s.settimeout(timeout)
        self.events = []

    def send(self, cmd):
        self.s.send(cmd if isinstance(cmd, bytes) else cmd.encode())

    def recv(self, timeout=None):
        if timeout is not None:
            self.s.settimeout(timeout)
        return self.s.recv(65536)

    def request(self, cmd, timeout=10.0):
        """The reply to cmd; events that arrive first are kept aside,
        as wpa_ctrl_request does. None on timeout."""
        self.send(cmd)
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                msg = self.recv(left)
            except socket.timeout:
                return None
            if msg.startswith(b"<"):
                self.events.append(msg)
                continue
            return msg

    def wait_event(self, needle, timeout=10.0):
        end = time.monotonic() + timeout
        while True:
            for e in self.events:
                if needle in e:
                    self.events.remove(e)
                    return e
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                self.events.append(self.recv(left))
            except socket.timeout:
                return None

    def close(self):
        self.s.close()
        try:
            os.unlink(self.local)
        except FileNotFoundError:
            pass


class Bench:
    def __init__(self, name, sanitized=False):
        """sanitized: run the bridge as a sanitizer build (sanitized_bridge),
        and require that no bridge's log holds a sanitizer report; with the
        image's static binary there is nothing that could report."""
        if os.geteuid() != 0:
            skip("needs root (network namespaces)")
        for tool in ("ip", "socat"):
            if subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True).returncode:
                skip(f"{tool} is not installed")
        env = thirdparty()
        self.wpa = os.path.join(env["WPA"], "sbin")
        if not os.access(os.path.join(self.wpa, "wpa_supplicant"), os.X_OK):
            skip(f"{self.wpa}/wpa_supplicant is missing")
        self.bridge = build_bridge()
        self.tmp = tempfile.mkdtemp(prefix=f"udsp-{name}-")
        os.chmod(self.tmp, 0o755)
        self.sanitized = sanitized
        if sanitized:
            self.bridge = sanitized_bridge(self.tmp)
        tag = f"{os.getpid() % 100000}"
        self.ns_g = f"udspg{tag}"
        self.ns_h = f"udsph{tag}"
        self.procs = {}
        self.logs = {}
        self.guest_sockdir = os.path.join(self.tmp, "guest/run/wpa_supplicant")
        self.hostapd_sockdir = os.path.join(self.tmp, "guest/run/hostapd")
        self.cleaning = False
        atexit.register(self.cleanup)
        signal.signal(signal.SIGTERM, self.terminated)
        self.setup_net()

    # ---- network ----
    def setup_net(self):
        g, h = self.ns_g, self.ns_h
        run(NETNS, "add", g, h)
        run(NETNS, "veth", g, "vg", h, "vh")
        run(NETNS, "addr", g, "vg", f"{GUEST_IP}/24")
        run(NETNS, "addr", h, "vh", f"{HOST_IP}/24")
        # The wired "radio" for wpa_supplicant and hostapd.
        run(NETNS, "veth", g, "wa", g, "wb")
        run(NETNS, "addr", g, "wa")
        run(NETNS, "addr", g, "wb")

    # The command as run in a namespace: its process is CMD's (exec'd).
    def in_guest(self, *cmd):
        return [NETNS, "exec", self.ns_g, *cmd]

    def in_host(self, *cmd):
        return [NETNS, "exec", self.ns_h, *cmd]

    # ---- processes ----
    def spawn(self, name, cmd):
        logf = open(os.path.join(self.tmp, f"{name}.log"), "a")
        self.logs[name] = logf.name
        p = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.procs[name] = p
        return p

    def stop(self, name, sig=signal.SIGTERM):
        p = self.procs.pop(name, None)
        if not p:
            return None
        if p.poll() is None:
            p.send_signal(sig)
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        return p.returncode

    def log_text(self, name):
        with open(self.logs[name]) as f:
            return f.read()

    def write(self, rel, text):
        path = os.path.join(self.tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    # ---- daemons ----
    def start_wpa(self, networks=0, wait=True):
        conf = [f"ctrl_interface={self.guest_sockdir}", "ap_scan=0",
                "network={", " key_mgmt=NONE", "}"]
        for i in range(1, networks + 1):
            conf += ["network={", f' ssid="c{i}"', f" priority={i}", " disabled=1",
                     " key_mgmt=NONE", "}"]
        path = self.write("wpa_supplicant.conf", "\n".join(conf) + "\n")
        os.makedirs(os.path.dirname(self.guest_sockdir), exist_ok=True)
        self.spawn("wpa_supplicant", self.in_guest(f"{self.wpa}/wpa_supplicant", "-D", "wired",
                                                   "-i", "wa", "-c", path))
        if wait:
            sock = os.path.join(self.guest_sockdir, "wa")
            wait_for(lambda: is_socket(sock) and self.direct_request(sock, "PING") == b"PONG\n",
                     10, "wpa_supplicant's control socket")
            wait_for(lambda: b"wpa_state=COMPLETED" in (self.direct_request(sock, "STATUS") or b""),
                     10, "wpa_supplicant to complete on the wired link")

    def start_hostapd(self):
        os.makedirs(os.path.dirname(self.hostapd_sockdir), exist_ok=True)
        path = self.write("hostapd.conf", f"interface=wb\ndriver=none\nssid=udsp\n"
                          f"ctrl_interface={self.hostapd_sockdir}\n")
        self.spawn("hostapd", self.in_guest(f"{self.wpa}/hostapd", path))
        sock = os.path.join(self.hostapd_sockdir, "wb")
        wait_for(lambda: is_socket(sock), 10, "hostapd's control socket")

    @staticmethod
    def direct_request(path, cmd):
        """cmd sent straight to the daemon's socket, not through the bridge."""
        try:
            c = Ctrl(path, timeout=1)
        except OSError:
            return None
        try:
            return c.request(cmd, timeout=1)
        except OSError:
            return None
        finally:
            c.close()

    # ---- the bridge ----
    def guest_conf(self, extra_sockets=""):
        sockets = f"path={self.guest_sockdir}/wa,${{_perms}},port=1200"
        sockets += f"\npath={self.hostapd_sockdir}/wb,${{_perms}},port=1201" + extra_sockets
        return self.write("appliance/uds_passthru.conf",
                          f"network={GUEST_IP}:255.255.255.0\n"
                          f"_perms=\"user=root,group=0,mode=770\"\n"
                          f"sockets=\"{sockets}\"\n")

    def start_guest(self, conf=None):
        conf = conf or self.guest_conf()
        self.rundir = os.path.join(self.tmp, "guest-rundir")
        self.hostaddr_file = os.path.join(self.tmp, "bridged-host")	# netd's, in the image
        p = self.spawn("guest", self.in_guest(self.bridge, "guest", "-v", "-d", self.rundir,
                                              "-b", self.hostaddr_file, conf))
        # Listening: a TCP connect from the host namespace succeeds.
        wait_for(lambda: self.port_open(1200), 10, "the guest bridge to listen")
        return p

    def port_open(self, port):
        r = subprocess.run(self.in_host("bash", "-c", f"exec 3<>/dev/tcp/{GUEST_IP}/{port}"),
                           capture_output=True)
        return r.returncode == 0

    def host_path(self, kind, name="wa"):
        return os.path.join(self.tmp, f"host-{kind}", name)

    def start_socat_host(self, port=1200, name="wa"):
        """Exactly as wifibox-core runs it (under daemon -r)."""
        path = self.host_path("socat", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.spawn(f"socat-host-{port}", self.in_host(
            "socat", f"UNIX-RECVFROM:{path},reuseaddr,fork,unlink-early,user=root,group=0,mode=770",
            f"TCP4:{GUEST_IP}:{port}"))
        wait_for(lambda: is_socket(path), 10, "socat's host socket")
        return path

    def start_host_mode(self, port=1200, name="wa", extra=()):
        path = self.host_path("bridge", name)
        self.spawn(f"host-{port}", self.in_host(self.bridge, "host", "-v", *extra, "-u", "root",
                                                "-g", "0", "-m", "770", path,
                                                f"{GUEST_IP}:{port}"))
        wait_for(lambda: is_socket(path), 10, "the host bridge's socket")
        return path

    def wpa_cli(self, path, *args, timeout=15):
        d, name = os.path.split(path)
        return subprocess.run([f"{self.wpa}/wpa_cli", "-p", d, "-i", name, *args],
                              capture_output=True, text=True, timeout=timeout)

    def hostapd_cli(self, path, *args, timeout=15):
        d, name = os.path.split(path)
        return subprocess.run([f"{self.wpa}/hostapd_cli", "-p", d, "-i", name, *args],
                              capture_output=True, text=True, timeout=timeout)

    def stats(self, name="guest"):
        """The counters line the bridge logs on SIGUSR1."""
        before = self.log_text(name).count("statistics:")
        self.procs[name].send_signal(signal.SIGUSR1)
        wait_for(lambda: self.log_text(name).count("statistics:") > before, 5, "statistics")
        return [l for l in self.log_text(name).splitlines() if "statistics:" in l][-1]

    def host_python(self, code, *args, timeout=60):
        """Runs Python code in the host namespace (sys.argv[1:] = args);
        its stdout."""
        r = subprocess.run(self.in_host(sys.executable, "-c", code, *map(str, args)),
                           capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            fail(f"host-side helper failed: {r.stderr.strip()[-500:]}")
        return r.stdout

    def raw_request(self, port, data, timeout=12):
        """What socat's host side does for one datagram: connect, send,
        shut the sending side, read the reply. The reply, or None."""
        out = self.host_python(RAW_CLIENT, GUEST_IP, port, data.hex(), timeout - 2, timeout=timeout)
        return bytes.fromhex(out.strip()) if out.strip() != "none" else None

    def counters(self, name="guest"):
        """The statistics line as a dict: up, down, dropped, expired..."""
        import re
        line = self.stats(name)
        pats = {"connections": r"(\d+) connections", "refused": r"(\d+) refused",
                "over_limit": r"(\d+) over the limit", "up": r"(\d+) datagrams up",
                "down": r"(\d+) down", "answered": r"\((\d+) replies\)", "garbage": r"(\d+) garbage", "oversize": r"(\d+) oversize",
                "full": r"(\d+) queue full", "expired": r"(\d+) no daemon", "resets": r"(\d+) resets",
                "late": r"(\d+) replies later than"}
        return {k: int(re.search(p, line).group(1)) for k, p in pats.items()}

    def fd_count(self, name="guest"):
        # netns.bash exec execs ip netns exec, which execs the bridge: same pid.
        return len(os.listdir(f"/proc/{self.procs[name].pid}/fd"))

    def finish(self):
        """Every bridge still running, stopping cleanly on SIGTERM (status
        0), and for a sanitizer build, with no sanitizer report in its log."""
        for name in [n for n in self.procs if n == "guest" or n.startswith("host-")]:
            check(self.procs[name].poll() is None, f"{name} bridge still running")
            rc = self.stop(name)
            text = self.log_text(name)
            check(rc == 0, f"{name} bridge stopped cleanly on SIGTERM (status {rc})")
            if self.sanitized:
                report = sanitizer_report(text)
                check(report is None, f"{name} bridge: no sanitizer report" + (f": {report}" if report else ""))

    def terminated(self, *_):
        """SIGTERM (the runner's time-out): the clean-up at once. At the
        interpreter's exit it would come only after every thread ended,
        and a client thread may wait for minutes: the runner's SIGKILL
        would come first and leave the namespaces behind. A second one
        (the time-out's to the process group) is ignored."""
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if self.cleaning:
            return  # the clean-up under way goes on
        log("SIGTERM: cleaning up")
        self.cleanup()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(1)

    def cleanup(self):
        if self.cleaning:
            return
        # Deaf to SIGTERM from here on, and so are the commands run below
        # (netns.bash del): the runner's time-out sends it to the test,
        # then to its whole process group, maybe once this has begun.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        self.cleaning = True
        for name in list(self.procs):
            try:
                self.stop(name)
            except Exception:
                pass
        # Whatever runs in them still, then the namespaces.
        r = subprocess.run([NETNS, "del", self.ns_g, self.ns_h], capture_output=True, text=True)
        if r.returncode:
            log("cleanup:", r.stderr.strip())
        if os.getpid() in _ctrl_dirs:
            subprocess.run(["rm", "-rf", _ctrl_dirs.pop(os.getpid())])
        if os.environ.get("UDSP_KEEP"):
            log("kept", self.tmp)
        else:
            subprocess.run(["rm", "-rf", self.tmp])

    def dump_logs(self):
        for name, path in self.logs.items():
            with open(path) as f:
                text = f.read()
            p = self.procs.get(name)
            state = "running" if p and p.poll() is None else \
                f"exit status {p.returncode}" if p else "stopped by the test"
            log(f"--- {name} log ({state}; last 30 lines)")
            log("\n".join(text.splitlines()[-30:]))


# ---- scenarios shared by the tests over each host side ----

def check_commands(b, wpa_path, hostapd_path):
    """ping, status and multi-line replies with the real wpa_cli and
    hostapd_cli."""
    r = b.wpa_cli(wpa_path, "ping")
    check(r.stdout.strip() == "PONG", f"wpa_cli ping: {r.stdout.strip()!r}")
    r = b.wpa_cli(wpa_path, "status")
    lines = r.stdout.strip().splitlines()
    check("wpa_state=COMPLETED" in lines and len(lines) >= 5,
          f"wpa_cli status: {len(lines)} lines with wpa_state=COMPLETED")
    r = b.wpa_cli(wpa_path, "list_networks")
    lines = r.stdout.strip().splitlines()
    check(len(lines) >= 2 and lines[0].startswith("network id"),
          f"wpa_cli list_networks: multi-line reply ({len(lines)} lines)")
    r = b.wpa_cli(wpa_path, "get_capability", "eap")
    check(r.returncode == 0 and "MD5" in r.stdout, "wpa_cli get_capability eap")
    r = b.hostapd_cli(hostapd_path, "ping")
    check(r.stdout.strip() == "PONG", f"hostapd_cli ping: {r.stdout.strip()!r}")
    r = b.hostapd_cli(hostapd_path, "status")
    check("state=ENABLED" in r.stdout and len(r.stdout.splitlines()) >= 5,
          "hostapd_cli status: multi-line, state=ENABLED")


def check_action_events(b, wpa_path, wait=15):
    """An attached `wpa_cli -a` (ATTACH, then a PING every 5 s on the same
    socket) runs its script for the events the daemon sends."""
    out = os.path.join(b.tmp, f"action-{next(_counter)}.out")
    script = b.write(f"action-{next(_counter)}.sh", f"#!/bin/sh\necho \"$2\" >> {out}\n")
    os.chmod(script, 0o755)
    d, name = os.path.split(wpa_path)
    b.spawn("wpa_cli-a", [f"{b.wpa}/wpa_cli", "-p", d, "-i", name, "-a", script])
    time.sleep(1.5)  # let it ATTACH
    check(b.wpa_cli(wpa_path, "disconnect").stdout.strip() == "OK", "wpa_cli disconnect")
    wait_for(lambda: os.path.exists(out) and "DISCONNECTED" in open(out).read(), wait,
             "wpa_cli -a to see DISCONNECTED")
    check(b.wpa_cli(wpa_path, "reconnect").stdout.strip() == "OK", "wpa_cli reconnect")
    wait_for(lambda: "CONNECTED\n" in open(out).read().replace("DISCONNECTED", ""), wait,
             "wpa_cli -a to see CONNECTED")
    check(b.procs["wpa_cli-a"].poll() is None, "wpa_cli -a still running")
    b.stop("wpa_cli-a")
    log("events seen by the action script:", open(out).read().split())


def concurrent_clients(path, clients=50, requests=200, first_network=1):
    """clients x requests, each client asking for values only it can
    expect (its own network's ssid and priority, alternately). Returns
    (lost, mixed, seconds)."""
    import threading
    lost = [0] * clients
    mixed = [0] * clients
    unsent = [0] * clients
    unopened = []
    errors = []

    def client(i):
        net = first_network + i
        try:
            c = Ctrl(path, timeout=10)
        except OSError as e:
            unopened.append(f"client {i}: {e!r}")
            lost[i] = requests
            return
        try:
            for n in range(requests):
                if n % 2:
                    want, cmd = f"{net}".encode(), f"GET_NETWORK {net} priority"
                else:
                    want, cmd = f'"c{net}"'.encode(), f"GET_NETWORK {net} ssid"
                try:
                    reply = c.request(cmd, timeout=10)
                except OSError as e:
                    # The socket it talks to refused it (socat's host side
                    # gone, say): this request and the rest of this
                    # client's count as lost, and the error is shown.
                    errors.append(f"client {i}: request {n}: {e!r}")
                    lost[i] += requests - n
                    unsent[i] = requests - n
                    return
                if reply is None:
                    lost[i] += 1
                elif reply != want:
                    mixed[i] += 1
                    if mixed[i] == 1:
                        errors.append(f"client {i}: {cmd!r} got {reply!r}")
        finally:
            c.close()

    t0 = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in errors[:5]:
        log("  ", e)
    check(not unopened, "every client opened its socket"
          + (f" ({len(unopened)} could not; the first: {unopened[0]})" if unopened else ""))
    if sum(unsent):
        log(f"   {sum(unsent)} requests of {sum(1 for u in unsent if u)} clients were refused "
            f"by the socket they were sent to, and counted as lost")
    return sum(lost), sum(mixed), time.monotonic() - t0
