#!/usr/bin/env python3
"""The memory floor (issue 18): the smallest guest memory at which the
full station scenario passes in every one of BOOTS boots.

    tests/bench/memory.py [BOOTS] [START_MIB] [STEP_MIB]   (default 20 32 4)

A boot passes when the host, from its namespace, gets a lease from the
guest and opens a TCP connection to the world's service through it
(reference.host_probe), within 240 s of QEMU's start: a resume as
reference.py boots it (the world's access point up and the radio present
before init starts), WPA2, a user's wpa_supplicant.conf (every channel
scanned) and an empty var share (no last uplink: the longer path), direct
kernel boot, TCG, 1 vCPU.
Sizes go down from START_MIB by STEP_MIB while all boots pass; if START
fails, they go up until one passes. The first failure at a size ends it.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sim"))
sys.path.insert(0, HERE)
import vm  # noqa: E402
import reference  # noqa: E402


def passes(mib, boots):
    """(boots passed, the first failure's reason or None)."""
    for n in range(boots):
        try:
            with reference.station_vm("mem%d" % mib, memory=mib) as v:
                reference.host_probe(v)
        except Exception as e:  # noqa: BLE001 - any failure fails the size
            return n, "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
    return boots, None


def main():
    boots = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    start = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    step = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    results = {}
    mib, floor = start, None
    while 8 <= mib <= 512:
        ok, why = passes(mib, boots)
        results[mib] = (ok, why)
        print("  %3d MiB: %d of %d boots passed%s" % (mib, ok, boots, "" if why is None else
              " (then: %s)" % why), flush=True)
        if why is None:
            floor = mib
            if mib - step < 8 or (mib - step) in results:
                break
            mib -= step
        else:
            if floor is not None:
                break
            mib += step
    if floor is None:
        print("memory floor: not found between 8 and 512 MiB")
    else:
        print("memory floor: %d MiB (%d of %d boots of the full station scenario; %s)"
              % (floor, boots, boots, "the next size down failed" if floor - step in results
                 else "the smallest size tried"))


if __name__ == "__main__":
    main()
