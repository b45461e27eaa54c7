#!/usr/bin/env python3
"""Guest mode behind host mode (framed): commands and multi-line replies
with the real wpa_cli and hostapd_cli, events for an attached `wpa_cli -a`
and for a raw ATTACHed client, and 50 concurrent clients x 200 requests
with no reply lost or mixed up."""
import sys

import udsp
from udsp import Bench, Ctrl, check, log

b = Bench("host-mode")
try:
    b.start_wpa(networks=50)
    b.start_hostapd()
    b.start_guest()
    wpa = b.start_host_mode(1200, "wa")
    hostapd = b.start_host_mode(1201, "wb")
    udsp.check_commands(b, wpa, hostapd)
    udsp.check_action_events(b, wpa, wait=5)

    # A monitor that never PINGs still gets every event: its connection
    # stays up for as long as its socket does.
    mon = Ctrl(wpa)
    check(mon.request("ATTACH") == b"OK\n", "ATTACH through host mode")
    for _ in range(3):
        b.wpa_cli(wpa, "disconnect")
        check(mon.wait_event(b"CTRL-EVENT-DISCONNECTED", 5) is not None, "event: DISCONNECTED")
        b.wpa_cli(wpa, "reconnect")
        check(mon.wait_event(b"CTRL-EVENT-CONNECTED", 5) is not None, "event: CONNECTED")
    check(mon.request("DETACH") == b"OK\n", "DETACH")
    mon.close()

    lost, mixed, secs = udsp.concurrent_clients(wpa, 50, 200)
    log(f"50 clients x 200 requests through host mode: {lost} lost, {mixed} mixed, {secs:.1f} s")
    check(lost == 0 and mixed == 0, "no reply lost or mixed")
    log(b.stats())
    log(b.stats("host-1200"))
    check("framing" not in b.log_text("host-1200"), "host mode framed (no fall-back to raw)")
    b.finish()
except SystemExit:
    b.dump_logs()
    raise
sys.exit(0)
