# Pinned inputs: every file that goes into the image from Debian is named
# by exact version and sha256 in guest/thirdparty/sources.lock, fetched
# through an apt configuration of our own under $CACHE/apt (its own sources
# list, lists and archives), and never taken from what the machine has
# installed. Sourced after lib.sh, not run.
#
# Lock lines:  PACKAGE VERSION SUITE FILE SHA256
#   FILE *.deb: a binary package, unpacked with dpkg-deb;
#   otherwise:  one file of a source package (its .dsc, tarballs).

LOCK=$TOP/guest/thirdparty/sources.lock
LOCK_NAME=guest/thirdparty/sources.lock
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
KEYRING=${DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
APTDIR=$CACHE/apt
DOWNLOADS=$CACHE/downloads

lock_lines() {   # lock_lines [PACKAGE]: the lock without comments
    awk -v p="${1:-}" '!/^#/ && NF == 5 && (p == "" || $1 == p)' "$LOCK"
}

# The kernel's source package (linux-source-X.Y) and its pinned sha256.
kernel_pkg() { lock_lines | awk '$1 ~ /^linux-source-/ { print $1; exit }'; }
kernel_sum() { lock_lines "$(kernel_pkg)" | awk '{ print $5 }'; }

lock_version() { lock_lines "$1" | awk 'NR == 1 { print $2 }'; }

# The suites a lock needs, as "deb SUITE" / "deb-src SUITE" lines.
lock_suites() {
    lock_lines | awk '{ print ($4 ~ /\.deb$/ ? "deb " : "deb-src ") $3 }' | LC_ALL=C sort -u
}

suite_url() {   # suite_url SUITE: the archive that carries SUITE
    case $1 in
    *-security) echo "$SECURITY_MIRROR" ;;
    *) echo "$MIRROR" ;;
    esac
}

# apt_use "TYPE SUITE" lines on stdin: our sources list holds exactly these,
# and the lists are fetched again when it changed.
apt_use() {
    mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial"
    [ -f "$APTDIR/status" ] || : > "$APTDIR/status"
    [ -f "$KEYRING" ] || die "$KEYRING is missing: run 'make deps' (package debian-archive-keyring)"
    while read -r type suite; do
        echo "$type [signed-by=$KEYRING] $(suite_url "$suite") $suite main non-free-firmware"
    done > "$APTDIR/sources.list.new"
    if cmp -s "$APTDIR/sources.list.new" "$APTDIR/sources.list"; then
        rm -f "$APTDIR/sources.list.new"
    else
        mv "$APTDIR/sources.list.new" "$APTDIR/sources.list"
        rm -f "$APTDIR/.updated"
    fi
}

# papt CMD ARGS: apt-get or apt-cache on our configuration only. The
# machine's sources, preferences and installed packages play no part.
papt() {
    _cmd=$1; shift
    "$_cmd" -o Dir::Etc::SourceList="$APTDIR/sources.list" -o Dir::Etc::SourceParts=/dev/null \
        -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null \
        -o Dir::State::Lists="$APTDIR/lists" -o Dir::State::status="$APTDIR/status" \
        -o Dir::Cache="$APTDIR" -o Dir::Cache::archives="$APTDIR/archives" \
        -o Acquire::Languages=none -o APT::Architectures=amd64 -o APT::Sandbox::User=root "$@"
}

apt_update() {   # apt_update [force]: fetches the lists when they are stale
    [ "${1:-}" != force ] && [ -f "$APTDIR/.updated" ] && return 0
    need_tool apt-get apt
    note "apt: fetching the package lists of $(awk '{ print $4 }' "$APTDIR/sources.list" | sort -u | tr '\n' ' ')"
    papt apt-get update -qq > "$APTDIR/update.log" 2>&1 \
        || { sed 's/^/  apt: /' "$APTDIR/update.log" >&2; die "apt-get update failed on our lists ($APTDIR/sources.list): is $MIRROR reachable?"; }
    touch "$APTDIR/.updated"
}

sha256_of() { sha256sum < "$1" | cut -d' ' -f1; }

pin_missing() {   # pin_missing PACKAGE [DIR]: files not in DIR (the cache), or not as pinned
    _dir=${2:-$DOWNLOADS}
    lock_lines "$1" | while read -r _ _ _ file sum; do
        [ -f "$_dir/$file" ] && [ "$(sha256_of "$_dir/$file")" = "$sum" ] || echo "$file"
    done
}

