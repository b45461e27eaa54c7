#!/bin/sh
# fetch.sh PACKAGE DEST: gets PACKAGE's pinned Debian source package (see
# sources.lock) into the download cache, refuses any checksum mismatch,
# and unpacks it, Debian patches applied, into DEST.
set -eu
. "$(dirname "$0")/../lib.sh"
. "$TOP/guest/pins.sh"
pkg=$1 dest=$2
pin_fetch "$pkg"
need_tool dpkg-source dpkg-dev
rm -rf "$dest"
dsc=$(lock_lines "$pkg" | awk '$4 ~ /\.dsc$/ { print $4 }')
[ -n "$dsc" ] || die "$LOCK_NAME: '$pkg' is not a source package (no .dsc)"
dpkg-source --no-check -x "$DOWNLOADS/$dsc" "$dest" >/dev/null || die "dpkg-source could not unpack $DOWNLOADS/$dsc"
