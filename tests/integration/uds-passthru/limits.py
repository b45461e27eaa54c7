#!/usr/bin/env python3
"""Limits and bad input. Datagrams up to 16 KiB pass whole, larger ones
are dropped and counted, never cut. Garbage, silent and half-open
connections, a flood of connections, a peer outside the host network and
a peer that never reads are logged and counted; none of them crashes the
bridge, leaks a descriptor, or makes the daemon's socket back up. A
stand-in daemon (echo, and event floods on demand) is used where the real
ones cannot send what is needed (replies over 4 KiB, thousands of
events).

Two runs: this one with the image's static binary, whose speed the slow
reader's check measures (the daemon must never find the bridge's socket
full); limits-sanitized.sh runs it again (UDSP_SANITIZE=1) with the bridge
built with ASan and UBSan, where "no sanitizer report" means something and
the speed check, two to three times slower, is only reported."""
import os
import socket
import sys
import threading
import time

from udsp import GUEST_IP, Bench, Ctrl, check, log, sanitizer_report, wait_for

PORT = 1202


class EchoDaemon(threading.Thread):
    """Answers each datagram with itself; "FLOOD n size" sends n events
    of size bytes, paced like a busy daemon, then "FLOODED". Counts the
    sends that would have blocked: what wpa_supplicant answers by
    resetting its control socket for every client."""

    def __init__(self, path):
        super().__init__(daemon=True)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.s.bind(path)
        self.eagain = 0
        self.sent = 0

    def send(self, data, addr):
        try:
            self.s.sendto(data, socket.MSG_DONTWAIT, addr)
            self.sent += 1
        except BlockingIOError:
            self.eagain += 1
        except OSError:
            pass

    def run(self):
        while True:
            data, addr = self.s.recvfrom(70000)
            if data.startswith(b"FLOOD "):
                n, size = map(int, data.split()[1:3])
                for i in range(n):
                    self.send(b"<3>EVENT-%06d-" % i + b"e" * (size - 17), addr)
                    if i % 4 == 3:
                        time.sleep(0.0005)
                self.send(b"FLOODED", addr)
            else:
                self.send(data, addr)


# Each helper runs in the host namespace and prints one line.
FRAMED_GARBAGE = """
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
s.sendall(b"\\0uds-passthru/1\\n")
ack = s.recv(16)
s.sendall(bytes.fromhex(sys.argv[3]))
s.settimeout(5)
t0 = time.monotonic()
try:
    print("closed" if s.recv(100) == b"" else "data", ack == b"\\0uds-passthru/1\\n")
except socket.timeout:
    print("open", ack == b"\\0uds-passthru/1\\n")
"""

SILENT = """
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
s.settimeout(20)
t0 = time.monotonic()
d = s.recv(100)
print(f"{time.monotonic() - t0:.1f}", len(d))
"""

SLOW_READER = """
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect((sys.argv[1], int(sys.argv[2])))
s.sendall(b"\\0uds-passthru/1\\n")
s.sendall(b"D\\0" + (15).to_bytes(2, "big") + b"FLOOD 8000 1000")
time.sleep(float(sys.argv[3]))        # not reading at all meanwhile
s.settimeout(2)
got = b""
try:
    while True:
        d = s.recv(1 << 20)
        if not d:
            break
        got += d
except socket.timeout:
    pass
print(got.count(b"<3>EVENT-"), b"FLOODED" in got)
"""

FLOOD = """
import socket, sys, time
socks, closed = [], 0
for i in range(int(sys.argv[3])):
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
    socks.append(s)
time.sleep(1)
for s in socks:
    s.setblocking(False)
    try:
        if s.recv(1) == b"":
            closed += 1
    except BlockingIOError:
        pass
    except ConnectionResetError:
        closed += 1
for s in socks:
    s.close()
print(len(socks), closed)
"""

OUTSIDER = """
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), source_address=(sys.argv[3], 0))
s.settimeout(5)
try:
    print("closed" if s.recv(100) == b"" else "data")
except socket.timeout:
    print("open")
except ConnectionResetError:
    print("closed")
"""


