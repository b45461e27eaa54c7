#!/usr/bin/env python3
"""Control sockets that do not exist when the guest bridge starts, not
even their directories: the bridge watches the nearest existing ancestor
(inotify) and uses each socket as soon as it appears. A request sent
before the daemon is there is answered once it comes up (through host
mode; socat's host side gives up after half a second), and a request for a
daemon that never comes is dropped after 10 s and counted."""
import os
import shutil
import socket
import sys
import threading
import time

from udsp import Bench, Ctrl, check, log, wait_for



def no_reply(c, seconds):
    """True if nothing comes back on c within seconds (nothing is sent)."""
    try:
        c.recv(seconds)
        return False
    except socket.timeout:
        return True


b = Bench("late-socket")
try:
    # Neither guest/run nor the daemons' directories exist yet.
    shutil.rmtree(os.path.join(b.tmp, "guest"), ignore_errors=True)
    b.start_guest()
    bridge = b.start_host_mode(1200, "wa")
    socat = b.start_socat_host(1200, "wa")
    check("is not there yet" in b.log_text("guest"), "the guest bridge says it waits")

    # A request that waits for the daemon.
    early = {}

    def ask():
        c = Ctrl(bridge)
        t0 = time.monotonic()
        early["reply"] = c.request("PING", timeout=15)
        early["secs"] = time.monotonic() - t0
        c.close()

    t = threading.Thread(target=ask)
    t.start()
    time.sleep(1.0)
    b.start_wpa()        # creates guest/run (here) and wpa_supplicant/ (itself)
    t.join()
    check(early.get("reply") == b"PONG\n",
          f"a PING sent 1 s before the daemon existed was answered ({early.get('secs', 0):.1f} s)")
    wait_for(lambda: "is there: bridging port 1200" in b.log_text("guest"), 5, "the guest log")
    r = b.wpa_cli(socat, "ping")
    check(r.stdout.strip() == "PONG", "socat's host side works once the socket exists")
    r = b.wpa_cli(bridge, "status")
    check("wpa_state=COMPLETED" in r.stdout, "host mode works once the socket exists")

    # hostapd's socket never comes: requests expire after 10 s, counted.
    # Still waiting at 9 s, dropped by 13 s (the bridge's timer, plus
    # the way through host mode and a loaded machine).
    hostapd = b.start_host_mode(1201, "wb")
    before = b.counters()["expired"]
    c = Ctrl(hostapd)
    t0 = time.monotonic()
    c.send("PING")
    time.sleep(9)
    check(b.counters()["expired"] == before, "the request is still waiting 9 s after it was sent")
    wait_for(lambda: b.counters()["expired"] == before + 1, 4, "the request to be dropped by 13 s")
    took = time.monotonic() - t0
    check(9 <= took <= 13, f"the request was dropped after {took:.1f} s (10 s expected) and counted")
    check(no_reply(c, 1), "no reply from a daemon that never came")
    c.close()
    # ...and it is served once it does come, late as it is.
    b.start_hostapd()
    r = b.hostapd_cli(hostapd, "ping")
    check(r.stdout.strip() == "PONG", "hostapd's late socket is bridged")
    b.finish()
except SystemExit:
    b.dump_logs()
    raise
sys.exit(0)
