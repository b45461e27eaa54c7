#!/usr/bin/env python3
"""The host's DNS through the guest (issue 15): what a cached lookup costs
the host through the guest's dnsmasq, against the same lookup sent
straight to the Wi-Fi network's DNS server (through the guest's NAT), in
the same boot; and the memory dnsmasq takes in the guest.

    tests/bench/dns.py [LOOKUPS]     (default 50 each way)

Each lookup is one UDP query from the host's namespace (test_dns.lookup);
the figures are the median and the 90th percentile, in ms. The world's
DNS server runs inside the same guest (in its own namespace), so "direct"
here has no radio in it: on a real network the direct lookup adds the
Wi-Fi round trip and the network's server, which a cached one skips.
Measured here (one boot, TCG): cached 5.0 ms, direct 3.0 ms (1.67);
dnsmasq's VmRSS 320 kB, 80 kB of it anonymous."""
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sim"))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import vm  # noqa: E402
from netd_lib import host_lease, wait_status  # noqa: E402
from test_dns import A, lookup  # noqa: E402

WORLD_SERVER = "192.168.50.1"


def timings(v, server, n):
    ms = []
    for _ in range(n):
        rcode, ip, secs = lookup(v, server=server)
        if (rcode, ip) != (0, A):
            raise SystemExit("lookup through %s: %r %r" % (server, rcode, ip))
        ms.append(secs * 1000)
    return ms


def line(name, ms):
    q = statistics.quantiles(ms, n=10)
    return "  %-28s median %6.2f ms   90th %6.2f ms   (%d lookups)" % (
        name, statistics.median(ms), q[-1], len(ms))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    world = {"mode": "ap", "dns": WORLD_SERVER, "dns_answers": {"probe.test": A}}
    with vm.VM("bench-dns", config=vm.test_config(), app=vm.station_app_config(),
               world=world) as v:
        v.login()
        wait_status(v, timeout=150, ssid=vm.DEMO_SSID, lease="bound", dns_forwarder="running")
        host_lease(v)
        lookup(v)               # the first one fills the cache
        cached = timings(v, "10.0.0.1", n)
        direct = timings(v, WORLD_SERVER, n)
        print(line("cached, through the guest", cached))
        print(line("direct to the network's server", direct))
        print("  ratio (through the guest / direct, medians): %.2f"
              % (statistics.median(cached) / statistics.median(direct)))
        # the guest's, not the world's (which runs in the same image)
        mem = v.sh("for p in $(pidof dnsmasq); do tr '\\0' ' ' </proc/$p/cmdline | grep -q no-poll && "
                   "grep -E '^(VmRSS|RssAnon|RssFile)' /proc/$p/status; done")
        print("  dnsmasq in the guest: " + ", ".join(" ".join(l.split()) for l in mem.splitlines()))


if __name__ == "__main__":
    main()
