#!/usr/bin/env python3
"""Guest mode behind the host side exactly as wifibox-core runs it
(socat UNIX-RECVFROM,fork ... TCP4): commands and multi-line replies with
the real wpa_cli and hostapd_cli, events for an attached `wpa_cli -a`, and
50 concurrent clients x 200 requests with no reply lost or mixed up."""
import sys

import udsp
from udsp import Bench, check, log

b = Bench("socat-host")
try:
    b.start_wpa(networks=50)
    b.start_hostapd()
    b.start_guest()
    wpa = b.start_socat_host(1200, "wa")
    hostapd = b.start_socat_host(1201, "wb")
    udsp.check_commands(b, wpa, hostapd)
    udsp.check_action_events(b, wpa)
    before = b.counters()
    lost, mixed, secs = udsp.concurrent_clients(wpa, 50, 200)
    after = b.counters()
    # Replies only: an event for a monitor still attached would count
    # among the datagrams down.
    up, answered = after["up"] - before["up"], after["answered"] - before["answered"]
    log(f"50 clients x 200 requests through socat's host side: {lost} lost, {mixed} mixed, "
        f"{secs:.1f} s; the guest received {up} and answered {answered}")
    check(mixed == 0, "no reply mixed up")
    check(answered == up, "every request that reached the guest was answered")
    # socat's UNIX-RECVFROM,fork drops some datagrams of concurrent clients
    # before any connection is made (measured in front of a plain TCP echo
    # server too): those are the only losses allowed here.
    check(lost == 50 * 200 - up, "every lost reply is a request socat's host side never sent on "
          f"({lost} lost, {50 * 200 - up} never reached the guest)")
    check(after["full"] == before["full"] and after["expired"] == before["expired"],
          "no queue overflow, no request expired in the guest")
    b.finish()
except SystemExit:
    b.dump_logs()
    raise
sys.exit(0)
