#!/usr/bin/env python3
"""Our guest against a Wifibox-style shell guest, booted alternately in the
same run (issue 18): the return path after a resume, when the host starts
the guest again.

    tests/bench/reference.py [BOOTS]      (default 5 boots of each)

The reference (tests/bench/reference/) is our root with /sbin/init
replaced by a shell rc that does what Wifibox's Alpine guest does, in
OpenRC's order: same kernel, modules, busybox and wpa_supplicant; no init
or netd of ours. It never ships. Both boot directly (-kernel) with one
vCPU and a user's station configuration (no scan_freq: the network is
looked for on every channel), against the simulated world's WPA2 access
point on 2412 MHz.

The host link is virtio-net, which the contract allows beside bhyve's
e1000, for both images: QEMU's e1000 (not bhyve's) stops receiving for
1 s after every write of its receive control register, which Linux's
e1000 driver makes at each change of the link's multicast filter
(joining IPv6 groups, say). The image that changes it later was then
deaf for a second longer: ours, whose IPv6 router groups come a second
after the link, answered the host's ARP and DHCP that much later.

Two kinds of boot, each image in turn, per round:

1. A resume on the same network: the network up and the card present
   when the guest boots, and the var share as the last boot left it. The
   host keeps it (/var/run/wifibox/appliance) across a suspend, so it
   holds netd's last uplink (lib/netd/last-uplink: SSID, BSSID, channel,
   address), learnt once per run by a boot of ours to its lease in the
   same world; both images get it, and the reference, like Wifibox's
   guest, does not use it. Ours then scans the last channel first and
   asks the network's DHCP server for the last address (udhcpc -r: a
   DISCOVER that names it; busybox's udhcpc has no INIT-REBOOT, so both
   round trips remain).
   The world is made before the image's init starts (world option
   start_before_init, modules.conf radios=0): its access point up, then
   the guest's radio (phyguest, wlan0), as bhyve passes the card through
   to a guest that starts while the user's network has been there all
   along. Then the image's init takes over; the kernel log's "world: init
   now" is that instant, the same event in both images, and the zero of
   the "init ->" rows. The page cache is dropped first, so the guest
   reads its programs cold, as after a real boot; mac80211_hwsim is
   loaded already (modules.conf's load finds it there), where a real
   card's driver would load in the guest, with its firmware, in both
   images alike. Milestones, medians over the boots, ours / reference /
   ratio:
   - kernel -> init: the kernel's start of process 1 ("world: start")
     plus the time from the hand-over to the image's own first mark: our
     init's first instruction (written down once /run exists); the rc's
     first mark, after it mounted /proc and /dev to be able to write it;
   - init -> eth0 serving DHCP: netd's dhcp_server milestone; the rc once
     udhcpd is started;
   - init -> wlan0 associated: the kernel log's "wlan0: associated" (the
     4-way handshake that leads to COMPLETED follows, in the same
     wpa_supplicant);
   - init -> uplink lease: netd's lease milestone; the rc's DHCP hook;
   - init -> the host's lease, and -> the host's first TCP connection to
     the world through the guest: seen from the host's namespace
     (reference/host-probe.py, 200 ms resolution; its DHCP clients start
     at the guest's first frame on the link), on the host's clock (the
     guest's kernel-log clock is placed on the host's by a line written to
     the kernel log and then to the var share, whose modification time
     the host reads: a few ms);
   - QEMU start -> the host's first TCP connection, the world's time
     before init (from "world: start" to "world: init now") taken out:
     the whole boot, QEMU's and the kernel's part included, which both
     images share.
   The world's DHCP server knows the guest's radio (known_clients: a
   static lease), as a network's server knows a client that was there
   before the host slept: it offers at once, without the 2 s ARP probe
   busybox udhcpd makes before handing out a new address.
2. The access point first, then the radio, with an empty var share (a
   first boot, or a hint for another network: no head start for ours,
   and the full scan in both): the world's agent creates the
   guest's radio only once its access point is up (world option
   guest_radio_after_ap, modules.conf radios=0), while both images boot,
   the same for both: a card that comes after the guest (a late driver, a
   radio switched on). Milestones from the kernel log's registration of
   the guest's radio ("ieee80211 phyguest: Selected rate control
   algorithm"): -> "wlan0: associated", -> the uplink lease, and -> the
   host's first TCP connection (host clock, placed as above). The rc waits
   for wlan0 before it serves eth0, so these boots' other figures are not
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
        ("init -> wlan0 associated", "associated"), ("init -> uplink lease", "lease"),
        ("init -> host's lease", "host_lease"),
        ("init -> host's first TCP connection", "host_tcp"),
        ("QEMU start -> host's first TCP conn. (*)", "boot_host_tcp")]
AP_FIRST_ROWS = [("radio -> wlan0 associated", "radio_associated"),
                 ("radio -> uplink lease", "radio_lease"),
                 ("radio -> host's first TCP connection", "radio_host_tcp")]
HINT = netd_lib.LAST_UPLINK
RADIO_LINE = r"^ieee80211 phyguest: Selected rate control algorithm"
GUEST_RADIO_MAC = "02:00:00:00:01:00"	# hwsim's second radio: the world's is the first


def kernel_log_ms(text, pattern):
    for line in text.splitlines():
        m = re.match(r"\[\s*(\d+\.\d+)\] (.*)", line)
        if m and re.search(pattern, m.group(2)):
            return float(m.group(1)) * 1000
    return None


def ours(v, dmesg):
    """Absolute ms on the guest's clock: init's start, eth0 serving, the
    uplink's lease."""
    st = vm.wait_netd_status(v, timeout=120, **{"milestone.lease": r"\d+"})
    return {"init": int(st["milestone.init.init"]), "serving": int(st["milestone.dhcp_server"]),
            "lease": int(st["milestone.lease"])}


