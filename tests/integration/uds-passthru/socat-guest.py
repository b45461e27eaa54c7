#!/usr/bin/env python3
"""Host mode in front of today's guest (wifibox-alpine's socat
TCP4-LISTEN,fork UNIX-SENDTO,bind=<tmpfile>): the hello reaches the daemon
as an empty command, "UNKNOWN COMMAND" comes back, and host mode falls
back to raw, one connection per datagram as socat's host side does. With
-R it never sends the hello. Either way wpa_cli works as it does today."""
import os
import sys
import time

from udsp import GUEST_IP, Bench, Ctrl, check, log

b = Bench("socat-guest")
try:
    b.start_wpa()
    sock = os.path.join(b.guest_sockdir, "wa")
    # Exactly wifibox-alpine's /sbin/uds_passthru, for one socket.
    b.spawn("socat-guest", b.in_guest(
        "socat", f"TCP4-LISTEN:1300,reuseaddr,bind={GUEST_IP},range={GUEST_IP}:255.255.255.0,fork",
        f"UNIX-SENDTO:{sock},bind={b.tmp}/socat-guest.sock,unlink-early"))
    udsp_wait = __import__("udsp").wait_for
    udsp_wait(lambda: b.port_open(1300), 10, "socat's guest side to listen")
    def settle():
        # socat's guest children all reply through one path and linger half
        # a second: a request right behind another may lose its reply to
        # the previous child. One at a time, as a person types, they work.
        time.sleep(0.8)

    for extra, name in (((), "wa"), (("-R",), "wa-raw")):
        path = b.start_host_mode(1300, name, extra=extra)
        settle()
        r = b.wpa_cli(path, "ping")
        check(r.stdout.strip() == "PONG", f"host mode {' '.join(extra)} over socat's guest: ping")
        settle()
        r = b.wpa_cli(path, "status")
        check("wpa_state=COMPLETED" in r.stdout, "status")
        settle()
        r = b.wpa_cli(path, "list_networks")
        check(r.stdout.strip().splitlines()[0].startswith("network id"), "list_networks")
        c = Ctrl(path)
        answered = sum(c.request("PING", timeout=5) == b"PONG\n" for _ in range(100))
        c.close()
        # socat's guest side itself loses about 1 % of requests even one
        # after the other (each child re-binds the same reply path; see
        # tests/bench/uds-passthru.sh): most must come back, not all.
        check(answered >= 90, f"100 PINGs one after the other: {answered} answered")
        text = b.log_text(f"host-1300")
        if not extra:
            check("does not speak framing" in text, "host mode noticed socat and stays raw")
        b.stop("host-1300")
    log(open(os.path.join(b.tmp, "wpa_supplicant.log")).read()[-300:])
    b.finish()
except SystemExit:
    b.dump_logs()
    raise
sys.exit(0)
