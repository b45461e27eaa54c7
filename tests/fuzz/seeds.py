#!/usr/bin/env python3
"""The seeds of a fuzz target that are not files in tests/fuzz/corpus/:

    tests/fuzz/seeds.py TARGET DIR

writes into DIR the samples/ files the target parses (read from samples/
each time, so they never go stale) and the edge cases at the parsers'
limits, made by formula: a line of 1024 characters and of 1025, 4096 lines
and 4097, one entry more than each table holds, a value of 16 KiB and one
byte more, inputs of 64 KiB (the fuzzers' -max_len). Written out they
would be megabytes of repetition in the tree; as code they say what each
one is. Binary inputs (router advertisement options, bridge frames) are
made here too. Deterministic: no randomness, no clock.
"""
import os
import struct
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAX_LEN = 65536            # tests/fuzz/run's -max_len
CONF_MAX_LINE = 1024       # lib/conf.h
CONF_MAX_LINES = 4096

SAMPLES = {
    "fuzz-netd-ifconf": ["config/interfaces.conf"],
    "fuzz-netd-dhcpd": ["config/udhcpd.conf"],
    "fuzz-fw-forwards": ["config/port_forwards.conf"],
    "fuzz-fw-sysctl": ["config/sysctl.conf"],
    "fuzz-init-modconf": ["config/modules.conf"],
    "fuzz-netd-appconf": ["app_config/wpa_supplicant.conf", "app_config/hostapd.conf"],
    "fuzz-shconf": ["config/uds_passthru.conf"],
    "fuzz-netd-bridge": ["config/uds_passthru.conf"],
    "fuzz-netd-relays": ["config/forwarding.conf"],
    "fuzz-netd-mdns-services": ["config/mdnsd-services.conf"],
}


