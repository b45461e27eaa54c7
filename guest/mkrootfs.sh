#!/bin/sh
# mkrootfs.sh DIR: assembles the root filesystem tree in DIR from the
# third-party build, the kernel's modules, our programs, rootfs-overlay/,
# regulatory.db and the selected firmware ($FIRMWARE).
set -eu
. "$(dirname "$0")/lib.sh"
R=$1
. "$BUILD/thirdparty.env"
. "$BUILD/kernel.env"
umask 022
rm -rf "$R"
mkdir -p "$R"
cd "$R"

mkdir -p bin sbin usr/bin usr/sbin usr/share lib/modules lib/firmware \
    etc/wpa_supplicant etc/hostapd dev proc sys run tmp var media/etc mnt root

# busybox and its applets, as links to the one binary.
install -m 755 "$BUSYBOX/bin/busybox" bin/busybox
grep -v '^/bin/busybox$' "$BUSYBOX/applets" | while read -r applet; do
    mkdir -p ".$(dirname "$applet")"
    ln -s /bin/busybox ".$applet"
done

# Wi-Fi daemons and iptables.
for b in wpa_supplicant wpa_cli hostapd hostapd_cli; do
    install -m 755 -s "$WPA/sbin/$b" "usr/sbin/$b"
done
install -m 755 -s "$IPTABLES/sbin/xtables-legacy-multi" usr/sbin/xtables-legacy-multi
for l in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
    ln -s xtables-legacy-multi "usr/sbin/$l"
done

# Our programs (guest/programs.list) and the files they install (*/install.list).
grep -v '^#' "$TOP/guest/programs.list" | while read -r bin dest links; do
    [ -f "$TOP/$bin" ] || die "$bin is missing: 'make programs' should have built it"
    install -m 755 "$TOP/$bin" ".$dest"
    for l in $links; do ln -s "$dest" ".$l"; done
done
for list in "$TOP"/*/install.list; do
    [ -f "$list" ] || continue
    grep -v '^#' "$list" | grep . | while read -r mode dest src target; do
        mkdir -p ".$(dirname "$dest")"
        if [ "$src" = "->" ]; then
            ln -s "$target" ".$dest"
        else
            [ -f "$TOP/$src" ] || die "$list: $src is missing"
            install -m "$mode" "$TOP/$src" ".$dest"
        fi
    done
done

# Files copied as they are (modes from the tree, owner root).
cp -a "$TOP/rootfs-overlay/." .
chmod 600 etc/shadow

# Kernel modules and the regulatory database.
cp -a "$KERNEL/modules/lib/modules/." lib/modules/
install -m 644 /lib/firmware/regulatory.db-upstream lib/firmware/regulatory.db
"$TOP/guest/firmware.sh" "$R/lib/firmware"
