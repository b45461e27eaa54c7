#!/usr/bin/env python3
"""Issue 14: the guest bridge is killed (SIGKILL) while the daemon holds
an ATTACH of one of its client sockets, and init starts it again. The
daemon still sends events to that socket's name until one fails. Client
socket names restarted at "<port>.1": the new instance's first
connection got the dead one's ATTACH, and events it never asked for.
Names are now unique per instance: "<port>.<pid>-<start>.<n>"."""
import os
import re
import signal
import sys
import time

import udsp
from udsp import Bench, Ctrl, check, log, wait_for

b = Bench("stale-attach")

# A raw peer that ATTACHes and leaves: its socket is parked, attached.
ATTACH = """
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
s.sendall(b"ATTACH")
s.shutdown(socket.SHUT_WR)
s.settimeout(5)
print(s.recv(100).decode().strip())
"""

# A raw peer that sends PING and, without shutting its side (so the bridge
# keeps the connection), collects everything that comes back for 3 s.
COLLECT = """
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
s.sendall(b"PING")
s.settimeout(0.2)
got, end = b"", time.monotonic() + 3
while time.monotonic() < end:
    try:
        d = s.recv(65536)
        if not d:
            break
        got += d
    except socket.timeout:
        pass
print(got.hex())
"""


def events_now(n=4):
    """n events (NETWORK-ADDED, -REMOVED), through the daemon's own socket."""
    c = Ctrl(os.path.join(b.guest_sockdir, "wa"), timeout=2)
    for _ in range(n // 2):
        nid = (c.request("ADD_NETWORK") or b"").strip()
        c.request(b"REMOVE_NETWORK " + nid)
    c.close()


def sockets():
    return sorted(f for f in os.listdir(b.rundir) if not f.startswith("."))


try:
    b.start_wpa()
    b.start_guest()
    check(b.host_python(ATTACH, udsp.GUEST_IP, 1200).strip() == "OK", "a raw peer ATTACHed")
    wait_for(lambda: "parked" in b.log_text("guest"), 5, "its socket to be parked")
    first = sockets()
    log("the first instance's client sockets:", first)
    b.stop("guest", signal.SIGKILL)
    check(first and all(os.path.exists(os.path.join(b.rundir, f)) for f in first),
          "the killed bridge left its attached socket behind")
    b.start_guest()

    import threading
    got = {}
    t = threading.Thread(target=lambda: got.update(out=b.host_python(COLLECT, udsp.GUEST_IP, 1200)))
    t.start()
    time.sleep(1.0)
    second = sockets()
    events_now()
    t.join()
    data = bytes.fromhex(got["out"].strip())
    log("the second instance's client sockets:", second, "; its new peer got", data)
    check(not set(first) & set(second), "no client socket name of the dead instance came back")
    check(all(re.fullmatch(r"1200\.\d+-[0-9a-f]+\.\d+", f) for f in first + second),
          "names carry the instance: <port>.<pid>-<start>.<n>")
    check(data == b"PONG\n", "a new peer gets its reply and no event it did not ask for")
    b.finish()
except SystemExit:
    b.dump_logs()
    raise
sys.exit(0)
