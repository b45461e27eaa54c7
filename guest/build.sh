#!/bin/sh
# build.sh: `make` — turns sources into out/ (esp.img, root.img, vmlinuz,
# disk.img, grub.cfg, manifest.txt, buildinfo.txt), printing the time of each stage.
# out/ is a link swapped in one rename: a failed build leaves the previous
# good outputs as they were.
set -eu
. "$(dirname "$0")/lib.sh"
cd "$TOP"
mkdir -p "$BUILD" "$CACHE"
# Builds sharing a cache take turns: two kernel builds in one build
# directory break each other.
need_tool flock util-linux
exec 9> "$CACHE/.build.lock"
flock -n 9 || { note "another build is using $CACHE: waiting for it"; flock 9; }
t_start=$(date +%s)

# Every pinned input first: fetched, verified and unpacked once, so that
# the stages below read them from the cache only.
timed inputs guest/inputs.sh || die "the pinned inputs could not be had (see above)"

# The third-party userland and the kernel are independent: build them side
# by side, each with its own log, and fail if either failed.
timed thirdparty guest/thirdparty/build.sh > "$BUILD/thirdparty.log" 2>&1 &
tp=$!
timed kernel guest/kernel.sh > "$BUILD/kernel.log" 2>&1 &
kn=$!
tp_rc=0; kn_rc=0
wait $tp || tp_rc=$?
wait $kn || kn_rc=$?
cat "$BUILD/thirdparty.log" "$BUILD/kernel.log" >&2
[ $tp_rc = 0 ] || die "the third-party build failed (see above)"
[ $kn_rc = 0 ] || die "the kernel build failed (see above)"

timed programs make -s programs || die "building our programs failed (see above)"

stage=$BUILD/outputs.new
rm -rf "$stage"
timed rootfs guest/mkrootfs.sh "$BUILD/rootfs"
. "$BUILD/kernel.env"
timed images guest/mkimages.sh "$BUILD/rootfs" "$KERNEL" "$stage"
guest/buildinfo.sh "$stage"

# Swap: out -> build/outputs-<id>, replaced by one rename.
id=$(sha256sum "$stage/manifest.txt" | cut -c1-12)
final=$BUILD/outputs-$id
rm -rf "$final"
mv "$stage" "$final"
ln -sfn "$final" "$OUT.new"
if [ -e "$OUT" ] && [ ! -L "$OUT" ]; then
    die "$OUT exists and is not the link this build manages; move it away"
fi
mv -T "$OUT.new" "$OUT"
# Keep only the current outputs.
for old in "$BUILD"/outputs-*; do
    [ "$old" = "$final" ] || rm -rf "$old"
done
echo "built $(readlink "$OUT") in $(( $(date +%s) - t_start )) s" >&2
"$TOP/guest/size.sh"
