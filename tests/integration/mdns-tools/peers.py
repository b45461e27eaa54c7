#!/usr/bin/env python3
# time-limit: 240
"""The e2e tests' mDNS observers, checked against each other without a
guest: sim/mdns.py (the host's side) and sim/world/worldmdns (the world's,
built static as for the testworld share) in two network namespaces joined
by a veth pair, "a" (10.77.0.1, va) and "b" (10.77.0.2, vb):

- mdns.py announce <-> mdns.py query: PTR, SRV (port), A (address) come;
  mdns.py listen sees the announcement; a name nobody has exits 1;
- worldmdns announce <-> mdns.py query, mdns.py announce <-> worldmdns
  query, both over IPv4 and IPv6 (ff02::fb);
- garbage (5 random bytes, a compression-pointer loop, a record past the
  end, a label past the end) crashes neither tool's listen nor query:
  each says "malformed from 10.77.0.1" and still reads the valid answer
  that follows;
- worldmdns echo sends back the one message it hears, once;
- worldmdns flood 100: mdns.py listen receives at least 90 distinct names;
- bad usage exits 100.
WORLDMDNS=PATH runs another worldmdns binary (e.g. one built with
AddressSanitizer) instead of building one.
Exit 0 pass, 77 skipped (not root, no namespaces, no musl-gcc), 1 failed."""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TOP = os.environ.get("TOP") or os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
MDNS = os.path.join(TOP, "sim", "mdns.py")
NS_A, NS_B = "mdnsa%d" % os.getpid(), "mdnsb%d" % os.getpid()
A4, B4 = "10.77.0.1", "10.77.0.2"
procs = []
failures = []
tmp = tempfile.mkdtemp(prefix="mdns-tools.")


ANNOUNCE_S = 8          # an announcer's life: outlasts the queries made of it
LISTEN_S = 5            # a listener's: outlasts what is sent to it, on a loaded machine


def log(msg):
    print(msg, flush=True)


def skip(msg):
    log("SKIP: " + msg)
    sys.exit(77)


def check(cond, what, output=""):
    if cond:
        log("ok: " + what)
    else:
        failures.append(what)
        log("FAILED: " + what)
        if output:
            log("  output was:\n    " + "\n    ".join(output.splitlines()))


def in_ns(ns, *argv):
    return ["ip", "netns", "exec", ns] + list(argv)


