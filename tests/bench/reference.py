#!/usr/bin/env python3
"""Our guest against a Wifibox-style shell guest, booted alternately in the
same run (issue 18): the return path after a resume, when the host starts
the guest again.

    tests/bench/reference.py [BOOTS]      (default 5 boots of each)

The reference (tests/bench/reference/) is our root with /sbin/init
replaced by a shell rc that does what Wifibox's Alpine guest does, in
OpenRC's order: same kernel, modules, busybox and wpa_supplicant; no init
or netd of ours. It never ships. Both boot directly (-kernel) with one
vCPU, the station configuration, and the radio present at boot, against
the simulated world's WPA2 access point.

The host link is virtio-net, which the contract allows beside bhyve's
e1000, for both images: QEMU's e1000 (not bhyve's) stops receiving for
1 s after every write of its receive control register, which Linux's
e1000 driver makes at each change of the link's multicast filter
(joining IPv6 groups, say). The image that changes it later was then
deaf for a second longer: ours, whose IPv6 router groups come a second
after the link, answered the host's ARP and DHCP that much later.

Two kinds of boot, each image in turn, per round:

1. The radio present at boot (modules.conf loads it), as bhyve passes the
   card through. Milestones, medians over the boots, ours / reference /
   ratio:
   - kernel -> init: when our init began (its first instruction, written
     down once /run exists); the rc's first mark, after it mounted /proc
     and /dev to be able to write it;
   - init -> eth0 serving DHCP: netd's dhcp_server milestone; the rc once
     udhcpd is started;
   - kernel -> wlan0 associated: the kernel log's "wlan0: associated" (the
     4-way handshake that leads to COMPLETED follows, in the same
     wpa_supplicant);
   - kernel -> uplink lease: netd's lease milestone; the rc's DHCP hook;
   - QEMU start -> the host's lease, and -> the host's first TCP
     connection to the world through the guest: seen from the host's
     namespace (reference/host-probe.py, 200 ms resolution; its DHCP
     clients start at the guest's first frame on the link).
   The simulated world's access point runs inside the same guest (sim/world)
   and, under TCG on one vCPU, comes up about a second after the guest's
   radio: whether wpa_supplicant's first scan sees it or the next one, 5 s
   later, decides these boots' association, uplink lease and TCP figures,
   for both images alike. A resume does not look like that: the access
   point has been up all along.
2. The access point first: the world's agent creates the guest's radio
   (phyguest, wlan0) only once its access point is up (world option
   guest_radio_after_ap, modules.conf radios=0), the same for both images,
   and the world's DHCP server knows the guest's radio (known_clients: a
   static lease), as a network's server knows a client that was there
   before the host slept: it offers at once, without the 2 s ARP probe
   busybox udhcpd makes before handing out a new address.
   Milestones from the kernel log's registration of the guest's radio
   ("ieee80211 phyguest: Selected rate control algorithm"): -> "wlan0:
   associated", -> the uplink lease, and -> the host's first TCP
   connection (host clock; the guest's kernel-log clock is placed on the
   host's by a line written to the kernel log and then to the var share,
   whose modification time the host reads: a few ms). The rc waits for
   wlan0 before it serves eth0, so these boots' other figures are not
   reported: they would count the world's start-up against the reference.
Guest figures are on the guest's clocks (CLOCK_MONOTONIC for ours,
/proc/uptime's 10 ms steps for the rc, the kernel log's for the radio and
association); host figures on the host's. Nothing is judged: TCG on a
shared machine.
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sim"))
import netd_lib  # noqa: E402
import vm  # noqa: E402

WORLD_SERVICE = ("198.51.100.1", "7777")
ROWS = [("kernel -> init", "init"), ("init -> eth0 serving DHCP", "serving"),
        ("kernel -> wlan0 associated", "associated"), ("kernel -> uplink lease", "lease"),
        ("QEMU start -> host's lease", "host_lease"),
        ("QEMU start -> host's first TCP connection", "host_tcp")]
AP_FIRST_ROWS = [("radio -> wlan0 associated", "radio_associated"),
                 ("radio -> uplink lease", "radio_lease"),
                 ("radio -> host's first TCP connection", "radio_host_tcp")]
RADIO_LINE = r"^ieee80211 phyguest: Selected rate control algorithm"
GUEST_RADIO_MAC = "02:00:00:00:01:00"	# hwsim's second radio: the world's is the first


def kernel_log_ms(text, pattern):
    for line in text.splitlines():
        m = re.match(r"\[\s*(\d+\.\d+)\] (.*)", line)
        if m and re.search(pattern, m.group(2)):
            return float(m.group(1)) * 1000
    return None


def ours(v, dmesg):
    st = vm.wait_netd_status(v, timeout=120, **{"milestone.lease": r"\d+"})
    init = int(st["milestone.init.init"])
    return {"init": init, "serving": int(st["milestone.dhcp_server"]) - init,
            "lease": int(st["milestone.lease"])}


def reference(v, dmesg):
    marks = {}
    for name, sec in re.findall(r"ref: (\w+) (\d+\.\d+)", dmesg):
        marks.setdefault(name, float(sec) * 1000)
    return {"init": marks["init"], "serving": marks["dhcp_server"] - marks["init"],
            "lease": marks["lease"]}


def host_probe(v, timeout=240):
    """{"lease": s, "tcp": s} after QEMU's start, seen from the host's
    namespace (reference/host-probe.py); raises when either never came."""
    probe = subprocess.Popen(
        ["ip", "netns", "exec", v.netns, sys.executable,
         os.path.join(HERE, "reference", "host-probe.py"), netd_lib.HOST_UDHCPC, *WORLD_SERVICE],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        env=dict(os.environ, HOST_LEASE_ENV=os.path.join(v.dir, "host-lease.env")))
    try:
        out, _ = probe.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(probe.pid, signal.SIGKILL)
        out, _ = probe.communicate()
    host = dict((k, float(t) - v.started) for k, t in
                (line.split() for line in out.splitlines() if line[:4] in ("leas", "tcp ")))
    if "tcp" not in host:
        seen = [line for line in v.console.text().splitlines()
                if re.search(r"Out of memory|oom-kill|Kernel panic|invoked oom", line)]
        raise vm.VMError("the host %s within %d s%s" % (
            "got a lease but never reached the world" if "lease" in host else "got no lease",
            timeout, "; console: " + seen[0].strip() if seen else
            "; the console stayed silent (the kernel never started)" if not v.console.text().strip()
            else ""))
    return host


def station_vm(name, memory=128, ap_first=False):
    """A direct boot in station mode against the world's WPA2 access point,
    with the radio present at boot, or (ap_first) made once the access
    point is up."""
    world = {"mode": "ap"}
    if ap_first:
        world.update(guest_radio_after_ap=True, known_clients={GUEST_RADIO_MAC: "192.168.50.148"})
    return vm.VM(name, config=vm.test_config(radios=0 if ap_first else 1),
                 app=vm.station_app_config(), world=world, memory=memory, nic="virtio")


def kernel_log_zero(v):
    """The host's CLOCK_MONOTONIC second at the guest's kernel-log zero: a
    line to the kernel log, then at once (shell builtins, no fork) a file
    on the var share, whose modification time is the host's clock."""
    v.sh("echo bench-clock > /dev/kmsg; echo x > /var/.bench-clock")
    path = os.path.join(v.var_dir, ".bench-clock")
    wall = os.stat(path).st_mtime
    mono = time.monotonic() - (time.time() - wall)
    os.remove(path)
    stamp = kernel_log_ms(v.sh("dmesg"), r"^bench-clock$")
    return mono - stamp / 1000


