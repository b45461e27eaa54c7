#!/usr/bin/env python3
"""The return after resume (issue 18): how soon the guest is associated
and has the uplink's lease when it remembers the last uplink, against the
same boot without the hint, alternately in the same run.

    tests/bench/resume.py [ROUNDS]     (default 3 of each)

The user's wpa_supplicant.conf has no scan_freq, as a user's does: without
the hint the first scan covers every channel. Figures are the guest's own
milestones (ms since the kernel started): association and lease, median
(min-max), and the ratio hint / no hint of the medians. Measured here
(TCG, 3 rounds): associated 26198 ms (25768-26468) without, 17928 ms
(17449-18255) with the hint, 0.68; the uplink's lease 28426 against
18107 ms, 0.64. The world's access point itself starts some 15 s after
the kernel (it runs inside the guest), which both columns include."""
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sim"))
import vm  # noqa: E402
from netd_lib import LAST_UPLINK as HINT, wait_status  # noqa: E402


def boot(name, var):
    with vm.VM(name, config=vm.test_config(), var=var, app=vm.station_app_config(scan_freq=False),
               world={"mode": "ap"}) as v:
        st = wait_status(v, timeout=180, ssid=vm.DEMO_SSID, lease="bound")
        return int(st["milestone.associated"]), int(st["milestone.lease"]), v.read_var(HINT)


def spread(xs):
    return "%6d (%d-%d)" % (statistics.median(xs), min(xs), max(xs))


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    _, _, hint = boot("bench-resume-learn", {})
    got = {"no hint": ([], []), "hint": ([], [])}
    failed = 0
    for k in range(rounds):
        for kind, var in (("no hint", {}), ("hint", {HINT: hint})):
            try:
                assoc, lease, _ = boot("bench-resume-%d" % k, var)
            except vm.VMError as e:
                failed += 1
                print("  %s, round %d failed: %s" % (kind, k, str(e).splitlines()[0]))
                continue
            got[kind][0].append(assoc)
            got[kind][1].append(lease)
    print("  milestone (ms since the kernel)   no hint              hint                 ratio")
    for i, name in enumerate(("associated", "uplink lease")):
        a, b = got["no hint"][i], got["hint"][i]
        if a and b:
            print("  %-32s %s   %s   %.2f" % (name, spread(a), spread(b),
                                            statistics.median(b) / statistics.median(a)))
    print("  rounds: %d of each, %d boots failed" % (rounds, failed))


if __name__ == "__main__":
    main()
