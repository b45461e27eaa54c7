#!/bin/sh
# mkroot.sh DEST: the bench's reference guest (see rc) as an out/-like
# directory DEST: root.img is the built root ($BUILD/rootfs) with rc as
# /sbin/init, the reference's files under /etc/ref and iptables-restore
# (the pinned iptables build's xtables-legacy-multi); vmlinuz, esp.img,
# disk.img and grub.cfg are links to the built ones in $OUT. Made with
# the build's pinned mksquashfs. Bench only: it never ships.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
BUILD=${BUILD:-$top/build} OUT=${OUT:-$top/out}
dest=$1
die() { echo "mkroot.sh: $*" >&2; exit 1; }
[ -d "$BUILD/rootfs" ] && [ -f "$OUT/root.img" ] || die "build the image first (make)"
. "$BUILD/inputs.env"
. "$BUILD/thirdparty.env"
root=$dest/rootfs
rm -rf "$dest" && mkdir -p "$dest"
cp -a "$BUILD/rootfs" "$root"
rm -f "$root/sbin/init"
install -m 755 "$here/rc" "$root/sbin/init"
mkdir -p "$root/etc/ref"
install -m 755 "$here/udhcpc.script" "$here/udhcpd.sh" "$root/etc/ref/"
install -m 644 "$here/iptables.rules" "$here/udhcpd.conf" "$root/etc/ref/"
install -m 755 "$IPTABLES/sbin/xtables-legacy-multi" "$root/usr/sbin/xtables-legacy-multi"
"$TOOLS/run" mksquashfs "$root" "$dest/root.img" -comp xz -Xbcj x86 -noappend -all-root \
    -no-xattrs -p "/dev/console c 600 0 0 5 1" -p "/dev/null c 666 0 0 1 3" \
    -quiet -no-progress > /dev/null || die "mksquashfs failed"
for f in vmlinuz esp.img disk.img grub.cfg; do ln -s "$OUT/$f" "$dest/$f"; done
rm -rf "$root"
echo "$dest"