def one_boot(kind, out, ap_first=False):
    vm.OUT = out
    with station_vm("ref-" + kind, ap_first=ap_first) as v:
        host = host_probe(v)
        v.login(timeout=120)
        dmesg = v.sh("dmesg")
        figures = (ours if kind == "ours" else reference)(v, dmesg)
        associated = kernel_log_ms(dmesg, r"^wlan0: associated")
        if not ap_first:
            figures["associated"] = associated
            figures["host_lease"] = host["lease"] * 1000
            figures["host_tcp"] = host["tcp"] * 1000
            return figures
        radio = kernel_log_ms(dmesg, RADIO_LINE)
        zero = kernel_log_zero(v)
        return {"radio_associated": associated - radio,
                "radio_lease": figures["lease"] - radio,
                "radio_host_tcp": (v.started + host["tcp"] - zero) * 1000 - radio}


def main():
    boots = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory(prefix="wifibox-reference-") as d:
        ref_out = os.path.join(d, "out")
        subprocess.run([os.path.join(HERE, "reference", "mkroot.sh"), ref_out], check=True,
                       stdout=subprocess.DEVNULL)
        runs = {"ours": [], "reference": []}
        failed = {"ours": [], "reference": []}
        images = (("ours", vm.OUT), ("reference", ref_out))	# one_boot changes vm.OUT
        for _ in range(boots):
            for ap_first in (False, True):
                for kind, out in images:
                    try:
                        runs[kind].append(one_boot(kind, out, ap_first))
                    except (vm.VMError, subprocess.SubprocessError, KeyError, TypeError) as e:
                        failed[kind].append("%s%s: %s" % ("access point first: " if ap_first else "",
                                                          type(e).__name__, str(e).splitlines()[0]))
    print("ours against a Wifibox-style shell guest, %d boots each of two kinds, alternated "
          "(TCG, 1 vCPU, 128 MiB, virtio-net host link); median (min-max) in ms:" % boots)
    print("  %-42s %22s %22s %7s" % ("milestone", "ours", "reference", "ratio"))
    print("  the radio present at boot (the world's access point comes up after it):")
    table(runs, ROWS)
    print("  the access point first, then the guest's radio (as on a resume):")
    table(runs, AP_FIRST_ROWS)
    print("  ratio: ours / reference; below 1 means ours is ahead.")
    for kind, reasons in failed.items():
        if reasons:
            print("  %s: %d of %d boots failed and are left out: %s"
                  % (kind, len(reasons), 2 * boots, "; ".join(reasons)))


def table(runs, rows):
    for label, key in rows:
        a = [r[key] for r in runs["ours"] if r.get(key) is not None]
        b = [r[key] for r in runs["reference"] if r.get(key) is not None]
        if not a or not b:
            print("  %-42s (not seen)" % label)
            continue
        ma, mb = statistics.median(a), statistics.median(b)
        print("  %-42s %8.0f (%5.0f-%5.0f) %8.0f (%5.0f-%5.0f) %7.2f"
              % (label, ma, min(a), max(a), mb, min(b), max(b), ma / mb if mb else 0))


if __name__ == "__main__":
    main()
