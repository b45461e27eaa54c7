#!/usr/bin/env python3
"""The host's view of router advertisements, for the IPv6 tests (issue 8).

    python3 ra-listen.py IFACE [--seconds S] [--count N] [--solicit] [--control]

(A helper, not a test: it is not executable, so tests/run leaves it out.)

Listens on IFACE (in the namespace it runs in) for router advertisements
and prints each one as a line of JSON:
  {"src": "fe80::...", "hop_limit": 255, "router_lifetime": 1800,
   "prefixes": [{"prefix": "fd00::", "len": 64, "on_link": true,
                 "autonomous": true, "valid": 86400, "preferred": 14400}],
   "rdnss": [{"addr": "2001:db8::53", "lifetime": 1800}]}
until COUNT of them arrived or S seconds passed (default 10). --solicit
sends a router solicitation first, and again each second until one comes.
--control sends, a second in, an advertisement of its own to all nodes on
IFACE (router lifetime 0, marked by an experimental option), which comes
back to this socket and nowhere else (the kernel ignores its own): it is
printed with "control": true and not counted, and proves that the socket
was listening. A line on stderr sums up what was done.

Exit status, so that silence is never confused with a broken listener:
  0  at least one advertisement arrived;
  3  none did, and the listening is proven: the socket ran the whole time,
     with --solicit at least one solicitation went out, and with --control
     the control advertisement came back;
  1  could not listen, or cannot vouch for the silence (an error, a
     solicitation that could not be sent, no control advertisement).
"""
import argparse
import ipaddress
import json
import os
import select
import socket
import struct
import sys
import time

IPV6_RECVHOPLIMIT = 51
IPV6_HOPLIMIT = 52
SO_BINDTODEVICE = 25


def parse_options(data):
    prefixes, rdnss = [], []
    off = 0
    while off + 2 <= len(data):
        kind, units = data[off], data[off + 1]
        if units == 0 or off + units * 8 > len(data):
            break
        opt = data[off:off + units * 8]
        if kind == 3 and units == 4:
            plen, flags, valid, pref = struct.unpack("!BBII", opt[2:12])
            prefixes.append({"prefix": str(ipaddress.IPv6Address(opt[16:32])), "len": plen,
                             "on_link": bool(flags & 0x80), "autonomous": bool(flags & 0x40),
                             "valid": valid, "preferred": pref})
        elif kind == 25 and units >= 3:
            life = struct.unpack("!I", opt[4:8])[0]
            for a in range(8, len(opt) - 15, 16):
                rdnss.append({"addr": str(ipaddress.IPv6Address(opt[a:a + 16])), "lifetime": life})
        off += units * 8
    return prefixes, rdnss


SILENCE = 3
CONTROL_OPTION = 253                    # RFC 4727: for experiments


def solicit(sock, ifindex):
    """True if a router solicitation went out."""
    try:
        sock.sendto(bytes([133, 0, 0, 0, 0, 0, 0, 0]), ("ff02::2", 0, 0, ifindex))
        return True
    except OSError:
        return False    # no usable link-local address yet: try again later


def control_ra(nonce):
    """An advertisement that configures nothing (router lifetime 0, no
    prefix), marked with our experimental option."""
    return bytes([134, 0, 0, 0, 0, 0, 0, 0]) + bytes(8) + bytes([CONTROL_OPTION, 1, 0, 0]) + nonce


def is_control(data, nonce):
    return data[16:18] == bytes([CONTROL_OPTION, 1]) and data[20:24] == nonce


def open_socket(iface):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, iface.encode())
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    return s


def describe(data, anc, src, control):
    hops = next((struct.unpack("i", d)[0] for lvl, t, d in anc
                 if lvl == socket.IPPROTO_IPV6 and t == IPV6_HOPLIMIT), None)
    prefixes, rdnss = parse_options(data[16:])
    ra = {"src": src[0].split("%")[0], "hop_limit": hops, "cur_hop_limit": data[4],
          "flags": data[5], "router_lifetime": struct.unpack("!H", data[6:8])[0],
          "prefixes": prefixes, "rdnss": rdnss}
    if control:
        ra["control"] = True
    return ra


def listen(a):
    """What was heard and done: (advertisements, solicitations sent,
    solicitations that failed, control advertisement heard)."""
    ifindex = socket.if_nametoindex(a.iface)
    s = open_socket(a.iface)
    nonce = os.urandom(4)
    start = time.monotonic()
    end = start + a.seconds
    next_rs, control_due = start, start + 1 if a.control else None
    got = sent = unsent = 0
    control_heard = False
    while got < a.count and time.monotonic() < end:
        now = time.monotonic()
        if a.solicit and not got and now >= next_rs:
            if solicit(s, ifindex):
                sent += 1
            else:
                unsent += 1
            next_rs = now + 1
        if control_due is not None and now >= control_due:
            try:
                s.sendto(control_ra(nonce), ("ff02::1", 0, 0, ifindex))
                control_due = None
            except OSError:
                control_due = now + 0.5     # no link-local address yet
        r, _, _ = select.select([s], [], [], min(max(end - now, 0), 0.2))
        if not r:
            continue
        data, anc, _, src = s.recvmsg(2048, socket.CMSG_SPACE(4))
        if len(data) < 16 or data[0] != 134:
            continue
        control = is_control(data, nonce)
        print(json.dumps(describe(data, anc, src, control)), flush=True)
        if control:
            control_heard = True
        else:
            got += 1
    return got, sent, unsent, control_heard


def verdict(a, got, sent, unsent, control_heard):
    """The exit status, and why."""
    if got:
        return 0, "%d advertisement(s)" % got
    doubts = []
    if a.solicit and not sent:
        doubts.append("no solicitation could be sent (%d tries)" % unsent)
    if a.control and not control_heard:
        doubts.append("our own control advertisement never came back")
    if doubts:
        return 1, "no advertisement, but the listening is not proven: " + "; ".join(doubts)
    return SILENCE, "no advertisement in %g s (%d solicitation(s) sent%s)" % (
        a.seconds, sent, ", control advertisement heard" if a.control else "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iface")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--solicit", action="store_true")
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    try:
        got, sent, unsent, control_heard = listen(a)
    except OSError as e:
        print("ra-listen: cannot listen on %s: %s" % (a.iface, e), file=sys.stderr)
        return 1
    status, why = verdict(a, got, sent, unsent, control_heard)
    print("ra-listen: %s: %s" % (a.iface, why), file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
