#!/usr/bin/env python3
"""mdns.py: an mDNS peer in the host's namespace (test-only). The e2e
tests' independent observer of the guest's mDNS reflector and responder
on the host's link; it shares no code with netd on purpose.
sim/world/worldmdns.c is its twin in the world and prints the same lines.

    python3 sim/mdns.py query IFACE NAME TYPE [--timeout S] [-6]
    python3 sim/mdns.py listen IFACE SECONDS [-6]
    python3 sim/mdns.py announce IFACE HOST ADDR INSTANCE TYPE PORT [--seconds S] [-6]

Lines: a message's source "from ADDR" first, then "question NAME TYPE"
and "SECTION NAME TYPE TTL DATA" (SECTION answer|authority|additional;
DATA the address of A/AAAA, the target of PTR, "PRIO WEIGHT PORT TARGET"
of SRV, the quoted strings of TXT, hex otherwise); "malformed from ADDR"
for a message that does not parse; listen ends with "messages N".
query exits 0 when a record named NAME came (case-insensitive), 1 if
not; bad usage exits 100, a socket that cannot be made 111.

As a module: query(iface, name, qtype, timeout=3.0, ipv6=False) and
listen(iface, seconds, ipv6=False) return record dicts {section, name,
type, ttl, data, source} (listen: also {"section": "question", ...} and
{"section": "malformed", "source": ...}); announce(iface, host, addr,
instance, stype, port, seconds=60.0, ipv6=False) answers until the time
is up and returns the questions it answered."""
import ipaddress
import select
import socket
import struct
import sys
import time

PORT = 5353
GROUP4 = "224.0.0.251"
GROUP6 = "ff02::fb"
TYPES = {"A": 1, "NS": 2, "CNAME": 5, "PTR": 12, "HINFO": 13, "TXT": 16, "AAAA": 28,
         "SRV": 33, "OPT": 41, "NSEC": 47, "ANY": 255}
TYPE_NAMES = {v: k for k, v in TYPES.items()}
SECTIONS = ("answer", "authority", "additional")

# Linux values the socket module may lack
SO_BINDTODEVICE = getattr(socket, "SO_BINDTODEVICE", 25)


class Malformed(Exception):
    pass


def type_code(t):
    """"PTR", "ptr", "TYPE12", "12" or 12 -> 12."""
    if isinstance(t, int):
        return t
    up = t.upper()
    if up in TYPES:
        return TYPES[up]
    if up.startswith("TYPE"):
        up = up[4:]
    if up.isdigit() and int(up) < 65536:
        return int(up)
    raise ValueError("unknown type %r" % t)


def type_name(code):
    return TYPE_NAMES.get(code, "TYPE%d" % code)


# --- the socket ---

def open_socket(iface, ipv6=False, loop=True):
    """Bound to *:5353 on iface, in the group, TTL/hop limit 255."""
    ifindex = socket.if_nametoindex(iface)
    s = socket.socket(socket.AF_INET6 if ipv6 else socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if hasattr(socket, "SO_REUSEPORT"):
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, iface.encode())
        if ipv6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s.bind(("::", PORT))
            mreq = socket.inet_pton(socket.AF_INET6, GROUP6) + struct.pack("@I", ifindex)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifindex)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 1 if loop else 0)
        else:
            s.bind(("0.0.0.0", PORT))
            # struct ip_mreqn: group, local address (any), interface index
            mreqn = socket.inet_aton(GROUP4) + socket.inet_aton("0.0.0.0") + struct.pack("@i", ifindex)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreqn)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                         socket.inet_aton("0.0.0.0") + socket.inet_aton("0.0.0.0")
                         + struct.pack("@i", ifindex))
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 255)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1 if loop else 0)
    except BaseException:
        s.close()
        raise
    return s


def group(iface, ipv6):
    if ipv6:
        return (GROUP6, PORT, 0, socket.if_nametoindex(iface))
    return (GROUP4, PORT)


