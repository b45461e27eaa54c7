#!/bin/sh
# check-origins.sh ROOT ORIGINS: every file and link of ROOT has a recorded
# origin (guest/origins.sh), and every origin is one the lock or the tree
# accounts for:
#   the tree ($TOP), our build ($BUILD), a third-party or kernel build in
#   the cache (built from pinned sources), a pinned .deb unpacked by
#   guest/pins.sh (its name and sha256 prefix as the lock has them), or a
#   link made by the build.
# Anything else, such as /lib/firmware or /usr/share of this machine, is an
# unpinned host path, and the build stops. Prints one line per problem.
set -eu
. "$(dirname "$0")/lib.sh"
. "$TOP/guest/pins.sh"
root=$1 origins=$2
[ -d "$root" ] && [ -f "$origins" ] || die "check-origins: no root '$root' or origins '$origins'"

# The pinned .debs' unpacked trees, as pin_deb names them.
debs=$(lock_lines | awk '$4 ~ /\.deb$/ { print $1 "-" substr($5, 1, 16) }')

classify() {   # classify SOURCE: prints the origin's kind, or "HOST"
    case $1 in
    link) echo link; return ;;
    "$BUILD"/*) echo build; return ;;
    "$CACHE"/thirdparty/*|"$CACHE"/kernel-*) echo cache-build; return ;;
    "$CACHE"/debs/*)
        d=${1#"$CACHE"/debs/}; d=${d%%/*}
        if echo "$debs" | grep -qxF "$d"; then echo "deb"; else echo HOST; fi
        return ;;
    "$TOP"/*) echo tree; return ;;
    esac
    echo HOST
}

bad=0
tab=$(printf '\t')
while IFS=$tab read -r path src; do
    if [ "$(classify "$src")" = HOST ]; then
        echo "$path comes from $src, which is neither the tree, a build nor a pinned package"
        bad=1
    fi
done < "$origins"
cut -f1 "$origins" | LC_ALL=C sort -u > "$origins.paths"
(cd "$root" && find . -mindepth 1 ! -type d | sed 's|^\.||' | LC_ALL=C sort) > "$origins.files"
unrecorded=$(LC_ALL=C comm -23 "$origins.files" "$origins.paths")
rm -f "$origins.paths" "$origins.files"
if [ -n "$unrecorded" ]; then
    echo "$unrecorded" | sed 's/$/ has no recorded origin (put it in the root with guest\/origins.sh)/'
    bad=1
fi
exit $bad
