#!/bin/sh
# wpa: wpa_supplicant, wpa_cli, hostapd, hostapd_cli (static, musl,
# nl80211, wolfSSL or OpenSSL: WPA_TLS) and libwpa_client.a (wpa_ctrl) for netd.
set -eu
cd "$SRC"
# Our fixes to wpa's wolfSSL glue; each patch's header says why.
for p in "$HERE"/patches/wpa/*.patch; do patch -p1 < "$p"; done
# WPA_TLS=openssl (build.sh): the same programs on OpenSSL, for measuring.
case $WPA_TLS in
openssl) tls_dir=$OPENSSL ;;
*) tls_dir=$WOLFSSL ;;
esac
paths="CC=musl-gcc
CFLAGS += -Os -ffunction-sections -fdata-sections -I$tls_dir/include -I$KHDR/include -ffile-prefix-map=$SRC=wpa -ffile-prefix-map=$CACHE=cache
LDFLAGS += -static -Wl,--gc-sections -L$tls_dir/lib -L$LIBNL/lib
LIBNL_INC=$LIBNL/include/libnl3
CONFIG_TLS=$WPA_TLS"
{ cat "$HERE/wpa_supplicant.config"; echo "$paths"; } > wpa_supplicant/.config
{ cat "$HERE/hostapd.config"; echo "$paths"; } > hostapd/.config
make -C wpa_supplicant -j"$JOBS" wpa_supplicant wpa_cli libwpa_client.a >/dev/null
make -C hostapd -j"$JOBS" hostapd hostapd_cli >/dev/null
mkdir -p "$PREFIX/sbin" "$PREFIX/lib" "$PREFIX/include"
for b in wpa_supplicant/wpa_supplicant wpa_supplicant/wpa_cli hostapd/hostapd hostapd/hostapd_cli; do
    install -m 755 "$b" "$PREFIX/sbin/"
done
install -m 644 wpa_supplicant/libwpa_client.a "$PREFIX/lib/"
install -m 644 src/common/wpa_ctrl.h "$PREFIX/include/"
