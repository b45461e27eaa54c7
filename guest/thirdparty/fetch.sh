#!/bin/sh
# fetch.sh PACKAGE DEST: gets PACKAGE's pinned Debian source package (see
# sources.lock) into the download cache, refuses any checksum mismatch,
# and unpacks it, Debian patches applied, into DEST.
set -eu
. "$(dirname "$0")/../lib.sh"
pkg=$1 dest=$2
lock=$TOP/guest/thirdparty/sources.lock
dl=$CACHE/downloads
mkdir -p "$dl"

entries=$(awk -v p="$pkg" '$1 == p' "$lock")
[ -n "$entries" ] || die "$lock: no entry for source package '$pkg'"
version=$(echo "$entries" | awk 'NR == 1 { print $2 }')

verify() {   # prints the names of missing or mismatching files
    echo "$entries" | while read -r _ _ file sum; do
        [ -f "$dl/$file" ] && [ "$(sha256sum < "$dl/$file" | cut -d' ' -f1)" = "$sum" ] || echo "$file"
    done
}

if [ -n "$(verify)" ]; then
    need_tool apt-get apt
    note "fetching $pkg=$version"
    tmp=$(mktemp -d "$dl/.fetch.XXXXXX")
    if ! (cd "$tmp" && apt-get source --download-only -qq -o APT::Sandbox::User=root "$pkg=$version" >/dev/null 2>"$tmp/.err"); then
        sed 's/^/  apt: /' "$tmp/.err" >&2
        rm -rf "$tmp"
        die "cannot download source package $pkg=$version: run 'make deps' (it enables deb-src); if Debian no longer carries this version, update guest/thirdparty/sources.lock"
    fi
    for f in "$tmp"/*; do
        [ "$f" = "$tmp/*" ] || mv -f "$f" "$dl/"
    done
    rm -rf "$tmp"
    bad=$(verify)
    [ -z "$bad" ] || die "checksum mismatch for $pkg=$version: $(echo $bad) differs from guest/thirdparty/sources.lock; refusing to build"
fi

rm -rf "$dest"
dsc=$(echo "$entries" | awk '$3 ~ /\.dsc$/ { print $3 }')
dpkg-source --no-check -x "$dl/$dsc" "$dest" >/dev/null || die "dpkg-source could not unpack $dl/$dsc"
