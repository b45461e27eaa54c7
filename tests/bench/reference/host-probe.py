#!/usr/bin/env python3
"""The host's side of a reference-bench boot, run inside the VM's host
namespace as QEMU starts:  host-probe.py SCRIPT ADDR PORT
Prints "lease T" when the host holds a DHCP lease from the guest and "tcp
T" at its first TCP connection to the world's service through the guest
(T: CLOCK_MONOTONIC seconds, the bench's clock). The caller starts it as
a process group of its own and kills the group on a time-out. busybox udhcpc resends a
DISCOVER once a second; five clients started 200 ms apart bring the
resolution down to 200 ms. They start at the guest's first frame on the
link (its NIC is up), as a host's client starts when the link comes up:
started with QEMU, they sent some 25 DISCOVERs that waited in the tap
until the guest's NIC came up, and the guest's DHCP server then answered
each in turn, ahead of the host's REQUEST and on the guest's one vCPU,
in whichever image served first. Bench tooling, not product code."""
import os
import signal
import socket
import subprocess
import sys
import time

script, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
link = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))	# ETH_P_ALL
link.bind(("tap0", 0))
while link.recvfrom(2048)[1][2] == socket.PACKET_OUTGOING:
    pass
link.close()
clients = []
for i in range(5):
    clients.append(subprocess.Popen(
        ["sh", "-c", "sleep 0.%d; exec busybox udhcpc -f -q -i tap0 -t 1000 -T 1 -s %s"
         % (2 * i, script)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
while True:
    pid, status = os.wait()
    if os.waitstatus_to_exitcode(status) == 0:
        break
print("lease %.3f" % time.monotonic(), flush=True)
for c in clients:
    if c.pid != pid:
        c.send_signal(signal.SIGTERM)
while True:
    t = time.monotonic()
    try:
        with socket.create_connection((addr, port), timeout=0.2) as s:
            s.settimeout(2)
            if s.recv(64).startswith(b"wifibox-world"):
                break
    except OSError:
        time.sleep(max(0.0, 0.2 - (time.monotonic() - t)))
print("tcp %.3f" % time.monotonic(), flush=True)
