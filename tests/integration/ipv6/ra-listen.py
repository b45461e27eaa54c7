#!/usr/bin/env python3
"""The host's view of router advertisements, for the IPv6 tests (issue 8).

    python3 ra-listen.py IFACE [--seconds S] [--count N] [--solicit]

(A helper, not a test: it is not executable, so tests/run leaves it out.)

Listens on IFACE (in the namespace it runs in) for router advertisements
and prints each one as a line of JSON:
  {"src": "fe80::...", "hop_limit": 255, "router_lifetime": 1800,
   "prefixes": [{"prefix": "fd00::", "len": 64, "on_link": true,
                 "autonomous": true, "valid": 86400, "preferred": 14400}],
   "rdnss": [{"addr": "2001:db8::53", "lifetime": 1800}]}
until COUNT of them arrived or S seconds passed (default 10). --solicit
sends a router solicitation first, and again each second until one comes.
Exit status 0 when at least one arrived, 1 when none did.
"""
import argparse
import ipaddress
import json
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


def solicit(sock, ifindex):
    try:
        sock.sendto(bytes([133, 0, 0, 0, 0, 0, 0, 0]), ("ff02::2", 0, 0, ifindex))
    except OSError:
        pass    # no usable link-local address yet: try again later


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iface")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--solicit", action="store_true")
    a = ap.parse_args()
    ifindex = socket.if_nametoindex(a.iface)
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, a.iface.encode())
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    end = time.monotonic() + a.seconds
    next_rs = 0
    got = 0
    while got < a.count:
        now = time.monotonic()
        if now >= end:
            break
        if a.solicit and not got and now >= next_rs:
            solicit(s, ifindex)
            next_rs = now + 1
        r, _, _ = select.select([s], [], [], min(end - now, 0.2))
        if not r:
            continue
        data, anc, _, src = s.recvmsg(2048, socket.CMSG_SPACE(4))
        if len(data) < 16 or data[0] != 134:
            continue
        hops = next((struct.unpack("i", d)[0] for lvl, t, d in anc
                     if lvl == socket.IPPROTO_IPV6 and t == IPV6_HOPLIMIT), None)
        prefixes, rdnss = parse_options(data[16:])
        print(json.dumps({"src": src[0].split("%")[0], "hop_limit": hops,
                          "cur_hop_limit": data[4], "flags": data[5],
                          "router_lifetime": struct.unpack("!H", data[6:8])[0],
                          "prefixes": prefixes, "rdnss": rdnss}), flush=True)
        got += 1
    return 0 if got else 1


if __name__ == "__main__":
    sys.exit(main())