def run(ns, *argv, timeout=30):
    """(exit status, stdout + stderr) of a command in ns."""
    p = subprocess.run(in_ns(ns, *argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=timeout, text=True)
    return p.returncode, p.stdout


def start(ns, *argv):
    p = subprocess.Popen(in_ns(ns, *argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
    procs.append(p)
    return p


def finish(p, timeout=30):
    out, _ = p.communicate(timeout=timeout)
    return p.returncode, out


def cleanup():
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()
    for ns in (NS_A, NS_B):
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
    shutil.rmtree(tmp, ignore_errors=True)


def setup():
    if os.geteuid() != 0:
        skip("needs root (network namespaces, veth)")
    for tool in ("ip", "make"):
        if not shutil.which(tool):
            skip("no %s" % tool)
    if not shutil.which("musl-gcc"):
        skip("no musl-gcc to build worldmdns (make deps)")
    if subprocess.run(["ip", "netns", "add", NS_A], stderr=subprocess.DEVNULL).returncode:
        skip("cannot create network namespaces here")
    subprocess.run(["ip", "netns", "add", NS_B], check=True)
    for ns in (NS_A, NS_B):
        # no duplicate address detection: link-local addresses usable at once
        run(ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0")
        run(ns, "ip", "link", "set", "lo", "up")
    subprocess.run(["ip", "link", "add", "va", "netns", NS_A, "type", "veth",
                    "peer", "name", "vb", "netns", NS_B], check=True)
    for ns, dev, addr in ((NS_A, "va", A4), (NS_B, "vb", B4)):
        subprocess.run(in_ns(ns, "ip", "addr", "add", addr + "/24", "dev", dev), check=True)
        subprocess.run(in_ns(ns, "ip", "link", "set", dev, "up"), check=True)
    for _ in range(100):
        if all("fe80::" in run(ns, "ip", "-6", "addr", "show", "dev", dev)[1] and
               "tentative" not in run(ns, "ip", "-6", "addr", "show", "dev", dev)[1]
               for ns, dev in ((NS_A, "va"), (NS_B, "vb"))):
            break
        time.sleep(0.1)


def build_worldmdns():
    """Static with musl, as the testworld share carries it, in a BUILD of
    its own (a build of the tree's may be under way elsewhere)."""
    build = os.path.join(tmp, "build")
    os.makedirs(build)
    env_file = os.path.join(TOP, "build", "thirdparty.env")
    if os.path.exists(env_file):
        shutil.copy(env_file, build)
    else:  # worldmdns needs none of the third-party libraries
        open(os.path.join(build, "thirdparty.env"), "w").close()
    target = os.path.join(build, "musl", "bin", "worldmdns")
    p = subprocess.run(["make", "-s", "-C", TOP, "BUILD=" + build, target],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode or not os.access(target, os.X_OK):
        log(p.stdout)
        log("FAILED: building worldmdns")
        sys.exit(1)
    return target


def mdns(*args):
    return [sys.executable, MDNS] + list(args)


def lines_match(out, pattern):
    return [l for l in out.splitlines() if re.fullmatch(pattern, l)]


# Sent from namespace a by send_raw(): the garbage, then one valid response.
RAW_SENDER = r"""
import os, sys, time
sys.path.insert(0, os.path.join(sys.argv[1], "sim"))
import mdns
s = mdns.open_socket("va")
garbage = [
    os.urandom(5),
    # one question whose name is a pointer to itself
    bytes.fromhex("000000000001000000000000") + bytes.fromhex("c00c00010001"),
    # two pointers to each other
    bytes.fromhex("000084000000000100000000") + bytes.fromhex("c00ec00c"),
    # an answer whose rdata runs past the end
    bytes.fromhex("000084000000000100000000") + mdns.encode_name("x.local")
        + bytes.fromhex("000100010000007800ff0a00"),
    # a label longer than the message
    bytes.fromhex("000084000000000100000000") + bytes.fromhex("3f616263"),
    # an A record of 3 bytes
    bytes.fromhex("000084000000000100000000") + mdns.encode_name("x.local")
        + bytes.fromhex("00010001000000780003010203"),
]
for g in garbage:
    s.sendto(g, mdns.group("va", False))
    time.sleep(0.05)
s.sendto(mdns.message(0x8400, answers=[mdns.encode_record(
    "after-garbage.local", 1, 0x8001, 120, bytes([10, 77, 0, 1]))]), mdns.group("va", False))
print("sent %d" % len(garbage))
"""
N_GARBAGE = 6


def send_raw():
    return run(NS_A, sys.executable, "-B", "-c", RAW_SENDER, TOP)  # no sim/__pycache__


def check_records(out, tool, port, addr, inst="printer"):
    """The PTR's answer (SRV and A come with it as additional records)."""
    check(lines_match(out, r"answer _ipp\._tcp\.local PTR \d+ %s\._ipp\._tcp\.local" % inst),
          "%s: the PTR came" % tool, out)
    check(lines_match(out, r"(answer|additional) %s\._ipp\._tcp\.local SRV 120 0 0 %d \S+\.local"
                      % (inst, port)),
          "%s: the SRV with port %d came" % (tool, port), out)
    check(lines_match(out, r"(answer|additional) \S+\.local (A|AAAA) 120 %s" % re.escape(addr)),
          "%s: the address %s came" % (tool, addr), out)


def test_python_pair():
    listener = start(NS_B, *mdns("listen", "vb", str(ANNOUNCE_S + 2)))
    time.sleep(1)
    ann = start(NS_A, *mdns("announce", "va", "hosta", A4, "printer", "_ipp._tcp", "631",
                            "--seconds", str(ANNOUNCE_S)))
    time.sleep(1)
    rc, out = run(NS_B, *mdns("query", "vb", "_ipp._tcp.local", "PTR", "--timeout", "1.5"))
    check(rc == 0, "mdns.py query of the PTR exits 0", out)
    check(lines_match(out, r"from %s" % re.escape(A4)), "mdns.py query names the source", out)
    check_records(out, "mdns.py announce -> mdns.py query", 631, A4)
    check(lines_match(out, r"additional printer\._ipp\._tcp\.local SRV 120 0 0 631 hosta\.local"),
          "the PTR's answer carries the SRV as an additional record", out)
    rc, out = run(NS_B, *mdns("query", "vb", "nobody.local", "A", "--timeout", "0.5"))
    check(rc == 1 and "nobody" not in out, "a name nobody has: exit 1, no record", out)
    rc, out = finish(ann)
    check(rc == 0 and out.count("announced printer._ipp._tcp.local") == 2,
          "mdns.py announce announced twice", out)
    check(lines_match(out, r"answered _ipp\._tcp\.local PTR from %s" % re.escape(B4)),
          "mdns.py announce says what it answered", out)
    rc, out = finish(listener)
    check(rc == 0, "mdns.py listen exits 0", out)
    check_records(out, "mdns.py listen", 631, A4)
    check(lines_match(out, r"question _ipp\._tcp\.local PTR"), "mdns.py listen shows the question", out)
    m = re.search(r"^messages (\d+)$", out, re.M)
    check(m and int(m.group(1)) >= 4, "mdns.py listen counts the messages (2 announcements, "
          "1 query, 1 answer at least)", out)


def test_mixed(world, v6):
    flag = ["-6"] if v6 else []
    fam = "IPv6" if v6 else "IPv4"
    # worldmdns announces in a, mdns.py queries from b
    # long enough for both queries on a loaded machine (CI once saw the
    # announcer gone before the second query at 3 s)
    ann = start(NS_A, world, *flag, "announce", "va", "worldhost", A4, "printer", "_ipp._tcp",
                "515", str(ANNOUNCE_S))
    time.sleep(1)
    rc, out = run(NS_B, *mdns("query", "vb", "printer._ipp._tcp.local", "ANY", "--timeout", "1.5",
                              *flag))
    check(rc == 0, "%s: mdns.py query of worldmdns's instance exits 0" % fam, out)
    check(lines_match(out, r"answer printer\._ipp\._tcp\.local SRV 120 0 0 515 worldhost\.local"),
          "%s: worldmdns announce -> mdns.py query: the SRV" % fam, out)
    check(lines_match(out, r'answer printer\._ipp\._tcp\.local TXT 120 ""'),
          "%s: worldmdns announce -> mdns.py query: the TXT" % fam, out)
    src = r"fe80::[0-9a-f:]+" if v6 else re.escape(A4)
    check(lines_match(out, r"from " + src), "%s: the source is %s" % (fam, src), out)
    rc, out = run(NS_B, *mdns("query", "vb", "worldhost.local", "A", "--timeout", "1", *flag))
    check(rc == 0 and lines_match(out, r"answer worldhost\.local A 120 " + re.escape(A4)),
          "%s: worldmdns answers its A record" % fam, out)
    rc, out = finish(ann)
    check(rc == 0 and lines_match(out, r"answered worldhost\.local A from .*"),
          "%s: worldmdns announce says what it answered" % fam, out)
    # mdns.py announces in b, worldmdns queries from a
    ann = start(NS_B, *mdns("announce", "vb", "pyhost", B4, "printer", "_ipp._tcp", "9100",
                            "--seconds", str(ANNOUNCE_S), *flag))
    time.sleep(1)
    rc, out = run(NS_A, world, *flag, "query", "va", "_ipp._tcp.local", "PTR", "1500")
    check(rc == 0, "%s: worldmdns query of mdns.py's PTR exits 0" % fam, out)
    check_records(out, "%s: mdns.py announce -> worldmdns query" % fam, 9100, B4)
    rc, out = run(NS_A, world, *flag, "query", "va", "nobody.local", "A", "300")
    check(rc == 1, "%s: worldmdns query of a name nobody has exits 1" % fam, out)
    finish(ann)


def test_malformed(world):
    py_listen = start(NS_B, *mdns("listen", "vb", str(LISTEN_S)))
    w_listen = start(NS_B, world, "listen", "vb", str(LISTEN_S))
    py_query = start(NS_B, *mdns("query", "vb", "after-garbage.local", "A", "--timeout", str(LISTEN_S - 1)))
    w_query = start(NS_B, world, "query", "vb", "after-garbage.local", "A", str((LISTEN_S - 1) * 1000))
    time.sleep(1)
    rc, out = send_raw()
    check(rc == 0, "the garbage went out", out)
    for name, p, want_rc in (("mdns.py listen", py_listen, 0), ("worldmdns listen", w_listen, 0),
                             ("mdns.py query", py_query, 0), ("worldmdns query", w_query, 0)):
        rc, out = finish(p)
        bad = lines_match(out, r"malformed from " + re.escape(A4))
        check(rc == want_rc, "%s survived the garbage (exit %d)" % (name, rc), out)
        check(len(bad) == N_GARBAGE, "%s: %d malformed messages said (%d)" % (name, N_GARBAGE, len(bad)),
              out)
        check(lines_match(out, r"answer after-garbage\.local A 120 " + re.escape(A4)),
              "%s read the valid message after the garbage" % name, out)


def test_echo(world):
    echo = start(NS_B, world, "echo", "vb", str(LISTEN_S))
    listener = start(NS_A, *mdns("listen", "va", str(LISTEN_S)))
    time.sleep(1)
    run(NS_A, *mdns("query", "va", "echo-me.local", "A", "--timeout", "0.2"))
    rc, out = finish(echo)
    check(rc == 0 and out.strip() == "echoed 1", "worldmdns echo echoed the one query, once", out)
    rc, out = finish(listener)
    check(lines_match(out, "from " + re.escape(B4)) and out.count("question echo-me.local A") == 2,
          "the query came back to a from b (its own copy and the echo)", out)


def test_flood(world):
    listener = start(NS_A, *mdns("listen", "va", str(LISTEN_S)))
    time.sleep(1)
    rc, out = run(NS_B, world, "flood", "vb", "100")
    check(rc == 0 and re.fullmatch(r"sent 100 in \d+ ms\n", out), "worldmdns flood 100 sent", out)
    rc, lout = finish(listener)
    names = set(re.findall(r"^answer (flood-\d+\.local) A 120 192\.168\.50\.1$", lout, re.M))
    check(len(names) >= 90, "mdns.py listen received %d distinct flood names (>= 90)" % len(names))


def test_usage(world):
    for argv in ([world], [world, "query", "va"], [world, "announce", "va", "h", "not-an-address",
                                                   "i", "_t._tcp", "1"],
                 [world, "query", "va", "x.local", "NOTATYPE"],
                 [sys.executable, MDNS], [sys.executable, MDNS, "query", "va"],
                 [sys.executable, MDNS, "announce", "va", "h", "nope", "i", "_t._tcp", "1"]):
        rc, out = run(NS_A, *argv)
        check(rc == 100, "usage error exits 100: %s" % " ".join(argv[1:]), out)
    rc, out = run(NS_A, world, "listen", "no-such-if", "1")
    check(rc == 111, "worldmdns on a missing interface exits 111", out)


def main():
    setup()
    # WORLDMDNS=path: that binary instead (e.g. one built with sanitizers)
    world = os.environ.get("WORLDMDNS") or build_worldmdns()
    log("--- worldmdns built: %s" % world)
    for test in (test_python_pair, lambda: test_mixed(world, False), lambda: test_mixed(world, True),
                 lambda: test_malformed(world), lambda: test_echo(world),
                 lambda: test_flood(world), lambda: test_usage(world)):
        test()
    if failures:
        log("FAIL: %d check(s) failed:\n  %s" % (len(failures), "\n  ".join(failures)))
        return 1
    log("all checks passed")
    return 0


def on_term(*_):
    """timeout(1) of tests/run: the namespaces go even so."""
    log("FAIL: terminated (SIGTERM)")
    cleanup()
    os._exit(1)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_term)
    try:
        sys.exit(main())
    finally:
        cleanup()
