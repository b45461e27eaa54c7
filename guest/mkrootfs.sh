#!/bin/sh
# mkrootfs.sh DIR: assembles the root filesystem tree in DIR from the
# third-party build, the kernel's modules, our programs, rootfs-overlay/,
# the pinned regulatory.db and CA bundle, and the selected firmware
# ($FIRMWARE). Every file goes in through guest/origins.sh, and the root
# is refused if one came from anywhere but the tree, a build or a pinned
# package.
set -eu
. "$(dirname "$0")/lib.sh"
. "$TOP/guest/origins.sh"
R=$1
. "$BUILD/inputs.env"
. "$BUILD/thirdparty.env"
. "$BUILD/kernel.env"
ORIGINS=$BUILD/rootfs.origins
export ORIGINS
umask 022
rm -rf "$R"
mkdir -p "$R"
: > "$ORIGINS"
cd "$R"

mkdir -p bin sbin usr/bin usr/sbin usr/share lib/modules lib/firmware \
    etc/wpa_supplicant etc/hostapd dev proc sys run tmp var media/etc mnt root

# busybox and its applets, as links to the one binary.
put_file 755 "$BUSYBOX/bin/busybox" /bin/busybox
grep -v '^/bin/busybox$' "$BUSYBOX/applets" | while read -r applet; do
    put_link /bin/busybox "$applet"
done

# Wi-Fi daemons, iw and iptables (stripped here, so from a copy in the build).
mkdir -p "$BUILD/stripped"
for b in wpa_supplicant wpa_cli hostapd hostapd_cli; do
    install -m 755 -s "$WPA/sbin/$b" "$BUILD/stripped/$b"
    put_file 755 "$BUILD/stripped/$b" "/usr/sbin/$b"
done
install -m 755 -s "$IW/sbin/iw" "$BUILD/stripped/iw"
put_file 755 "$BUILD/stripped/iw" /usr/sbin/iw
install -m 755 -s "$DNSMASQ/sbin/dnsmasq" "$BUILD/stripped/dnsmasq"
put_file 755 "$BUILD/stripped/dnsmasq" /usr/sbin/dnsmasq
install -m 755 -s "$IPTABLES/sbin/xtables-legacy-multi" "$BUILD/stripped/xtables-legacy-multi"
put_file 755 "$BUILD/stripped/xtables-legacy-multi" /usr/sbin/xtables-legacy-multi
for l in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
    put_link xtables-legacy-multi "/usr/sbin/$l"
done

# Our programs (guest/programs.list) and the files they install (*/install.list).
grep -v '^#' "$TOP/guest/programs.list" | while read -r bin dest links; do
    [ -f "$TOP/$bin" ] || die "$bin is missing: 'make programs' should have built it"
    put_file 755 "$TOP/$bin" "$dest"
    for l in $links; do put_link "$dest" "$l"; done
done
for list in "$TOP"/*/install.list; do
    [ -f "$list" ] || continue
    grep -v '^#' "$list" | grep . | while read -r mode dest src target; do
        if [ "$src" = "->" ]; then
            put_link "$target" "$dest"
        else
            [ -f "$TOP/$src" ] || die "$list: $src is missing"
            put_file "$mode" "$TOP/$src" "$dest"
        fi
    done
done

# Files copied as they are (modes from the tree, owner root).
put_tree "$TOP/rootfs-overlay" /
chmod 600 etc/shadow

# Kernel modules, the regulatory database and card firmware: pinned.
put_tree "$KERNEL/modules/lib/modules" /lib/modules
put_file 644 "$REGDB" /lib/firmware/regulatory.db

# The system CA bundle, for ca_cert="/etc/ssl/certs/ca-certificates.crt"
# (802.1X with a public CA and domain_suffix_match): every certificate of
# the pinned ca-certificates, concatenated in name order, as Debian's
# update-ca-certificates makes it by default. 148 certificates, 217 KiB,
# about 0.12 MiB in the compressed root.
. "$TOP/guest/pins.sh"
cas=$(pin_deb ca-certificates)/usr/share/ca-certificates/mozilla
find "$cas" -name '*.crt' | LC_ALL=C sort | xargs cat > "$BUILD/ca-certificates.crt"
[ -s "$BUILD/ca-certificates.crt" ] || die "no certificates in $cas"
put_file 644 "$BUILD/ca-certificates.crt" /etc/ssl/certs/ca-certificates.crt
"$TOP/guest/firmware.sh" "$R"
"$TOP/guest/check-firmware.sh" "$R" >&2

"$TOP/guest/check-origins.sh" "$R" "$ORIGINS" >&2 \
    || die "the root holds files from unpinned places (listed above): take them from the tree, a build or a package pinned in guest/thirdparty/sources.lock"
