#!/usr/bin/env python3
"""`make FIRMWARE=all` on a clean clone (issue 13), then its root.img read
back with unsquashfs and checked on its own, not through the build's
checks:
  - every card of guest/cards.table that has a firmware family finds all
    its files, and each Intel .ucode has an API number inside the range the
    kernel source's iwlwifi tables give for its name (or, for a name the
    driver builds at run time, for the names of the same first part);
  - the cards the issue names are among them;
  - no link under /lib/firmware points nowhere;
  - the image's ath11k_pci.ko has the host_msi_vector_addr/_data parameters;
  - the default build (FIRMWARE= empty, this tree's out/) stays within the
    8 MiB budget.
"""
import fnmatch
import os
import re
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
CACHE = os.environ.get("CACHE", "/var/cache/wifibox-guest")
ISSUE_CARDS = ["AX200", "AX201 (Ice/Comet Lake)", "AX210", "AX211 (Alder/Raptor Lake)", "BE200",
               "9260", "8265", "QCA6174", "WCN6855", "QCA6390", "WCN7850", "MT7921", "MT7922",
               "MT7925", "RTL8822CE", "RTL8821CE", "RTL8852BE", "RTL8852CE", "RTL8922AE",
               "BCM4356", "BCM43602"]


def fail(msg):
    print("FAILED: " + msg)
    sys.exit(1)


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, capture_output=True, text=True, **kw).stdout


def build_all(work):
    src = os.path.join(work, "src")
    os.makedirs(src)
    sh("git -C %s archive HEAD | tar xf - -C %s" % (TOP, src))
    env = dict(os.environ, CACHE=CACHE, FIRMWARE="all", BUILD=src + "/build", OUT=src + "/out")
    p = subprocess.run(["guest/build.sh"], cwd=src, env=env, capture_output=True, text=True)
    with open(os.path.join(work, "build.log"), "w") as f:
        f.write(p.stdout + p.stderr)
    if p.returncode != 0:
        print((p.stdout + p.stderr)[-3000:])
        fail("make FIRMWARE=all failed")
    print("\n".join(l for l in (p.stdout + p.stderr).splitlines() if l.startswith("firmware ")))
    return src


def api_ranges(src):
    env = {}
    for line in open(os.path.join(src, "build/inputs.env")):
        k, _, v = line.strip().partition("=")
        env[k] = v
    out = os.path.join(src, "build/facts")
    sh("%s/kernel-config/firmware-facts.sh %s %s" % (src, env["KSRC"], out))
    ranges = {}
    for line in open(os.path.join(out, "iwlwifi-api-ranges")):
        name, lo, hi = line.split()
        ranges[name] = (int(lo), int(hi))
    return ranges


def in_range(rel, ranges):
    m = re.fullmatch(r"(iwlwifi-.+)-(\d+)\.ucode", os.path.basename(rel))
    if not m:
        return True
    base, n = m.group(1), int(m.group(2))
    if base in ranges:
        lo, hi = ranges[base]
        return lo <= n <= hi
    first = base.split("-")[1]
    same = [r for k, r in ranges.items() if k.split("-")[1] == first]
    if not same:
        return True	# not a name iwlwifi knows: iwlegacy's iwlwifi-4965-2.ucode
    return min(r[0] for r in same) <= n <= max(r[1] for r in same)


def main():
    with tempfile.TemporaryDirectory(prefix="wifibox-fwall.") as work:
        src = build_all(work)
        root = os.path.join(work, "root")
        sh("unsquashfs -q -n -d %s %s/out/root.img" % (root, src))
        fw = os.path.join(root, "lib/firmware")
        files = []
        for d, _, names in os.walk(fw):
            for n in names:
                p = os.path.join(d, n)
                if os.path.islink(p) and not os.path.exists(p):
                    fail("dangling link: %s -> %s" % (os.path.relpath(p, fw), os.readlink(p)))
                files.append(os.path.relpath(p, fw))
        ranges = api_ranges(src)
        covered, missing = [], []
        for line in open(os.path.join(TOP, "guest/cards.table")):
            if line.startswith("#") or line.count("|") < 4:
                continue
            fam, card, _, globs, _ = [f.strip() for f in line.split("|")]
            if fam in ("-", "b43"):
                continue
            ok = all(any(fnmatch.fnmatchcase(f, g) and in_range(f, ranges) for f in files)
                     for g in globs.split())
            (covered if ok else missing).append(card)
        if missing:
            fail("cards with no firmware in the FIRMWARE=all image: %s" % "; ".join(missing))
        for want in ISSUE_CARDS:
            if not any(want in c for c in covered):
                fail("the issue's card %s is not covered" % want)
        bad = [f for f in files if not in_range(f, ranges)]
        if bad:
            fail("Intel firmware outside the driver's API range: %s" % " ".join(bad))
        ko = sh("find %s/lib/modules -name ath11k_pci.ko" % root).strip()
        parms = sh("modinfo -F parm %s" % ko)
        for p in ("host_msi_vector_addr:", "host_msi_vector_data:"):
            if p not in parms:
                fail("ath11k_pci.ko has no %s parameter:\n%s" % (p, parms))
        print("FIRMWARE=all: %d files; all %d cards with firmware covered, the issue's %d among them;"
              " no dangling link; ath11k_pci has the MSI parameters" %
              (len(files), len(covered), len(ISSUE_CARDS)))
    size = subprocess.run(["guest/size.sh"], cwd=TOP, capture_output=True, text=True)
    print(size.stdout.strip())
    total = [l for l in size.stdout.splitlines() if "total, no firmware" in l]
    if size.returncode != 0 or not total or "ok (<= 8 MiB)" not in total[0]:
        fail("the default image is not within 8 MiB:\n" + size.stdout + size.stderr)


if __name__ == "__main__":
    main()
