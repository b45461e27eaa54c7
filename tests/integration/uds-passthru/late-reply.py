#!/usr/bin/env python3
"""Behind socat's host side, a reply slower than socat's half second is
lost: socat closes 0.5 s after it sent the request, whatever the guest
does. The bridge cannot save it, but it must say so, naming the command,
and count it, so that a user whose `wpa_cli` says "timed out" finds why
in the guest's log. A daemon that answers FAST at once and SLOW after
0.9 s stands in for wpa_supplicant busy with a scan:

- FAST through socat gets its reply, and is not counted as late;
- SLOW through socat gets nothing (socat's limit, shown here so that the
  check below cannot pass on a bridge that lost the reply itself);
- the bridge logs SLOW's late reply with the command and the time, and
  counts one late reply;
- the same SLOW through host mode, which keeps its connection, gets its
  reply, and is not counted: host mode has no such limit."""
import os
import re
import sys

import udsp
from udsp import Bench, Ctrl, check, log, wait_for

DAEMON = """
import os, socket, sys, time
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o770)
print("ready", flush=True)
while True:
    data, peer = s.recvfrom(4096)
    if data.startswith(b"SLOW"):
        time.sleep(0.9)
    s.sendto(b"REPLY " + data + b"\\n", peer)
"""

b = Bench("late-reply")
try:
    slow_dir = os.path.join(b.tmp, "guest/run/slow")
    os.makedirs(slow_dir)
    slow = os.path.join(slow_dir, "sl")
    b.spawn("slow-daemon", b.in_guest(sys.executable, "-c", DAEMON, slow))
    wait_for(lambda: udsp.is_socket(slow), 10, "the slow daemon's socket")
    b.start_guest(b.guest_conf(f"\npath={slow},${{_perms}},port=1202"))
    via_socat = b.start_socat_host(1202, "sl")

    c = Ctrl(via_socat, timeout=3)
    fast = c.request("FAST", timeout=3)
    check(fast == b"REPLY FAST\n", f"FAST through socat answered ({fast!r})")
    slow_reply = c.request("SLOW 1", timeout=3)
    c.close()
    check(slow_reply is None, f"socat's host side dropped the 0.9 s reply ({slow_reply!r})")
    wait_for(lambda: "SLOW's reply" in b.log_text("guest"), 5, "the late reply in the log")
    line = next(l for l in b.log_text("guest").splitlines() if "SLOW's reply" in l)
    log("the bridge: " + line.split(": ", 1)[-1])
    took = re.search(r"came (\d+) ms after the request", line)
    check(took and 800 <= int(took.group(1)) < 3000, "the line says how long the reply took")
    check(str(slow) in line and "socat's host side" in line, "the line names the socket and socat")
    check(b.counters()["late"] == 1, "one late reply counted, FAST not among them")

    via_bridge = b.start_host_mode(1202, "sl")
    c = Ctrl(via_bridge, timeout=3)
    slow_reply = c.request("SLOW 2", timeout=3)
    c.close()
    check(slow_reply == b"REPLY SLOW 2\n", f"host mode waits for the slow reply ({slow_reply!r})")
    check(b.counters()["late"] == 1, "a framed peer's slow reply is not late")
    b.finish()
except SystemExit:
    b.dump_logs()
    raise
sys.exit(0)
