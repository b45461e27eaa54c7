#!/bin/sh
# mkimages.sh ROOTFS KERNEL_DIR DEST: makes the files a Wifibox host boots.
#   wifibox-core >= 0.17 (UEFI): esp.img (FAT12, EFI/BOOT/bootx64.efi = the
#     kernel with its EFI stub and built-in command line) + root.img
#   wifibox-core <= 0.16 (grub-bhyve): vmlinuz + disk.img + grub.cfg
# plus manifest.txt: every file of the root with its size, and the sha256
# of each output. Fixed timestamps and ids: two builds are byte-identical.
set -eu
. "$(dirname "$0")/lib.sh"
R=$1 K=$2 D=$3
# The writers are the pinned ones (guest/inputs.sh), not the machine's.
. "$BUILD/inputs.env"
T=$TOOLS/run
mkdir -p "$D"

# Timestamps: mksquashfs takes SOURCE_DATE_EPOCH from the environment.
# /dev/console and /dev/null exist on the root so that the kernel can give
# process 1 its console before devtmpfs is mounted over /dev.
"$T" mksquashfs "$R" "$D/root.img" -comp xz -Xbcj x86 -noappend -all-root -no-xattrs \
    -p "/dev/console c 600 0 0 5 1" -p "/dev/null c 666 0 0 1 3" \
    -quiet -no-progress >/dev/null \
    || die "mksquashfs failed on $R"

# The ESP: FAT12 sized to the kernel with a little room, nothing else in it.
kb=$(( ($(stat -c %s "$K/bzImage") + 1023) / 1024 ))
rm -f "$D/esp.img"
"$T" mkfs.fat -C -F 12 -n WIFIBOX --invariant "$D/esp.img" $((kb + 256)) >/dev/null \
    || die "mkfs.fat failed"
# mtools stamps new directories with the current time unless told otherwise.
export MTOOLS_SKIP_CHECK=1
touch -d "@$SOURCE_DATE_EPOCH" "$K/bzImage" 2>/dev/null || true
cp "$K/bzImage" "$D/vmlinuz"
touch -d "@$SOURCE_DATE_EPOCH" "$D/vmlinuz"
faketime_mtools() { SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH "$@"; }
faketime_mtools "$T" mmd -i "$D/esp.img" ::EFI ::EFI/BOOT
faketime_mtools "$T" mcopy -m -i "$D/esp.img" "$D/vmlinuz" ::EFI/BOOT/bootx64.efi

# The legacy trio: the same kernel and root, root on the first disk.
cp "$D/root.img" "$D/disk.img"
cmdline=$(sed -n 's/^CONFIG_CMDLINE="\(.*\)"$/\1/p' "$K/config" | sed 's|root=/dev/vdb|root=/dev/vda|')
cat > "$D/grub.cfg" <<EOT
set timeout=0
linux (host)/usr/local/share/wifibox/vmlinuz $cmdline
boot
EOT

{
    echo "# wifibox-guest manifest: files of root.img (size path), then outputs (sha256)"
    (cd "$R" && find . -mindepth 1 | LC_ALL=C sort | while read -r f; do
        if [ -L "$f" ]; then echo "link ${f#.} -> $(readlink "$f")"
        elif [ -d "$f" ]; then echo "dir  ${f#.}"
        else echo "$(stat -c %s "$f") ${f#.}"; fi
    done)
    echo "# outputs"
    (cd "$D" && sha256sum esp.img root.img vmlinuz disk.img grub.cfg)
} > "$D/manifest.txt"