# Versions of PACKAGE the mirror offers, newest first (binary or source).
mirror_versions() {
    case $2 in
    *.deb) papt apt-cache madison "$1" 2>/dev/null | awk -F' [|] ' '$3 ~ /Packages$/ { gsub(/ /, "", $2); print $2 }' ;;
    *) papt apt-cache madison "$1" 2>/dev/null | awk -F' [|] ' '$3 ~ /Sources$/ { gsub(/ /, "", $2); print $2 }' ;;
    esac | sort -u | sort -r -V | tr '\n' ' ' | sed 's/ $//'
}

# pin_download PACKAGE VERSION FILE: into $1's temporary directory $tmp.
pin_download() {
    case $3 in
    *.deb) (cd "$tmp" && papt apt-get download -qq "$1=$2") ;;
    *) (cd "$tmp" && papt apt-get source --download-only -qq "$1=$2") ;;
    esac > "$tmp/.log" 2>&1
}

# pin_fetch PACKAGE: every file the lock names for PACKAGE is in
# $DOWNLOADS with the pinned sha256, or the build stops saying why.
pin_fetch() {
    pkg=$1
    [ -n "$(lock_lines "$pkg")" ] || die "$LOCK_NAME: no entry for '$pkg'"
    [ -n "$(pin_missing "$pkg")" ] || return 0
    version=$(lock_version "$pkg")
    first=$(lock_lines "$pkg" | awk 'NR == 1 { print $4 }')
    mkdir -p "$DOWNLOADS"
    lock_suites | apt_use
    apt_update
    note "fetching $pkg=$version"
    tmp=$(mktemp -d "$DOWNLOADS/.fetch.XXXXXX")
    if ! pin_download "$pkg" "$version" "$first"; then
        # The lists may be older than a change on the mirror: once more, fresh.
        apt_update force
        if ! pin_download "$pkg" "$version" "$first"; then
            offered=$(mirror_versions "$pkg" "$first")
            case " $offered " in
            *" $version "*)
                sed 's/^/  apt: /' "$tmp/.log" >&2
                rm -rf "$tmp"
                die "cannot download $pkg=$version from $(suite_url "$(lock_lines "$pkg" | awk 'NR == 1 { print $3 }')") (apt's messages above)" ;;
            esac
            rm -rf "$tmp"
            die "$pkg=$version (pinned in $LOCK_NAME) is not on the mirror, which offers: ${offered:-nothing}; to pin the newest: make update-lock PKGS=$pkg"
        fi
    fi
    # Checked before anything enters the cache: a download that differs
    # from the lock leaves no file behind that a later fetch could take.
    bad=$(pin_missing "$pkg" "$tmp")
    if [ -n "$bad" ]; then
        rm -rf "$tmp"
        die "checksum mismatch for $pkg=$version: $(echo $bad) differs from $LOCK_NAME; refusing to build"
    fi
    lock_lines "$pkg" | while read -r _ _ _ file _; do mv -f "$tmp/$file" "$DOWNLOADS/"; done
    rm -rf "$tmp"
}

# pin_deb PACKAGE: unpacks the pinned .deb once into the cache and prints
# where. Absolute links inside it are made relative, so that they stay in
# the unpacked tree.
pin_deb() {
    pin_fetch "$1"
    set -- "$1" "$(lock_lines "$1" | awk '$4 ~ /\.deb$/ { print $4, $5; exit }')"
    file=${2% *} sum=${2#* }
    tree=$CACHE/debs/$1-$(echo "$sum" | cut -c1-16)
    if [ ! -f "$tree/.complete" ]; then
        need_tool dpkg-deb dpkg
        rm -rf "$tree" && mkdir -p "$tree"
        dpkg-deb -x "$DOWNLOADS/$file" "$tree" || die "dpkg-deb could not unpack $DOWNLOADS/$file"
        find "$tree" -type l | while read -r l; do
            t=$(readlink "$l")
            case $t in /*) ln -sfn "$(relative_to "$(dirname "${l#"$tree"}")" "$t")" "$l" ;; esac
        done
        touch "$tree/.complete"
    fi
    echo "$tree"
}

relative_to() {   # relative_to DIR TARGET: TARGET (absolute) as seen from DIR
    case $1 in
    /) _up=./ ;;
    *) _up=$(echo "$1" | sed 's|/[^/]*|../|g') ;;
    esac
    echo "$_up${2#/}"
}
