#!/bin/sh
# The recipes' sources are the pinned ones, and their sha512sums match them:
#  - every remote source is a file of guest/thirdparty/sources.lock (the
#    source packages, and the linux-source .deb that carries the kernel
#    tarball), at the URL of Debian's archive where apt says it lives;
#  - a recipe that runs the third-party build lists all of the lock's
#    source packages; one that builds the kernel lists the .deb;
#  - abuild-lite's validate and fetch (abuild's checks: one checksum per
#    source, each sha512 matching, in order) pass against the files, whose
#    sha256 are first checked against the lock.
# shellcheck source=tests/integration/packaging/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$top" || exit 1
sd=$(srcdest)
# shellcheck source=guest/lib.sh
. "$top/guest/lib.sh"
# shellcheck source=guest/pins.sh
. "$top/guest/pins.sh"

# The files themselves are the pinned ones.
awk '!/^#/ && NF == 5 && ($4 !~ /\.deb$/ || $1 ~ /^linux-source-/) { print $5 "  " $4 }' "$LOCK" > "$scratch/lock.sha256"
(cd "$sd" && sha256sum -c --quiet "$scratch/lock.sha256") || fail "files in the build cache differ from sources.lock"
deb=$(linux_deb)

# Where Debian's archive has a file, from the build's own apt lists.
url_of() {   # url_of FILE
    pkg=$(awk -v f="$1" '!/^#/ && $4 == f { print $1 }' "$LOCK")
    ver=$(awk -v f="$1" '!/^#/ && $4 == f { print $2 }' "$LOCK")
    case $1 in
    *.deb)
        p=$(papt apt-cache show "$pkg=$ver" 2>/dev/null | sed -n 's/^Filename: //p' | head -n 1) ;;
    *)
        dir=$(papt apt-cache showsrc "$pkg" 2>/dev/null | awk -v v="$ver" '
            /^Version:/ { ok = ($2 == v) } /^Directory:/ && ok { print $2; exit }')
        p=${dir:+$dir/$1} ;;
    esac
    [ -n "$p" ] || return 1
    case $p in
    pool/updates/*) echo "https://deb.debian.org/debian-security/$p" ;;
    *) echo "https://deb.debian.org/debian/$p" ;;
    esac
}

lockfiles=$(awk '!/^#/ && NF == 5 && $4 !~ /\.deb$/ { print $4 }' "$LOCK" | sort)
bad=0
for r in APKBUILDs/*/APKBUILD; do
    name=$(basename "$(dirname "$r")")
    before=$bad bad=0
    # What abuild would fetch: the APKBUILD sourced as abuild does.
    # shellcheck disable=SC2016
    remote=$(startdir="$top/APKBUILDs/$name" srcdir=/nonexistent sh -c '. "$1"
        for s in $source; do case ${s#*::} in http://*|https://*) echo "${s%%::*}" ;; esac; done' sh "./$r")
    files=$(for s in $remote; do echo "${s##*/}"; done | sort)
    for s in $remote; do
        f=${s##*/}
        if [ "$f" != "$deb" ] && ! echo "$lockfiles" | grep -qxF "$f"; then
            echo "$r: $f is not pinned in guest/thirdparty/sources.lock"; bad=1; continue
        fi
        if u=$(url_of "$f"); then
            [ "$s" = "$u" ] || { echo "$r: $f: URL $s, but Debian has it at $u"; bad=1; }
        else
            echo "$r: $f: apt does not know where Debian keeps it (no deb-src index?): URL not checked"
        fi
    done
    if grep -q -e 'guest/thirdparty/build.sh' -e 'make -o deps image' "$r"; then
        missing=$(echo "$lockfiles" | while read -r f; do echo "$files" | grep -qxF "$f" || echo "$f"; done)
        [ -z "$missing" ] || { echo "$r: runs the third-party build without: $(echo "$missing" | tr '\n' ' ')"; bad=1; }
    fi
    if grep -q -e 'guest/kernel.sh' -e 'make -o deps image' "$r"; then
        echo "$files" | grep -qxF "$deb" || { echo "$r: builds the kernel without $deb"; bad=1; }
    fi
    out=$(srcdir=$scratch/v-$name/src pkgbasedir=$scratch/v-$name/pkg tmpdir=$scratch/v-$name/tmp \
        busybox ash "$here/abuild-lite" -W -s "$sd" "$top/$r" validate fetch 2>&1) ||
        { echo "$out"; echo "$r: validate or fetch failed"; bad=1; }
    [ $bad = 1 ] || echo "$r: $(echo "$remote" | grep -c . ) remote sources pinned and verified"
    [ $before = 0 ] || bad=1
done
exit $bad
