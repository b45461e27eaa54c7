#!/usr/bin/env python3
"""The daemon restarts (cleanly, and killed with SIGKILL so that its socket
file stays behind), and the guest bridge itself restarts. Through host
mode, an ATTACHed client's socket is made to fail, as the daemon's own
would, so that it reconnects and ATTACHes again; `wpa_cli -a` exits as it
does when its daemon goes away. Through socat's host side, requests work
again at once, and a `wpa_cli -a` keeps getting events: its parked socket
is ATTACHed to the new daemon by the bridge."""
import os
import signal
import socket
import sys
import threading
import time

from udsp import Bench, Ctrl, check, log, wait_for

b = Bench("daemon-restart")


def restart_wpa(sig):
    b.stop("wpa_supplicant", sig)
    if sig != signal.SIGKILL:
        b.start_wpa()
        return
    # Killed: its socket file stays, with nobody behind it. A request sent
    # now is refused by the kernel; the bridge keeps it for the next
    # daemon instead of dropping it. (A raw connection, as socat's: host
    # mode, told the daemon went away, resets its clients instead.)
    sock = os.path.join(b.guest_sockdir, "wa")
    check(os.path.exists(sock), "the killed daemon's socket file is still there")
    answer = {}

    def ask():
        answer["reply"] = b.raw_request(1200, b"PING")

    t = threading.Thread(target=ask)
    t.start()
    time.sleep(1.0)
    b.start_wpa()
    t.join()
    check(answer.get("reply") == b"PONG\n", "a request sent to the dead socket was answered by the new daemon")


def action_client(path, name):
    out = os.path.join(b.tmp, f"{name}.events")
    script = b.write(f"{name}.sh", f"#!/bin/sh\necho \"$2\" >> {out}\n")
    os.chmod(script, 0o755)
    d, n = os.path.split(path)
    b.spawn(name, [f"{b.wpa}/wpa_cli", "-p", d, "-i", n, "-a", script])
    time.sleep(1.5)
    check(b.procs[name].poll() is None, f"{name}: wpa_cli -a attached")
    return out


def events(path):
    return open(path).read().split() if os.path.exists(path) else []


def refused(c):
    try:
        c.send("PING")
        c.recv(0.2)
        return False
    except (ConnectionRefusedError, FileNotFoundError):
        return True
    except OSError:
        return False


try:
    b.start_wpa()
    b.start_guest()
    bridge = b.start_host_mode(1200, "wa")
    socat = b.start_socat_host(1200, "wa")

    for sig, how in ((signal.SIGTERM, "restarted"), (signal.SIGKILL, "killed and restarted")):
        mon = Ctrl(bridge)
        check(mon.request("ATTACH") == b"OK\n", "monitor ATTACHed through host mode")
        action_client(bridge, "a-bridge")
        socat_events = action_client(socat, "a-socat")
        restart_wpa(sig)
        # The monitor's socket fails, as the daemon's own would.
        wait_for(lambda: refused(mon), 10, f"the monitor's socket to fail ({how})")
        log(f"ok: daemon {how}: the host socket was re-created, the monitor sees ECONNREFUSED")
        mon.close()
        mon = Ctrl(bridge)
        check(mon.request("ATTACH") == b"OK\n", "monitor ATTACHed again after reconnecting")
        b.wpa_cli(bridge, "disconnect")
        check(mon.wait_event(b"CTRL-EVENT-DISCONNECTED", 5) is not None,
              "the reconnected monitor gets events from the new daemon")
        b.wpa_cli(bridge, "reconnect")
        mon.close()
        # (Not PING: behind socat, a PING takes over the parked monitor and
        # gets its pending events first; see uds-passthru/README.md.)
        check("wpa_state=" in b.wpa_cli(socat, "status").stdout, "socat's host side: STATUS works")
        check(b.wpa_cli(bridge, "ping").stdout.strip() == "PONG", "host mode: PING works")
        # Host mode: wpa_cli -a exits, as it does when its daemon goes away.
        wait_for(lambda: b.procs["a-bridge"].poll() is not None, 15, "wpa_cli -a (host mode) to exit")
        log(f"ok: daemon {how}: wpa_cli -a through host mode noticed and exited")
        # socat: its parked socket was ATTACHed to the new daemon.
        n = events(socat_events).count("DISCONNECTED")
        b.wpa_cli(bridge, "disconnect")
        wait_for(lambda: events(socat_events).count("DISCONNECTED") > n, 15,
                 "wpa_cli -a behind socat to get an event from the new daemon")
        check(b.procs["a-socat"].poll() is None, f"daemon {how}: wpa_cli -a behind socat still gets events")
        b.wpa_cli(bridge, "reconnect")
        b.stop("a-bridge")
        b.stop("a-socat")

    # The guest bridge itself restarts: host mode reconnects by itself.
    mon = Ctrl(bridge)
    check(mon.request("ATTACH") == b"OK\n", "monitor ATTACHed before the bridge restarts")
    b.stop("guest")
    b.start_guest()
    wait_for(lambda: refused(mon), 10, "the monitor's socket to fail after the bridge restarted")
    mon.close()
    check(b.wpa_cli(bridge, "ping").stdout.strip() == "PONG", "host mode works after the bridge restarted")
    check("wpa_state=" in b.wpa_cli(socat, "status").stdout, "socat works after the bridge restarted")
    b.finish()
except SystemExit:
    b.dump_logs()
    raise
sys.exit(0)