def receive(s, deadline):
    """(bytes, source address) or None when the deadline passed."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        r, _, _ = select.select([s], [], [], left)
        if r:
            data, src = s.recvfrom(65535)
            return data, src[0].split("%")[0]


# --- reading messages ---

def _escape_label(label):
    return "".join("\\%03d" % c if c <= 0x20 or c >= 0x7f or c in b'.\\"' else chr(c)
                   for c in label)


def read_name(data, off):
    """(name, offset after it); pointers followed at most 64 times."""
    labels, jumps, end, wire = [], 0, None, 0
    while True:
        if off >= len(data):
            raise Malformed("name past the end")
        n = data[off]
        if n & 0xc0 == 0xc0:
            if off + 1 >= len(data):
                raise Malformed("pointer past the end")
            jumps += 1
            if jumps > 64:
                raise Malformed("pointer loop")
            if end is None:
                end = off + 2
            off = (n & 0x3f) << 8 | data[off + 1]
            continue
        if n & 0xc0:
            raise Malformed("extended label")
        if n == 0:
            break
        wire += n + 1
        if off + 1 + n > len(data) or wire > 255:
            raise Malformed("label past the end")
        labels.append(_escape_label(data[off + 1:off + 1 + n]))
        off += 1 + n
    return ".".join(labels) or ".", end if end is not None else off + 1


def _txt(rdata):
    out, at = [], 0
    while at < len(rdata):
        n = rdata[at]
        if at + 1 + n > len(rdata):
            raise Malformed("TXT string past the end")
        s = rdata[at + 1:at + 1 + n]
        out.append('"' + "".join("\\%03d" % c if c < 0x20 or c >= 0x7f or c in b'"\\' else chr(c)
                                 for c in s) + '"')
        at += 1 + n
    return " ".join(out) or "-"


def _data(data, off, length, rtype):
    rdata = data[off:off + length]
    if rtype == 1:
        if length != 4:
            raise Malformed("A of %d bytes" % length)
        return socket.inet_ntop(socket.AF_INET, rdata)
    if rtype == 28:
        if length != 16:
            raise Malformed("AAAA of %d bytes" % length)
        return socket.inet_ntop(socket.AF_INET6, rdata)
    if rtype in (2, 5, 12):
        name, end = read_name(data, off)
        if end != off + length:
            raise Malformed("name longer than its rdata")
        return name
    if rtype == 33:
        if length < 7:
            raise Malformed("short SRV")
        prio, weight, port = struct.unpack_from("!HHH", data, off)
        name, end = read_name(data, off + 6)
        if end != off + length:
            raise Malformed("name longer than its rdata")
        return "%d %d %d %s" % (prio, weight, port, name)
    if rtype == 16:
        return _txt(rdata)
    return rdata.hex() or "-"


def parse(data, source=""):
    """{"response": QR, "questions": [(name, type)], "records": [dict]};
    raises Malformed."""
    if len(data) < 12:
        raise Malformed("shorter than a header")
    _, flags, qd, an, ns, ar = struct.unpack_from("!6H", data)
    off, questions, records = 12, [], []
    for _ in range(qd):
        name, off = read_name(data, off)
        if off + 4 > len(data):
            raise Malformed("question past the end")
        questions.append((name, type_name(struct.unpack_from("!H", data, off)[0])))
        off += 4
    for section, count in zip(SECTIONS, (an, ns, ar)):
        for _ in range(count):
            name, off = read_name(data, off)
            if off + 10 > len(data):
                raise Malformed("record past the end")
            rtype, _, ttl, length = struct.unpack_from("!HHIH", data, off)
            off += 10
            if off + length > len(data):
                raise Malformed("rdata past the end")
            records.append({"section": section, "name": name, "type": type_name(rtype),
                            "ttl": ttl, "data": _data(data, off, length, rtype),
                            "source": source})
            off += length
    return {"response": bool(flags & 0x8000), "questions": questions, "records": records}


def record_line(r):
    return "%s %s %s %d %s" % (r["section"], r["name"], r["type"], r["ttl"], r["data"])


# --- writing messages (uncompressed) ---

def encode_name(name):
    """Presentation form: "\\." a dot inside a label, "\\032" a byte."""
    out, label, at = b"", b"", 0
    name = name.rstrip(".") if name != "." else ""
    while at < len(name):
        ch = name[at]
        at += 1
        if ch == "\\" and name[at:at + 3].isdigit() and len(name[at:at + 3]) == 3:
            label += bytes([int(name[at:at + 3]) & 0xff])
            at += 3
        elif ch == "\\" and at < len(name):
            label += name[at].encode()
            at += 1
        elif ch == ".":
            if label:
                out += bytes([len(label)]) + label
            label = b""
            continue
        else:
            label += ch.encode()
        if len(label) > 63:
            raise ValueError("a label of %s is longer than 63 bytes" % name)
    if label:
        out += bytes([len(label)]) + label
    return out + b"\0"


def encode_record(name, rtype, cls, ttl, rdata):
    return encode_name(name) + struct.pack("!HHIH", rtype, cls, ttl, len(rdata)) + rdata


def message(flags, questions=(), answers=(), additional=()):
    """questions: [(name, type code)], answers, additional: [encoded
    record bytes]."""
    out = struct.pack("!6H", 0, flags, len(questions), len(answers), 0, len(additional))
    for name, qtype in questions:
        out += encode_name(name) + struct.pack("!HH", qtype, 1)
    return out + b"".join(answers) + b"".join(additional)


def canonical(name):
    """name as read_name prints it (escapes), to compare with what came."""
    return read_name(encode_name(name), 0)[0]


def local_name(name):
    name = name.rstrip(".")
    return name if name.lower() == "local" or name.lower().endswith(".local") else name + ".local"


# --- the operations ---

def query(iface, name, qtype, timeout=3.0, ipv6=False, out=None):
    """Sends one query (QU clear) from port 5353 and returns every record
    of every response that came within timeout seconds. out: a file the
    lines are printed to as they come (None: silent)."""
    name = name.rstrip(".") if name != "." else name
    records = []
    with open_socket(iface, ipv6) as s:
        s.sendto(message(0, [(name, type_code(qtype))]), group(iface, ipv6))
        deadline = time.monotonic() + timeout
        while True:
            got = receive(s, deadline)
            if got is None:
                return records
            data, src = got
            try:
                m = parse(data, src)
            except Malformed:
                _print(out, "malformed from %s" % src)
                continue
            if not m["response"]:
                continue  # ours looped back, or another querier's
            _print(out, "from %s" % src)
            for r in m["records"]:
                _print(out, record_line(r))
            records += m["records"]


def listen(iface, seconds, ipv6=False, out=None):
    """Every message for seconds: a list of dicts, questions as
    {"section": "question", "name", "type", "source"}, a message that does
    not parse as {"section": "malformed", "source"}. Sets .messages on the
    list: how many came."""
    found = _Found()
    with open_socket(iface, ipv6) as s:
        deadline = time.monotonic() + seconds
        while True:
            got = receive(s, deadline)
            if got is None:
                break
            data, src = got
            found.messages += 1
            try:
                m = parse(data, src)
            except Malformed:
                _print(out, "malformed from %s" % src)
                found.append({"section": "malformed", "source": src})
                continue
            _print(out, "from %s" % src)
            for qname, qt in m["questions"]:
                _print(out, "question %s %s" % (qname, qt))
                found.append({"section": "question", "name": qname, "type": qt, "source": src})
            for r in m["records"]:
                _print(out, record_line(r))
            found += m["records"]
    _print(out, "messages %d" % found.messages)
    return found


def announce(iface, host, addr, instance, stype, port, seconds=60.0, ipv6=False, out=None):
    """A responder: announces PTR, SRV, TXT and A (AAAA) twice, 1 s apart,
    answers matching queries for seconds (with the PTR its SRV, TXT and
    address as additional records, with the SRV its address); returns [(name, type, source)]
    of the questions it answered."""
    host, stype = local_name(host), local_name(stype)
    inst = canonical("%s.%s" % (instance.replace("\\", "\\\\").replace(".", "\\."), stype))
    host, stype = canonical(host), canonical(stype)
    ip = ipaddress.ip_address(addr)
    records = [  # (name, type code, record bytes)
        (stype, 12, encode_record(stype, 12, 1, 4500, encode_name(inst))),
        (inst, 33, encode_record(inst, 33, 0x8001, 120,
                                 struct.pack("!HHH", 0, 0, int(port)) + encode_name(host))),
        (inst, 16, encode_record(inst, 16, 0x8001, 120, b"\0")),
        (host, 1 if ip.version == 4 else 28, encode_record(host, 1 if ip.version == 4 else 28,
                                                           0x8001, 120, ip.packed)),
    ]
    answered = []
    with open_socket(iface, ipv6) as s:
        to = group(iface, ipv6)
        end = time.monotonic() + seconds
        sent, next_at = 0, time.monotonic()
        while True:
            now = time.monotonic()
            if sent < 2 and now >= next_at:
                s.sendto(message(0x8400, answers=[r[2] for r in records]), to)
                _print(out, "announced %s" % inst)
                sent, next_at = sent + 1, now + 1.0
            if now >= end:
                return answered
            got = receive(s, min(end, next_at) if sent < 2 else end)
            if got is None:
                continue
            data, src = got
            try:
                m = parse(data, src)
            except Malformed:
                _print(out, "malformed from %s" % src)
                continue
            if m["response"]:
                continue
            want = []
            for qname, qt in m["questions"]:
                code = type_code(qt)
                hits = [r for r in records
                        if r[0].lower() == qname.lower() and code in (255, r[1])]
                if hits:
                    _print(out, "answered %s %s from %s" % (qname, qt, src))
                    answered.append((qname, qt, src))
                    want += [r for r in hits if r not in want]
            if want:
                # RFC 6763 12: with the PTR its SRV, TXT and address; with
                # the SRV its address (additional, when not answers already)
                extra = (records[1:] if records[0] in want else []) + \
                    (records[3:] if records[1] in want else [])
                s.sendto(message(0x8400, answers=[r[2] for r in records if r in want],
                                 additional=[r[2] for r in records
                                             if r in extra and r not in want]), to)


class _Found(list):
    messages = 0


def _print(out, line):
    if out is not None:
        print(line, file=out, flush=True)


def main(argv):
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            self.print_usage(sys.stderr)
            print("mdns.py: " + message, file=sys.stderr)
            sys.exit(100)

    p = Parser(prog="mdns.py", description="an mDNS peer for the tests")
    sub = p.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("query")
    q.add_argument("iface")
    q.add_argument("name")
    q.add_argument("type")
    q.add_argument("--timeout", type=float, default=3.0)
    q.add_argument("-6", dest="ipv6", action="store_true")
    li = sub.add_parser("listen")
    li.add_argument("iface")
    li.add_argument("seconds", type=float)
    li.add_argument("-6", dest="ipv6", action="store_true")
    a = sub.add_parser("announce")
    for arg in ("iface", "host", "addr", "instance", "type"):
        a.add_argument(arg)
    a.add_argument("port", type=int)
    a.add_argument("--seconds", type=float, default=60.0)
    a.add_argument("-6", dest="ipv6", action="store_true")
    args = p.parse_args(argv)
    try:
        if args.cmd == "query":
            type_code(args.type)
        elif args.cmd == "announce":
            ipaddress.ip_address(args.addr)
            if not 0 <= args.port < 65536:
                raise ValueError("port %d" % args.port)
    except ValueError as e:
        p.error(str(e))
    try:
        if args.cmd == "query":
            want = canonical(args.name).lower()
            found = query(args.iface, args.name, args.type, args.timeout, args.ipv6, sys.stdout)
            return 0 if any(r["name"].lower() == want for r in found) else 1
        if args.cmd == "listen":
            listen(args.iface, args.seconds, args.ipv6, sys.stdout)
            return 0
        announce(args.iface, args.host, args.addr, args.instance, args.type, args.port,
                 args.seconds, args.ipv6, sys.stdout)
        return 0
    except OSError as e:
        print("mdns.py: %s: %s" % (args.iface, e), file=sys.stderr)
        return 111


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