def delta(before, after, key):
    return after[key] - before[key]


b = Bench("limits", sanitized=os.environ.get("UDSP_SANITIZE") == "1")
try:
    echo_path = os.path.join(b.tmp, "guest/run/echo/e0")
    daemon = EchoDaemon(echo_path)
    daemon.start()
    b.start_wpa()
    conf = b.guest_conf(extra_sockets=f"\npath={echo_path},port={PORT}")
    b.start_guest(conf)
    bridge = b.start_host_mode(PORT, "e0")
    socat = b.start_socat_host(PORT, "e0")
    baseline = b.fd_count()
    log(f"guest bridge: {baseline} descriptors at rest")

    # ---- sizes ----
    c = Ctrl(bridge)
    for size in (1, 4096, 8192, 12000, 16384):
        data = os.urandom(size).replace(b"<", b"x")
        check(c.request(data, timeout=5) == data, f"host mode: a {size}-byte datagram comes back whole")
    before = b.counters("host-%d" % PORT)
    check(c.request(b"x" * 16385, timeout=2) is None, "host mode: 16385 bytes: no reply")
    check(delta(before, b.counters("host-%d" % PORT), "oversize") == 1,
          "host mode: the oversized datagram was dropped and counted")
    check(c.request(b"still here", timeout=5) == b"still here", "host mode: fine afterwards")
    c.close()
    # Raw, one read is one datagram, as socat does: only what TCP delivers
    # in one piece is sure to arrive whole (one segment on this link).
    c = Ctrl(socat)
    for size in (1, 1000, 1400):
        data = os.urandom(size).replace(b"<", b"x")
        check(c.request(data, timeout=5) == data, f"socat's host side: {size} bytes come back whole")
    # A datagram that starts with NUL and ends inside the hello's bytes:
    # socat ends its sending side there, which a framed peer never does.
    # (Random data started with NUL now and then, and got no reply.)
    for data in (b"\0", b"\0uds-pass"):
        check(c.request(data, timeout=5) == data, f"socat's host side: {data!r}, a prefix of the hello, comes back")
    c.close()

    # ---- garbage ----
    before = b.counters()
    out = b.host_python(FRAMED_GARBAGE, GUEST_IP, PORT, b"X\0\0\x01z".hex())
    check(out.split() == ["closed", "True"], f"a bad frame type closes the connection ({out.strip()})")
    out = b.host_python(FRAMED_GARBAGE, GUEST_IP, PORT, b"D\0\x40\x01".hex())
    check(out.split() == ["closed", "True"], "a frame over 16 KiB closes the connection")
    out = b.host_python(FRAMED_GARBAGE, GUEST_IP, PORT, b"D\x07\0\0".hex())
    check(out.split() == ["closed", "True"], "a bad reserved byte closes the connection")
    check(delta(before, b.counters(), "garbage") == 3, "three protocol errors counted")
    junk = bytes([0x7f]) + os.urandom(3000)
    check(b.raw_request(PORT, junk) == junk, "random bytes from a raw peer pass as one datagram, as socat would")
    almost = b"\0uds-pa" + b"sstru"
    check(b.raw_request(PORT, almost) == almost, "a datagram that only starts like the hello passes raw")
    before = b.counters()
    check(b.raw_request(PORT, b"y" * 20000) is None, "a raw datagram over 16 KiB gets no reply")
    check(delta(before, b.counters(), "oversize") >= 1, "...and is counted as oversized")

    # ---- silent and half-open connections ----
    before = b.counters()
    out = b.host_python(SILENT, GUEST_IP, PORT).split()
    check(out[1] == "0" and 9 <= float(out[0]) <= 13, f"a silent connection is closed after {out[0]} s")
    check(delta(before, b.counters(), "garbage") == 1, "...and counted")

    # ---- a peer that never reads ----
    before = b.counters()
    watch = Ctrl(bridge)
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("out", b.host_python(SLOW_READER, GUEST_IP, PORT, 8)))
    t.start()
    time.sleep(3)
    check(watch.request(b"others still served", timeout=5) == b"others still served",
          "other clients are served while one peer does not read")
    t.join()
    watch.close()
    events, flooded = result["out"].split()
    after = b.counters()
    log(f"slow reader: {events} of 8000 events reached it; {delta(before, after, 'full')} dropped "
        f"in the guest; the daemon hit a full socket {daemon.eagain} times")
    check(delta(before, after, "full") > 0, "the guest dropped what the slow peer could not take")
    if b.sanitized:
        log(f"(a sanitizer build: {daemon.eagain} full-socket sends reported, not checked; "
            "limits.py checks the image's binary)")
    else:
        check(daemon.eagain == 0, "the daemon's sends never found the bridge's socket full")

    # ---- a flood of connections ----
    before = b.counters()
    out = b.host_python(FLOOD, GUEST_IP, PORT, 700).split()
    after = b.counters()
    over, silent = delta(before, after, "over_limit"), delta(before, after, "garbage")
    log(f"flood: {out[0]} connections, {out[1]} closed by the guest: {over} over the limit, "
        f"{silent} silent for 10 s (a slow machine takes that long to open them all)")
    check(700 - int(out[1]) <= 512 and over > 0, "never more than 512 connections at once")
    check(over + silent == int(out[1]), "each connection closed was counted")
    c = Ctrl(bridge)
    check(c.request(b"after the flood", timeout=5) == b"after the flood", "served after the flood")
    c.close()

    # ---- a peer outside the host network ----
    b.host_python("pass")
    import subprocess
    subprocess.run(["ip", "-n", b.ns_h, "addr", "add", "10.78.0.2/24", "dev", "vh"], check=True)
    subprocess.run(["ip", "-n", b.ns_g, "route", "add", "10.78.0.0/24", "dev", "vg"], check=True)
    before = b.counters()
    out = b.host_python(OUTSIDER, GUEST_IP, PORT, "10.78.0.2").strip()
    check(out == "closed" and delta(before, b.counters(), "refused") == 1,
          "a peer outside the host network is refused and counted")
    # netd's bridged mode names the host's address on the Wi-Fi network:
    # that one peer is let in, and no other
    with open(b.hostaddr_file, "w") as f:
        f.write("10.78.0.2\n")
    before = b.counters()
    out = b.host_python(OUTSIDER, GUEST_IP, PORT, "10.78.0.2").strip()
    check(out == "open" and delta(before, b.counters(), "refused") == 0,
          "the bridged host's address is let in from outside the host network")
    with open(b.hostaddr_file, "w") as f:
        f.write("10.78.0.3\n")
    before = b.counters()
    out = b.host_python(OUTSIDER, GUEST_IP, PORT, "10.78.0.2").strip()
    check(out == "closed" and delta(before, b.counters(), "refused") == 1,
          "another address on the host link is still refused")
    os.unlink(b.hostaddr_file)

    # ---- many short-lived clients through host mode ----
    for i in range(300):
        c = Ctrl(bridge)
        if c.request(b"one-shot %d" % i, timeout=5) != b"one-shot %d" % i:
            check(False, f"one-shot client {i} answered")
        c.close()
    log("ok: 300 one-shot clients through host mode (more than its 256 connections) all answered")

    log(b.stats())
    log(b.stats("host-%d" % PORT))
    # ---- no leak: once the host sides are gone, the guest is as it began ----
    check(b.procs["host-%d" % PORT].poll() is None, "host mode still running")
    check(b.stop("host-%d" % PORT) == 0, "host mode stopped cleanly on SIGTERM")
    if b.sanitized:
        report = sanitizer_report(b.log_text("host-%d" % PORT))
        check(report is None, "host mode: no sanitizer report" + (": " + report if report else ""))
    b.stop("socat-host-%d" % PORT)
    wait_for(lambda: b.fd_count() <= baseline, 15, f"the guest's descriptors back to {baseline}")
    log(f"ok: the guest bridge is back to {b.fd_count()} descriptors")
    b.finish()
except SystemExit:
    b.dump_logs()
    raise
sys.exit(0)
