#!/bin/sh
# Every APKBUILD passes `shellcheck -s sh`, read as abuild reads it: with
# the variables abuild sets before sourcing it declared first (startdir,
# srcdir, pkgdir, CARCH ...) and the ones abuild reads afterwards (pkgname,
# source, sha512sums ...) used after it, so that neither side is reported
# as unassigned or unused. Line numbers are the APKBUILD's own.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
command -v shellcheck >/dev/null || { echo "shellcheck is missing: run 'make deps'"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/before" <<'PRE'
# shellcheck shell=sh
# What abuild sets before it sources an APKBUILD, and gives it.
export startdir=/aports/x srcdir=/aports/x/src pkgbasedir=/aports/x/pkg tmpdir=/aports/x/tmp
export pkgdir=/aports/x/pkg/x subpkgdir=/aports/x/pkg/x-doc subpkgname=x-doc
export SRCDEST=/var/cache/distfiles REPODEST=/home/user/packages
export CARCH=x86_64 CHOST=x86_64-alpine-linux-musl CBUILD=x86_64-alpine-linux-musl CTARGET=x86_64-alpine-linux-musl
export JOBS=2 MAKEFLAGS=-j2 CFLAGS=-Os CXXFLAGS=-Os CPPFLAGS=-Os LDFLAGS=-Wl,--as-needed SOURCE_DATE_EPOCH=0
PRE
cat > "$tmp/after" <<'POST'
# What abuild reads from it.
: "${pkgname:-}" "${pkgver:-}" "${pkgrel:-}" "${pkgdesc:-}" "${url:-}" "${arch:-}" "${license:-}"
: "${depends:-}" "${makedepends:-}" "${checkdepends:-}" "${subpackages:-}" "${source:-}" "${sha512sums:-}"
: "${options:-}" "${replaces:-}" "${provides:-}" "${install:-}" "${triggers:-}" "${builddir:-}"
POST
offset=$(wc -l < "$tmp/before")

bad=0 n=0
for r in "$top"/APKBUILDs/*/APKBUILD; do
    n=$((n + 1))
    rel=${r#"$top"/}
    cat "$tmp/before" "$r" "$tmp/after" > "$tmp/APKBUILD"
    if ! shellcheck -s sh -f gcc "$tmp/APKBUILD" > "$tmp/out" 2>&1; then
        awk -F: -v f="$rel" -v o="$offset" '{ $1 = f; $2 = $2 - o; print }' OFS=: "$tmp/out"
        bad=1
    fi
done
[ "$n" -gt 0 ] || { echo "no APKBUILDs/*/APKBUILD"; exit 1; }
[ $bad = 0 ] && echo "$n recipes clean"
exit $bad