def reference(v, dmesg):
    marks = {}
    for name, sec in re.findall(r"ref: (\w+) (\d+\.\d+)", dmesg):
        marks.setdefault(name, float(sec) * 1000)
    return {"init": marks["init"], "serving": marks["dhcp_server"], "lease": marks["lease"]}


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


def station_vm(name, memory=128, resume=True, var=True):
    """A direct boot in station mode against the world's WPA2 access point,
    with a user's wpa_supplicant.conf (no scan_freq): on a resume, the
    access point up and the guest's radio made before the image's init
    starts; otherwise the radio made once the access point is up, while
    the guest boots. The world's DHCP server knows the radio. var: the var
    share's files (vm.VM's var)."""
    world = {"mode": "ap", "known_clients": {GUEST_RADIO_MAC: "192.168.50.148"}}
    world["start_before_init" if resume else "guest_radio_after_ap"] = True
    return vm.VM(name, config=vm.test_config(radios=0), var=var,
                 app=vm.station_app_config(scan_freq=False),
                 world=world, memory=memory, nic="virtio")


def learn_hint(out):
    """The last uplink our netd wrote on the var share after a resume's
    boot to its lease: what the var share holds when the host starts the
    guest again on the same network (/var/run/wifibox/appliance outlives
    a suspend)."""
    vm.OUT = out
    with station_vm("ref-learn") as v:
        vm.wait_netd_status(v, timeout=120, **{"milestone.lease": r"\d+"})
        return v.read_var(HINT)


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


def one_boot(kind, out, resume, var):
    vm.OUT = out
    with station_vm("ref-" + kind, resume=resume, var=var) as v:
        host = host_probe(v)
        v.login(timeout=120)
        dmesg = v.sh("dmesg")
        own = (ours if kind == "ours" else reference)(v, dmesg)
        associated = kernel_log_ms(dmesg, r"^wlan0: associated")
        zero = kernel_log_zero(v)

        def on_guest(t):	# a host figure (s after QEMU's start) on the kernel-log clock
            return (v.started + t - zero) * 1000
        if resume:
            world_start = kernel_log_ms(dmesg, r"^world: start$")
            init = kernel_log_ms(dmesg, r"^world: init now$")
            return {"init": world_start + own["init"] - init, "serving": own["serving"] - init,
                    "associated": associated - init, "lease": own["lease"] - init,
                    "host_lease": on_guest(host["lease"]) - init,
                    "host_tcp": on_guest(host["tcp"]) - init,
                    "boot_host_tcp": host["tcp"] * 1000 - (init - world_start)}
        radio = kernel_log_ms(dmesg, RADIO_LINE)
        return {"radio_associated": associated - radio, "radio_lease": own["lease"] - radio,
                "radio_host_tcp": on_guest(host["tcp"]) - radio}


def main():
    boots = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory(prefix="wifibox-reference-") as d:
        ref_out = os.path.join(d, "out")
        subprocess.run([os.path.join(HERE, "reference", "mkroot.sh"), ref_out], check=True,
                       stdout=subprocess.DEVNULL)
        runs = {"ours": [], "reference": []}
        failed = {"ours": [], "reference": []}
        images = (("ours", vm.OUT), ("reference", ref_out))	# one_boot changes vm.OUT
        resumed = {HINT: learn_hint(vm.OUT)}
        for _ in range(boots):
            for resume in (True, False):
                for kind, out in images:
                    try:
                        runs[kind].append(one_boot(kind, out, resume, resumed if resume else {}))
                    except (vm.VMError, subprocess.SubprocessError, KeyError, TypeError) as e:
                        failed[kind].append("%s%s: %s" % ("" if resume else "radio later: ",
                                                          type(e).__name__, str(e).splitlines()[0]))
    print("ours against a Wifibox-style shell guest, %d boots each of two kinds, alternated "
          "(TCG, 1 vCPU, 128 MiB, virtio-net host link); median (min-max) in ms:" % boots)
    print("  %-42s %22s %22s %7s" % ("milestone", "ours", "reference", "ratio"))
    print("  a resume on the same network: the access point up, the radio present when init")
    print("  starts, the var share as the last boot left it:")
    table(runs, ROWS)
    print("  the access point first, then the guest's radio, while the guest boots; an empty")
    print("  var share (a first boot, or a network not seen before):")
    table(runs, AP_FIRST_ROWS)
    print("  ratio: ours / reference; below 1 means ours is ahead.")
    print("  (*) less the world's start before init, the same event in both images.")
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