def fill(unit, size=MAX_LEN):
    """unit repeated to exactly size bytes."""
    unit = unit.encode() if isinstance(unit, str) else unit
    return (unit * (size // len(unit) + 1))[:size]


def numbered(fmt, n):
    """n lines of fmt % i, joined."""
    return "".join(fmt % i for i in range(n))


def line_limits(valid_line):
    """The reader's limits around a valid line: the longest line kept and
    one byte more, the last line read and one more, a 64 KiB file."""
    pad = CONF_MAX_LINE - len(valid_line)
    return {
        "line-1024": valid_line + " " * pad + "\n" + valid_line + "\n",
        "line-1025": valid_line + " " * (pad + 1) + "\n" + valid_line + "\n",
        "lines-4096": "#\n" * (CONF_MAX_LINES - 1) + valid_line + "\n",
        "lines-4097": "#\n" * CONF_MAX_LINES + valid_line + "\n",
        "max-len": fill(valid_line + "\n"),
    }


def conf_cases(valid_line, tables):
    cases = line_limits(valid_line)
    cases.update(tables)
    return cases


def ifconf():
    stanza = "iface wlan%d inet static\n address 192.168.%d.1/24\n"
    return conf_cases("iface eth0 inet static", {
        "ifaces-8": "".join(stanza % (i, i) for i in range(8)),
        "ifaces-9": "".join(stanza % (i, i) for i in range(9)),
        "dns-4": "iface eth0 inet static\n address 10.0.0.1/24\n"
                 " dns-nameservers 1.1.1.1 1.0.0.1 8.8.8.8 8.8.4.4\n",
        "dns6-4": "iface eth0 inet6 static\n address fd00::ffff/64\n"
                  " dns-nameservers 2001:db8::1 2001:db8::2 2001:db8::3 2001:db8::4\n",
        "max-len-stanzas": fill("iface eth0 inet6 static\n address fd00::1/64\n"),
    })


def dhcpd():
    tmpl_max = 16384        # netd/dhcp/dhcpd_conf.h DHCPD_TMPL_MAX
    lease = "static_lease 00:11:22:33:44:%02x 10.0.0.%d\n"
    leases = "".join(lease % (i % 256, 2 + i % 250) for i in range(600))
    return conf_cases("opt dns %%DNS%%", {
        "template-16383": fill("opt lease 3600\n", tmpl_max - 1),
        "template-16384": fill("opt lease 3600\n", tmpl_max),
        "template-16385": fill("opt lease 3600\n", tmpl_max + 1),
        "static-leases": leases,
        "placeholders": fill("opt hostname %%DNS%%%%DOMAIN%%%%SEARCH%%\n"),
    })


def forwards():
    tcp = "".join("tcp %d -> 10.0.0.2:%d\n" % (1000 + i, 2000 + i) for i in range(129))
    v6 = "".join("udp %d -> [fd00::%x]:%d\n" % (3000 + i, 2 + i, 53) for i in range(129))
    return conf_cases("tcp 2222 -> 10.0.0.2:22", {
        "forwards-128": "".join(tcp.splitlines(True)[:128]),
        "forwards-129": tcp,
        "forwards6-129": v6,
        "overlapping": fill("tcp 1-65535 -> 10.0.0.2\n", 4096),
    })


def relays():
    line = "UDP4-RECV:%d,broadcast,reuseaddr UDP4:10.0.0.2:%d\n"
    many = "".join(line % (10000 + i, 10000 + i) for i in range(17))
    return conf_cases("UDP4-RECV:11223,broadcast UDP4:10.0.0.2:11223", {
        "relays-16": "".join(many.splitlines(True)[:16]),
        "relays-17": many,
        "same-port": fill("UDP4-RECV:5353 UDP4:10.0.0.2:5353\n", 4096),
        "options": fill("UDP4-RECV:1" + ",broadcast" * 100 + " UDP4:1.1.1.1:1\n", 4096),
    })


def mdns_services():
    """Blocks, not lines: the reader's limits fall inside a block (a line
    it drops leaves the block incomplete), and each of the format's own
    limits is there with one more."""
    block = "A\n_a._tcp\n1\n"
    many = "".join("s%d\n_a._tcp\n%d\n\n" % (i, 1000 + i) for i in range(17))

    def txt(strings):
        return "T\n_t._udp\n9\n" + "".join(s + "\n" for s in strings)

    return {
        "line-1024": "#" + "c" * (CONF_MAX_LINE - 1) + "\n" + block,
        "line-1025": "A\n_a._tcp\n1\n" + "t" * (CONF_MAX_LINE + 1) + "\n\n" + "B\n_b._tcp\n2\n",
        "lines-4096": "#\n" * (CONF_MAX_LINES - 3) + block,
        "lines-4097": "#\n" * (CONF_MAX_LINES - 2) + block,
        "services-16": "".join(many.split("\n\n")[i] + "\n\n" for i in range(16)),
        "services-17": many,
        "name-63": "n" * 63 + "\n_a._tcp\n1\n",
        "name-64": "n" * 64 + "\n_a._tcp\n1\n",
        "type-15": "A\n_" + "t" * 15 + "._tcp\n1\n",
        "type-16": "A\n_" + "t" * 16 + "._tcp\n1\n",
        "txt-255": txt(["k" * 255]),
        "txt-256": txt(["k" * 256]),
        "txt-1300": txt(["v" * 255] * 5 + ["w" * 19]),
        "txt-1301": txt(["v" * 255] * 5 + ["w" * 20]),
        "separators": fill("\n \t\r\n#\n\\#\n"),
        "max-len": fill(block + "k=v\n\n"),
    }


def sysctl():
    name = "net." + "a" * 62          # SYSCTL_NAME_MAX 64
    return conf_cases("net.ipv4.ip_forward = 1", {
        "long-names": "%s = 1\n%sb = 1\n" % (name, name),
        "deep-path": "a." * 500 + "b = 1\n",
        "long-value": "kernel.panic = " + "9" * 1000 + "\n",
    })


def modconf():
    entries = "".join("load mod%d p=%d\n" % (i, i) for i in range(65))
    params = " ".join("p%d=%d" % (i, i) for i in range(17))
    long_params = "options big " + " ".join("p%03d=%s" % (i, "x" * 27) for i in range(16)) + "\n"
    return conf_cases("load mac80211_hwsim radios=2", {
        "entries-64": "".join(entries.splitlines(True)[:64]),
        "entries-65": entries,
        "params-16": "options m " + " ".join(params.split()[:16]) + "\n",
        "params-17": "options m " + params + "\n",
        "params-512": long_params,
        "name-55": "load " + "m" * 55 + "\n",
        "name-56": "load " + "m" * 56 + "\n",
    })


def appconf():
    d = "/var/run/" + "d" * 86       # APPCONF_DIR_MAX 96
    return conf_cases("ctrl_interface=/var/run/wpa_supplicant", {
        "dir-95": "ctrl_interface=%s\n" % d,
        "dir-96": "ctrl_interface=%sd\n" % d,
        "dir-97": "ctrl_interface=DIR=%sdd GROUP=0\n" % d,
        "nested-networks": "network={\n" * 2000 + "country=DE\n" + "}\n" * 2000,
    })


def uds_passthru():
    value_max = 16 * 1024           # lib/shconf.h SHCONF_MAX_VALUE
    entry = "path=/run/s%02d,port=%d"
    sockets = "\n".join(entry % (i, 1200 + i) for i in range(17))
    return {
        "value-16384": "a='%s'\n" % ("v" * value_max),
        "value-16385": "a='%s'\n" % ("v" * (value_max + 1)),
        "vars-256": numbered("v%d=x\n", 256),
        "vars-257": numbered("v%d=x\n", 257),
        "name-64": "n" * 64 + "=1\n",
        "name-65": "n" * 65 + "=1\n",
        "sockets-16": "network=10.0.0.1:255.255.255.0\nsockets=\"%s\"\n" %
                      "\n".join(sockets.split("\n")[:16]),
        "sockets-17": "network=10.0.0.1:255.255.255.0\nsockets=\"%s\"\n" % sockets,
        "path-103": "network=10.0.0.1:255.255.255.0\nsockets=\"path=/%s,port=1\"\n" % ("p" * 102),
        "path-104": "network=10.0.0.1:255.255.255.0\nsockets=\"path=/%s,port=1\"\n" % ("p" * 103),
        "file-65536": fill("x=1\n"),
        "expansions": "a=b\n" + "a=\"${a}${a}\"\n" * 20,
    }


def lease():
    msg_max = 4096                  # netd/dhcp/lease.h LEASE_MSG_MAX
    head = "event=bound\ninterface=wlan0\nip=10.0.0.5\nmask=24\n"
    search = " ".join("d%03d.example" % i for i in range(24))
    return {
        "msg-4096": head + fill("dns=10.0.0.1\n", msg_max - len(head)).decode(),
        "msg-4097": head + fill("dns=10.0.0.1\n", msg_max + 1 - len(head)).decode(),
        "search-long": head + "search=" + search + "\n",
        "domain-253": head + "domain=" + ".".join(["a" * 63] * 3) + "." + "b" * 61 + "\n",
        "domain-254": head + "domain=" + ".".join(["a" * 63] * 3) + "." + "b" * 62 + "\n",
        "max-len": fill(head),
    }


def wpaev():
    ssid = "\\x" + "\\x".join("%02x" % (i % 256) for i in range(32))
    return {
        "ssid-escaped": "bssid=02:00:00:00:01:00\nssid=%s\nwpa_state=COMPLETED\n" % ssid,
        "text-127": "<3>CTRL-EVENT-DISCONNECTED " + "r" * 100,
        "text-128": "<3>CTRL-EVENT-ASSOC-REJECT " + "r" * 128,
        "key-mgmt-long": "key_mgmt=" + "WPA2-PSK+" * 40 + "\nwpa_state=" + "X" * 200 + "\n",
        "max-len": fill("wpa_state=COMPLETED\nssid=world\n"),
    }


def status():
    status_max = 8192               # netd/status/status.h STATUS_MAX
    line = "fw_forwarded_packets=1234567890\n"
    return {
        "status-8191": fill(line, status_max - 1),
        "status-8192": fill(line, status_max),
        "status-8193": fill(line, status_max + 1),
        "value-500": "v" * 500,
        "max-len": fill("ssid=" + "s" * 60 + "\n"),
    }


def rdnss(addrs, lifetime=1800, length=None):
    """An RDNSS option (RFC 8106) with these addresses (16 bytes each)."""
    units = length if length is not None else 1 + 2 * len(addrs)
    return struct.pack("!BBHI", 25, units, 0, lifetime) + b"".join(addrs)


def dns6(i):
    return bytes.fromhex("20010db80053") + struct.pack("!H", 0) + bytes(6) + struct.pack("!H", i + 1)


def ra():
    usable = [dns6(i) for i in range(127)]
    link_local = bytes.fromhex("fe80") + bytes(13) + b"\x01"
    mapped = bytes(10) + b"\xff\xff" + bytes([10, 0, 0, 1])
    prefix = struct.pack("!BBBBII", 3, 4, 64, 0xc0, 86400, 14400) + bytes(4) + \
        bytes.fromhex("fd000000000000000000000000000000")
    biggest = rdnss(usable)           # length 255: the largest option there is
    return {
        "rdnss-1": rdnss(usable[:1]),
        "rdnss-3": rdnss(usable[:3]),
        "rdnss-4": rdnss(usable[:4]),      # one more than RA_MAX_DNS
        "rdnss-2-and-2": rdnss(usable[:2]) + rdnss(usable[2:4]),
        "rdnss-unusable": rdnss([link_local, mapped, bytes(16), bytes.fromhex("ff02") + bytes(14)]),
        "prefix-then-rdnss": prefix + rdnss(usable[:2], lifetime=0),
        "rdnss-even-length": rdnss(usable[:2], length=4),
        "rdnss-truncated": rdnss(usable[:3])[:-5],
        "rdnss-length-0": rdnss(usable[:1], length=0) + rdnss(usable[:1]),
        "rdnss-255": biggest,
        "max-len": fill(biggest),
    }


def frame(kind, payload, reserved=0):
    return struct.pack("!cBH", kind, reserved, len(payload)) + payload


def framing():
    hello = b"\0uds-passthru/1\n"
    dgram_max = 16384               # uds-passthru/frame.h UDSP_DGRAM_MAX
    return {
        "frames": b"\x07" + frame(b"D", b"PING") + frame(b"D", b"") + frame(b"R", b""),
        "hello-then-frames": b"\x03" + hello + frame(b"D", b"STATUS"),
        "frame-16384": b"\x01" + frame(b"D", b"d" * dgram_max),
        "frame-16385": b"\x01" + struct.pack("!cBH", b"D", 0, dgram_max + 1) + b"d" * (dgram_max + 1),
        "bad-type": b"\x02" + frame(b"X", b"z"),
        "bad-reserved": b"\x02" + frame(b"D", b"z", reserved=7),
        "many-small": b"\x05" + fill(frame(b"D", b"PONG\n"), MAX_LEN - 1),
        "max-len": b"\xff" + fill(frame(b"D", b"e" * (dgram_max - 4)), MAX_LEN - 1),
    }


def dns_name(text):
    return b"".join(bytes([len(l)]) + l.encode() for l in text.split(".")) + b"\0"


def mdns():
    def header(flags, qd=0, an=0, ar=0):
        return struct.pack("!HHHHHH", 0, flags, qd, an, 0, ar)

    def rr(name, rtype, rdata, ttl=120):
        return name + struct.pack("!HHIH", rtype, 0x8001, ttl, len(rdata)) + rdata
    ptr_q = dns_name("_ipp._tcp.local") + struct.pack("!HH", 12, 0x8001)
    host = dns_name("printer.local")
    a_host = rr(host, 1, bytes([10, 0, 0, 2]))
    aaaa_ula = rr(b"\xc0\x0c", 28, bytes.fromhex("fd00") + bytes(13) + b"\x02")
    many = header(0x8400, an=600) + a_host + rr(b"\xc0\x0c", 1, bytes([192, 168, 50, 7])) * 599
    return {
        "query-qu": header(0, qd=1) + ptr_q,
        "query-all-ours": header(0, qd=4) + ptr_q + dns_name("wifibox.local") + struct.pack("!HH", 255, 1)
        + dns_name("_services._dns-sd._udp.local") + struct.pack("!HH", 12, 1)
        + dns_name("printer._ipp._tcp.local") + struct.pack("!HH", 33, 1),
        "response-compressed": header(0x8400, an=2) + a_host + aaaa_ula,
        "pointer-loop": header(0, qd=1) + b"\xc0\x0c" + struct.pack("!HH", 1, 1),
        "pointer-forward": header(0, qd=1) + b"\xc0\x0e" + dns_name("a") + struct.pack("!HH", 1, 1),
        "counts-beyond": header(0x8400, qd=0xffff, an=0xffff) + ptr_q,
        "many-records": many,
        "max-len": fill(many, MAX_LEN),
    }


def dhcp_wire():
    def message(op, opts):
        m = bytes([op, 1, 6, 0]) + b"\x12\x34\x56\x78" + bytes(20) + bytes.fromhex("589cfc000002")
        return m + bytes(236 - len(m)) + b"\x63\x82\x53\x63" + opts + b"\xff"

    def ip_udp(payload, dport=68):
        total = 28 + len(payload)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0, 64, 17, 0, bytes([192, 168, 50, 1]),
                         bytes([255] * 4))
        return ip + struct.pack("!HHHH", 67, dport, 8 + len(payload), 0) + payload
    ack = message(2, b"\x35\x01\x05\x36\x04\xc0\xa8\x32\x01\x33\x04\x00\x00\x0e\x10"
                  b"\x3a\x04\x00\x00\x07\x08\x3b\x04\x00\x00\x0c\x4e")
    discover = message(1, b"\x35\x01\x01\x37\x03\x01\x03\x06")
    return {
        "host-discover": b"\x01" + discover,
        "host-request-server-id": b"\x01" + message(1, b"\x35\x01\x03\x36\x04\x0a\x00\x00\x01"
                                                    b"\x32\x04\xc0\xa8\x32\x7b"),
        "network-ack": b"\x00" + ip_udp(ack),
        "network-ack-other-port": b"\x00" + ip_udp(ack, dport=67),
        "network-fragment": b"\x00" + ip_udp(ack)[:6] + b"\x20" + ip_udp(ack)[7:],
        "max-len": b"\x00" + fill(ip_udp(ack), MAX_LEN - 1),
    }


def repeats():
    """Records for fuzz-netd-repeats: an op byte, a little-endian length,
    a message as the kernel sends it (header, then body)."""
    def nl(mtype, body):
        return struct.pack("=IHHII", 16 + len(body), mtype, 0, 0, 0) + body

    def addr6(mtype, flags, last):
        ip = bytes.fromhex("20010db8005000000000000000000000")[:15] + bytes([last])
        return nl(mtype, struct.pack("=BBBBI", 10, 64, flags, 0, 3) + struct.pack("=HH", 20, 1) + ip
                  + struct.pack("=HH", 20, 6) + bytes(16))

    def ndopt(lifetime, n, router=0x50):
        opt = rdnss([dns6(i) for i in range(n)], lifetime)
        src = struct.pack("=HH", 20, 1) + bytes.fromhex("fe80" + "00" * 13) + bytes([router])
        return nl(68, struct.pack("=BBHIBBHI", 10, 0, len(opt), 3, 134, 0, 0, 0) + opt + src)

    def rec(op, m):
        return struct.pack("<BH", op, len(m)) + m
    refresh = rec(0, addr6(20, 0, 2)) + rec(0, addr6(20, 0x40, 2)) + rec(0, addr6(21, 0, 2))
    options = rec(1, ndopt(1800, 2)) + rec(1, ndopt(1800, 2, 0x51)) + rec(1, ndopt(0, 2)) + rec(2, b"")
    many = b"".join(rec(0, addr6(20, 0, k)) + rec(1, ndopt(600, 3, k)) for k in range(30))
    return {
        "addresses": refresh,
        "options": options,
        "too-large": rec(1, ndopt(1800, 20)) + rec(3, b""),
        "full": many + rec(7, b""),
        "short": rec(0, addr6(20, 0, 2)[:30]) + rec(1, ndopt(1800, 1)[:40]),
        "max-len": fill(many, MAX_LEN),
    }


CASES = {
    "fuzz-netd-ifconf": ifconf, "fuzz-netd-dhcpd": dhcpd, "fuzz-fw-forwards": forwards,
    "fuzz-fw-sysctl": sysctl, "fuzz-netd-relays": relays, "fuzz-init-modconf": modconf, "fuzz-netd-appconf": appconf,
    "fuzz-shconf": uds_passthru, "fuzz-netd-bridge": uds_passthru, "fuzz-netd-lease": lease,
    "fuzz-netd-wpaev": wpaev, "fuzz-netd-status": status, "fuzz-netd-ra": ra,
    "fuzz-uds-framing": framing, "fuzz-netd-mdns": mdns, "fuzz-netd-mdns-services": mdns_services,
    "fuzz-netd-dhcp-wire": dhcp_wire, "fuzz-netd-repeats": repeats,
}


def write(path, data):
    data = data.encode("latin-1") if isinstance(data, str) else data
    if len(data) > MAX_LEN:
        raise SystemExit("%s: %d bytes, over -max_len %d" % (path, len(data), MAX_LEN))
    with open(path, "wb") as f:
        f.write(data)


def main(target, out):
    if target not in CASES:
        raise SystemExit("seeds.py: no seeds for %s: add them to CASES" % target)
    for rel in SAMPLES.get(target, []):
        with open(os.path.join(TOP, "samples", rel), "rb") as f:
            write(os.path.join(out, "sample-" + os.path.basename(rel)), f.read())
    for name, data in CASES[target]().items():
        write(os.path.join(out, "edge-" + name), data)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
