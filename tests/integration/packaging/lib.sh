# Shared by the packaging tests (sourced, not run). They run the recipes of
# APKBUILDs/ with abuild-lite (this directory), abuild's stand-in, in a
# scratch directory, against the project's warm build cache.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
here=$top/tests/integration/packaging
CACHE=${CACHE:-/var/cache/wifibox-guest}
LOCK=$top/guest/thirdparty/sources.lock
scratch=$(mktemp -d /tmp/wifibox-packaging.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

# The linux-source .deb's name, as sources.lock pins it.
linux_deb() {
    awk '!/^#/ && $1 ~ /^linux-source-/ { print $4; exit }' "$LOCK"
}

# SRCDEST for abuild-lite: the pinned Debian files the recipes name (the
# source packages and the kernel's .deb), taken from the build cache, where
# guest/pins.sh keeps them verified against sources.lock. What is missing
# is fetched with the project's own pinned fetch.
# The file names hold no blanks: word splitting is safe here.
# shellcheck disable=SC2013
srcdest() {
    d=$scratch/srcdest
    mkdir -p "$d"
    for pkg in $(awk '!/^#/ && NF == 5 && ($4 !~ /\.deb$/ || $1 ~ /^linux-source-/) { print $1 }' "$LOCK" | sort -u); do
        missing=
        for f in $(awk -v p="$pkg" '!/^#/ && $1 == p { print $4 }' "$LOCK"); do
            [ -f "$CACHE/downloads/$f" ] || missing=1
        done
        if [ -n "$missing" ]; then
            # shellcheck disable=SC2016 # expanded by the inner shell
            CACHE=$CACHE sh -c '. "$1/guest/lib.sh" && . "$1/guest/pins.sh" && pin_fetch "$2"' sh "$top" "$pkg" >/dev/null ||
                skip "cannot get the pinned files of $pkg (run 'make' first)"
        fi
        for f in $(awk -v p="$pkg" '!/^#/ && $1 == p { print $4 }' "$LOCK"); do
            ln -sf "$CACHE/downloads/$f" "$d/$f"
        done
    done
    echo "$d"
}

# run_recipe NAME: abuild-lite on APKBUILDs/NAME with warnings as errors;
# sets $pkgs (the packages' directories) and $repo (their tarballs) and
# $builddir.
run_recipe() {
    name=$1
    sd=$(srcdest)
    s=$scratch/$name
    mkdir -p "$s"
    echo "abuild-lite APKBUILDs/$name (log: $s.log)"
    if ! srcdir=$s/src pkgbasedir=$s/pkg tmpdir=$s/tmp WIFIBOX_CACHE=$CACHE \
        busybox ash "$here/abuild-lite" -W -s "$sd" -P "$s/repo" "$top/APKBUILDs/$name/APKBUILD" > "$s.log" 2>&1; then
        tail -n 40 "$s.log"
        fail "abuild-lite failed for APKBUILDs/$name"
    fi
    grep -E '^>>> ' "$s.log"
    pkgs=$s/pkg
    repo=$s/repo
    builddir=$s/src/wifibox-guest
}

# listing PKG: what the package's data tarball installs, one line per
# entry: "TYPE MODE PATH" or "l PATH -> TARGET"; directories left out.
listing() {
    tar -tvzf "$repo/$1-"[0-9]*.tar.gz | awk '
        $1 ~ /^d/ { next }
        $1 ~ /^l/ { print "l " $6 " -> " $8; next }
        { m = 0; p = substr($1, 2, 9)
          for (i = 1; i <= 9; i++) if (substr(p, i, 1) != "-") m += 2 ^ (9 - i)
          printf "f %o %s\n", m, $6 }' | LC_ALL=C sort
}

# expect_listing PKG FILE: the package installs exactly FILE's lines.
expect_listing() {
    listing "$1" > "$scratch/.got"
    [ -s "$scratch/.got" ] || fail "$1 installs nothing"
    LC_ALL=C sort "$2" > "$scratch/.want"
    if ! diff -u "$scratch/.want" "$scratch/.got"; then
        fail "$1 does not install what it should (- expected, + packaged)"
    fi
    echo "$1: $(wc -l < "$scratch/.got") entries as expected"
}

# expected_program PROGRAM FOLDER: the image's files for one of our
# programs, from guest/programs.list and FOLDER/install.list, the lists
# guest/mkrootfs.sh installs from.
expected_program() {
    grep -v '^#' "$builddir/guest/programs.list" | awk -v b="build/musl/bin/$1" '$1 == b {
        print "f 755 " substr($2, 2)
        for (i = 3; i <= NF; i++) print "l " substr($i, 2) " -> " $2 }'
    if [ -f "$builddir/$2/install.list" ]; then
        grep -v '^#' "$builddir/$2/install.list" | awk 'NF >= 3 {
            if ($3 == "->") print "l " substr($2, 2) " -> " $4
            else print "f " $1 + 0 " " substr($2, 2) }'
    fi
}

# same_content PKG PATH FILE: the packaged file is FILE, byte for byte
# (man pages: gzipped by the doc split, compared unzipped).
same_content() {
    f=$pkgs/$1/$2
    case $2 in
    *.gz) gunzip -c "$f" | cmp -s - "$3" || fail "$1: $2 is not $3 gzipped" ;;
    *) cmp -s "$f" "$3" || fail "$1: $2 is not $3" ;;
    esac
}

pkginfo() { sed -n "s/^$2 = //p" "$repo/$1-"[0-9]*.PKGINFO; }
