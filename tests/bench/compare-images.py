#!/usr/bin/env python3
"""Two builds' boots side by side, alternated in the same run so that the
machine's load falls on both alike: kernel -> init, kernel -> drivers
loaded, QEMU start -> login prompt, and the memory in use once booted;
medians of BOOTS boots (direct kernel boot, TCG). Each image is named
DIR[:CPUS] (an out/ directory, and the vCPUs to give it, default 1).
    tests/bench/compare-images.py [--boots N] DIR[:CPUS] DIR[:CPUS] ...
Example, the SMP kernel's cost: an earlier build without SMP against this
one with one and with two vCPUs:
    tests/bench/compare-images.py /tmp/old-out out out:2
Not part of make bench: it needs a second build."""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sim"))
import vm  # noqa: E402


def one_boot(out, cpus):
    vm.OUT = out
    with vm.VM("compare", config=vm.test_config(), app=vm.station_app_config(), cpus=cpus) as v:
        v.login(timeout=180)
        wall = v.login_prompt_at - v.started
        v.sh("until grep -q drivers /run/init/milestones; do usleep 50000; done", timeout=60)
        ms = dict(line.split() for line in v.sh("cat /run/init/milestones").splitlines())
        used = int(v.sh("free | awk '/Mem:/ { print $3 }'"))
        return int(ms["init"]), int(ms["drivers"]), int(wall * 1000), used


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--boots", type=int, default=5)
    ap.add_argument("images", nargs="+")
    args = ap.parse_args()
    images = []
    for spec in args.images:
        out, _, cpus = spec.partition(":")
        images.append((spec, os.path.abspath(out), int(cpus or 1)))
    runs = {spec: [] for spec, _, _ in images}
    for _ in range(args.boots):
        for spec, out, cpus in images:
            runs[spec].append(one_boot(out, cpus))
    print("medians of %d boots each, alternated (TCG, 128 MiB):" % args.boots)
    print("  %-28s %12s %14s %14s %12s" % ("image[:vCPUs]", "kernel->init", "->drivers", "QEMU->login", "used KiB"))
    for spec, values in runs.items():
        cols = [statistics.median(c) for c in zip(*values)]
        print("  %-28s %9d ms %11d ms %11d ms %12d" % (spec, *cols))


if __name__ == "__main__":
    main()
