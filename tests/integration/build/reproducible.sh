#!/bin/sh
# The image depends on the pinned inputs and the tree, and on nothing else:
#  1. a clean clone built with the shared (warm) cache, and another clean
#     clone built with a fresh, empty cache, give byte-identical outputs:
#     the empty cache fetches every input again through the lock and
#     rebuilds the kernel and the third-party userland from scratch;
#  2. every file of the root has a recorded origin in the tree, a build or a
#     pinned package (guest/check-origins.sh, run by every build);
#  3. control: a build that slips one file of this machine into the root
#     (here /etc/debian_version) is refused, naming the file.
# The fresh-cache build takes as long as a cold build (15 to 50 minutes on
# two cores, with the kernel). REPRO_SHARED_CACHE=1 skips it, for a quick
# local run only.
# time-limit: 3600
set -eu
top=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d /tmp/wifibox-repro.XXXXXX)
trap 'rm -rf "$work"' EXIT
cache=${CACHE:-/var/cache/wifibox-guest}
fail() { echo "FAILED: $*"; exit 1; }

clone() {   # clone DIR: what is committed, not the working tree
    mkdir -p "$1" && git -C "$top" archive HEAD | tar xf - -C "$1"
}
build() {   # build DIR CACHE LOG
    (cd "$1" && CACHE=$2 BUILD=$1/build OUT=$1/out guest/build.sh > "$3" 2>&1) \
        || { tail -n 30 "$3"; fail "the build in $1 failed (log above)"; }
}

clone "$work/warm"
build "$work/warm" "$cache" "$work/warm.log"
fresh=$work/fresh-cache
[ "${REPRO_SHARED_CACHE:-0}" = 1 ] && fresh=$cache
clone "$work/cold"
build "$work/cold" "$fresh" "$work/cold.log"
if [ "$fresh" != "$cache" ]; then
    grep -q 'kernel: building' "$work/cold.log" || fail "the fresh-cache build did not build the kernel"
    grep -q 'fetching linux-source' "$work/cold.log" || fail "the fresh-cache build did not fetch the kernel source"
fi

rc=0
for f in esp.img root.img vmlinuz disk.img grub.cfg manifest.txt; do
    a=$(sha256sum < "$work/warm/out/$f"); b=$(sha256sum < "$work/cold/out/$f")
    if [ "$a" = "$b" ]; then echo "identical: $f ${a%% *}"; else echo "DIFFERENT: $f"; rc=1; fi
done
[ $rc = 0 ] || fail "the builds with a warm and with an empty cache differ"

# 2. Origins, checked again on the warm build's root (the build did too).
(cd "$work/warm" && BUILD=$work/warm/build CACHE=$cache guest/check-origins.sh build/rootfs build/rootfs.origins) \
    || fail "the root holds a file of no pinned origin"
n=$(wc -l < "$work/warm/build/rootfs.origins")
echo "every file of the root has a pinned origin ($n files)"

# 3. Control: a file of this machine slipped into the root is refused.
sed -i 's|^"\$TOP/guest/check-origins.sh"|put_file 644 /etc/debian_version /etc/debian_version\n&|' "$work/warm/guest/mkrootfs.sh"
if (cd "$work/warm" && CACHE=$cache BUILD=$work/warm/build OUT=$work/warm/out guest/build.sh > "$work/host.log" 2>&1); then
    fail "a root with /etc/debian_version of this machine was accepted"
fi
grep -q '^/etc/debian_version comes from /etc/debian_version, which is neither the tree, a build nor a pinned package$' "$work/host.log" \
    || { tail -n 10 "$work/host.log"; fail "no clear message for a host file in the root"; }
echo "a file of this machine in the root stops the build"
