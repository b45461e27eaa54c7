#!/usr/bin/env python3
"""Host mode must build on FreeBSD. Without a FreeBSD machine, check what
can be checked here: the README's build line compiles as written, and a
strict POSIX build with the portable seam (sys_portable.c instead of
sys_linux.c) compiles with every warning on, includes no Linux-only
header, calls no Linux-only function, and works end to end. It runs in
both roles, and in guest mode it has no inotify and must find a late
socket without it."""
import os
import re
import subprocess
import sys
import threading
import time

import udsp
from udsp import TOP, Bench, Ctrl, check, fail, log

LINUX_ONLY_HEADERS = ("sys/epoll.h", "sys/inotify.h", "sys/signalfd.h", "sys/timerfd.h",
                      "ifaddrs.h", "linux/")
LINUX_ONLY_CALLS = ("epoll_", "inotify_", "signalfd", "timerfd_", "accept4", "pipe2",
                    "getifaddrs", "eventfd")

readme = open(os.path.join(TOP, "uds-passthru/README.md")).read()
m = re.search(r"<!-- freebsd-build -->\s*\n\s*(cc .*)\n<!-- /freebsd-build -->", readme)
if not m:
    fail("uds-passthru/README.md has no build line between the freebsd-build markers")
line = m.group(1).split()

b = Bench("portable")
try:
    readme_bin = os.path.join(b.tmp, "uds-passthru-readme")
    cmd = [readme_bin if w == "uds-passthru" and line[i - 1] == "-o" else w for i, w in enumerate(line)]
    r = subprocess.run(" ".join(cmd), shell=True, cwd=TOP, capture_output=True, text=True)
    check(r.returncode == 0, f"the README's build line compiles: {' '.join(line)}"
          + (f"\n{r.stderr}" if r.returncode else ""))

    strict_bin = os.path.join(b.tmp, "uds-passthru-posix")
    sources = [w for w in line if w.endswith(".c") or "*" in w]
    flags = ["-std=c11", "-D_POSIX_C_SOURCE=200809L", "-D_XOPEN_SOURCE=700", "-DUDSP_PORTABLE",
             "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Wmissing-prototypes", "-O2", "-Ilib", "-H"]
    r = subprocess.run(" ".join(["cc", *flags, "-o", strict_bin, *sources]), shell=True, cwd=TOP,
                       capture_output=True, text=True)
    check(r.returncode == 0, "strict POSIX build with the portable seam, -Wall -Wextra -Werror"
          + (f"\n{r.stderr[-3000:]}" if r.returncode else ""))
    # -H prints each header with its depth; what our files include
    # directly is what counts (glibc's own headers use linux/ ones).
    ours, stack = set(), []
    for l in r.stderr.splitlines():
        mm = re.match(r"^(\.+) (.*)$", l)
        if not mm:
            continue
        depth, header = len(mm.group(1)), mm.group(2).strip()
        stack[depth - 1:] = [header]
        parent = stack[depth - 2] if depth > 1 else "our .c file"
        if depth == 1 or not parent.startswith("/usr/"):
            ours.add(header)
    bad = sorted(h for h in ours if any(x in h for x in LINUX_ONLY_HEADERS))
    check(not bad, f"no Linux-only header included by our files ({len(ours)} looked at)"
          + (f": {bad}" if bad else ""))
    syms = subprocess.run(["nm", "-u", strict_bin], capture_output=True, text=True).stdout
    calls = sorted({s.split()[-1] for s in syms.splitlines()
                    if any(s.split()[-1].startswith(c) for c in LINUX_ONLY_CALLS)})
    check(not calls, "no Linux-only function called" + (f": {calls}" if calls else ""))

    # End to end with the portable binary in both roles; the daemon comes
    # after a request was sent.
    b.bridge = strict_bin
    b.start_guest()
    check("is not there yet" in b.log_text("guest"), "portable guest mode waits for the socket")
    path = b.start_host_mode(1200, "wa")
    answer = {}

    def ask():
        c = Ctrl(path)
        t0 = time.monotonic()
        answer["reply"] = c.request("PING", timeout=10)
        answer["secs"] = time.monotonic() - t0
        c.close()

    t = threading.Thread(target=ask)
    t.start()
    time.sleep(0.5)
    b.start_wpa()
    t.join()
    check(answer.get("reply") == b"PONG\n",
          f"without inotify, a late socket is found while a request waits ({answer.get('secs', 0):.1f} s)")
    mon = Ctrl(path)
    check(mon.request("ATTACH") == b"OK\n", "portable host mode: ATTACH")
    b.wpa_cli(path, "disconnect")
    check(mon.wait_event(b"CTRL-EVENT-DISCONNECTED", 5) is not None, "portable host mode: events")
    b.wpa_cli(path, "reconnect")
    mon.close()
    r = b.wpa_cli(path, "status")
    check("wpa_state=" in r.stdout, "portable host mode: wpa_cli status")
    b.finish()
except SystemExit:
    b.dump_logs()
    raise
sys.exit(0)
