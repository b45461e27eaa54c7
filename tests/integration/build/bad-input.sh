#!/bin/sh
# The build's bad-input promises, on a clean clone sharing the cache:
#  - a source whose checksum differs from sources.lock stops the build
#    with one clear line naming the package;
#  - a pinned version the mirror no longer has stops it with one line that
#    names the package, the versions on offer and the bump command;
#  - an unknown FIRMWARE family stops it with the list of known ones;
#  - a build that fails leaves the previous out/ exactly as it was.
set -eu
top=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d /tmp/wifibox-badinput.XXXXXX)
trap 'rm -rf "$work"' EXIT
# A clean clone: what is committed, not the working tree.
mkdir -p "$work/src" && git -C "$top" archive HEAD | tar xf - -C "$work/src"
cd "$work/src"
export BUILD="$work/src/build" OUT="$work/src/out"
fail() { echo "FAILED: $*"; exit 1; }

# A good build first: the outputs a later failure must not disturb.
guest/build.sh > "$work/good.log" 2>&1 || { tail -n 20 "$work/good.log"; fail "the good build failed"; }
before=$(cd out/ && sha256sum esp.img root.img)

# 1. A checksum mismatch, in a cache of our own so the shared one is untouched.
sed -i 's/^\(busybox .* busybox_1.35.0.orig.tar.bz2\) [0-9a-f]*$/\1 0000000000000000000000000000000000000000000000000000000000000000/' \
    guest/thirdparty/sources.lock
if CACHE=$work/cache guest/thirdparty/fetch.sh busybox "$work/bb" > "$work/mismatch.log" 2>&1; then
    fail "fetch accepted a source whose checksum differs from the lock"
fi
grep -q '^error: checksum mismatch for busybox=1:1.35.0-4+deb12u1: busybox_1.35.0.orig.tar.bz2 differs from guest/thirdparty/sources.lock; refusing to build$' \
    "$work/mismatch.log" || { cat "$work/mismatch.log"; fail "no clear checksum message"; }
[ ! -d "$work/bb" ] || fail "a mismatching source was unpacked"
# Nothing of the refused download stays in the cache, where the next fetch
# (below, with a version the mirror lacks) would find it and look no further.
[ -z "$(ls "$work/cache/downloads")" ] || fail "a refused download was kept: $(ls "$work/cache/downloads")"
git -C "$top" show HEAD:guest/thirdparty/sources.lock > guest/thirdparty/sources.lock

# 2. A pinned version that is gone from the mirror.
sed -i 's/^busybox 1:1.35.0-4+deb12u1 /busybox 1:1.35.0-4+deb12u99 /' guest/thirdparty/sources.lock
if CACHE=$work/cache guest/thirdparty/fetch.sh busybox "$work/bb" > "$work/gone.log" 2>&1; then
    fail "fetch accepted a version the mirror does not have"
fi
grep -q "^error: busybox=1:1.35.0-4+deb12u99 (pinned in guest/thirdparty/sources.lock) is not on the mirror, which offers: 1:1.35.0-4+deb12u1; to pin the newest: make update-lock PKGS=busybox$" \
    "$work/gone.log" || { cat "$work/gone.log"; fail "no clear message for a version gone from the mirror"; }
[ "$(grep -c '^error:' "$work/gone.log")" = 1 ] || fail "more than one error line for a version gone from the mirror"
git -C "$top" show HEAD:guest/thirdparty/sources.lock > guest/thirdparty/sources.lock

# 3. An unknown firmware family.
if FIRMWARE=iwlwifi,nosuchcard guest/build.sh > "$work/fw.log" 2>&1; then
    fail "an unknown firmware family was accepted"
fi
grep -q "FIRMWARE: unknown family 'nosuchcard'; known: all, iwlwifi," "$work/fw.log" \
    || { tail -n 5 "$work/fw.log"; fail "no clear firmware message"; }

# 4. The failures left the previous outputs as they were.
after=$(cd out/ && sha256sum esp.img root.img)
[ "$before" = "$after" ] || fail "a failed build changed out/"
echo "bad input stops the build clearly; out/ untouched"
