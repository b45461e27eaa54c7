#!/usr/bin/env python3
"""Issue 14: a framed peer (host mode's protocol) that stops reading while
events pile up for it. Its queue held up to 64 KiB of the 4 MiB all
connections share, for as long as it liked; a few dozen such peers took
the whole budget. It is now closed once it has read nothing for 10 s
with output waiting; a peer that reads is left alone."""
import json
import os
import sys
import threading
import time

import udsp
from udsp import Bench, Ctrl, check, log, wait_for

b = Bench("stalled-peer")

HOST_SIDE = r"""
import json, os, socket, struct, sys, time
HELLO = b"\0uds-passthru/1\n"

def frame(data):
    return b"D\0" + struct.pack(">H", len(data)) + data

def read_frame(s):
    hdr = b""
    while len(hdr) < 4:
        d = s.recv(4 - len(hdr))
        if not d:
            return None
        hdr += d
    n = struct.unpack(">H", hdr[2:])[0]
    data = b""
    while len(data) < n:
        data += s.recv(n - len(data))
    return hdr[:1], data

def attached(small_buffer):
    s = socket.socket()
    if small_buffer:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    s.connect((sys.argv[1], 1200))
    s.sendall(HELLO)
    got = b""
    while len(got) < len(HELLO):
        got += s.recv(len(HELLO) - len(got))
    assert got == HELLO, got
    s.sendall(frame(b"ATTACH"))
    while True:
        t, d = read_frame(s)
        if not d.startswith(b"<"):
            assert d == b"OK\n", d
            return s

stalled, reader = attached(True), attached(False)
open(sys.argv[2], "w").close()          # both attached: the events may come
reader.settimeout(0.5)
end = time.monotonic() + 16
events = 0
while time.monotonic() < end:           # one reads all along, one never
    try:
        f = read_frame(reader)
        events += f is not None
    except socket.timeout:
        pass
reader.settimeout(5)
reader.sendall(frame(b"PING"))
pong = None
while pong is None:
    t, d = read_frame(reader)
    if not d.startswith(b"<"):
        pong = d.decode()
stalled.settimeout(5)
closed = False
try:
    while True:
        d = stalled.recv(65536)
        if not d:
            closed = True
            break
except (socket.timeout, ConnectionResetError):
    closed = isinstance(sys.exc_info()[1], ConnectionResetError)
print(json.dumps({"reader_events": events, "reader_pong": pong, "stalled_closed": closed}))
"""


def events(n):
    c = Ctrl(os.path.join(b.guest_sockdir, "wa"), timeout=2)
    for _ in range(n // 2):
        nid = (c.request("ADD_NETWORK") or b"").strip()
        c.request(b"REMOVE_NETWORK " + nid)
    c.close()


try:
    b.start_wpa()
    b.start_guest()
    flag = os.path.join(b.tmp, "attached")
    result = {}
    t = threading.Thread(target=lambda: result.update(
        out=b.host_python(HOST_SIDE, udsp.GUEST_IP, flag, timeout=60)))
    t.start()
    wait_for(lambda: os.path.exists(flag), 10, "both framed peers to ATTACH")
    events(3000)        # some 100 KiB of events for each
    t0 = time.monotonic()
    wait_for(lambda: "has read nothing for 10 s" in b.log_text("guest"), 20,
             "the bridge to close the peer that stopped reading")
    log(f"closed {time.monotonic() - t0:.1f} s after the events")
    t.join()
    r = json.loads(result["out"])
    log("host side:", r)
    check(r["stalled_closed"], "the peer that stopped reading was closed")
    check(r["reader_pong"] == "PONG\n" and r["reader_events"] >= 3000,
          f"the peer that reads got all {r['reader_events']} events and still works")
    check(" 1 stalled peers closed" in b.stats(), "counted: 1 stalled peer closed")
    b.finish()
except SystemExit:
    b.dump_logs()
    raise
sys.exit(0)
