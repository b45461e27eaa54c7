#!/usr/bin/env python3
"""Boot timeline measured in the guest: kernel start -> init -> shares
mounted -> netd started -> drivers loaded (init's milestones, monotonic ms
since the kernel started), median of BOOTS boots, for the direct kernel
boot and the UEFI path. Also the wall time from QEMU's start to the login
prompt (TCG: far slower than bhyve, but comparable run to run).
    tests/bench/boot.py [BOOTS]"""
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sim"))
import vm  # noqa: E402

STEPS = ["init", "shares", "netd", "drivers"]


def one_boot(boot):
    with vm.VM("bench-" + boot, boot=boot, config=vm.test_config(),
               app=vm.station_app_config()) as v:
        v.login(timeout=180)
        wall = v.login_prompt_at - v.started
        v.sh("until grep -q drivers /run/init/milestones; do usleep 50000; done", timeout=60)
        ms = {}
        for line in v.sh("cat /run/init/milestones").splitlines():
            name, value = line.split()
            ms.setdefault(name, int(value))
        ms["login prompt (wall)"] = int(wall * 1000)
        return ms


def main():
    boots = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print("boot timeline, median of %d boots (ms; TCG, 1 vCPU, 128 MiB)" % boots)
    for boot in ("kernel", "uefi"):
        runs = [one_boot(boot) for _ in range(boots)]
        print("  %s boot:" % {"kernel": "direct kernel", "uefi": "UEFI (OVMF, esp.img)"}[boot])
        for step in STEPS + ["login prompt (wall)"]:
            values = [r[step] for r in runs if step in r]
            if not values:
                print("    %-22s not reached (not installed?)" % step)
                continue
            print("    %-22s %7d   (min %d, max %d)" % (
                "kernel -> " + step if step in STEPS else "QEMU start -> login", statistics.median(values),
                min(values), max(values)))


if __name__ == "__main__":
    main()
