#!/bin/sh
# inputs.sh: the build's first stage. Fetches every pinned input this build
# needs (guest/thirdparty/sources.lock), verifies it, unpacks what later
# stages read, and writes $BUILD/inputs.env:
#   KSRC    the kernel source tree, from the pinned linux-source .deb
#   REGDB   the pinned wireless-regdb's regulatory.db
#   TOOLS   the pinned image tools; run them as "$TOOLS/run mksquashfs ..."
# Card firmware is fetched by guest/firmware.sh, only for the families
# FIRMWARE= selects.
set -eu
. "$(dirname "$0")/lib.sh"
. "$TOP/guest/pins.sh"
mkdir -p "$BUILD" "$CACHE"

IMAGE_TOOLS="squashfs-tools dosfstools mtools kmod liblzma5 liblz4-1 liblzo2-2 libzstd1 zlib1g libssl3"

# Source packages of the third-party userland: fetched and verified now,
# unpacked by guest/thirdparty/fetch.sh when one is (re)built.
for pkg in $(lock_lines | awk '$4 ~ /\.dsc$/ { print $1 }'); do
    pin_fetch "$pkg"
done

# The kernel source, unpacked once per pinned .deb.
kpkg=$(kernel_pkg)
[ -n "$kpkg" ] || die "$LOCK_NAME pins no linux-source-X.Y package"
kdeb=$(lock_lines "$kpkg" | awk '{ print $4 }')
ksum=$(kernel_sum)
pin_fetch "$kpkg"
# Our kernel patches (kernel-config/patches/, each one's header says why)
# are applied here, exactly or not at all: the tree is keyed by both.
patches=$(find "$TOP/kernel-config/patches" -name '*.patch' 2>/dev/null | LC_ALL=C sort)
# shellcheck disable=SC2086 # a list of paths
ksrc=$CACHE/linux-$(echo "$ksum" | cut -c1-16)-$(cache_key $patches -- "$ksum" | cut -c1-8)
if [ ! -f "$ksrc/.complete" ]; then
    note "unpacking the kernel source of $kdeb"
    rm -rf "$ksrc" && mkdir -p "$ksrc"
    dpkg-deb --fsys-tarfile "$DOWNLOADS/$kdeb" | tar -xO "./usr/src/$kpkg.tar.xz" |
        tar -xJ -C "$ksrc" --strip-components=1 || die "cannot unpack the kernel source from $DOWNLOADS/$kdeb"
    for p in $patches; do
        patch -p1 -N --fuzz=0 --no-backup-if-mismatch -d "$ksrc" < "$p" > "$ksrc.patch.log" 2>&1 ||
            { sed 's/^/  patch: /' "$ksrc.patch.log" >&2; die "${p#"$TOP"/} does not apply to $kpkg=$(lock_version "$kpkg"): update the patch for this kernel"; }
    done
    rm -f "$ksrc.patch.log"
    touch "$ksrc/.complete"
fi

regdb=$(pin_deb wireless-regdb)/lib/firmware/regulatory.db-upstream
[ -f "$regdb" ] || die "the pinned wireless-regdb has no lib/firmware/regulatory.db-upstream"

# The image tools and their libraries in one tree, keyed by their pins.
tkey=$(for p in $IMAGE_TOOLS; do lock_lines "$p"; done | sha256sum | cut -c1-16)
tools=$CACHE/tools-$tkey
if [ ! -f "$tools/.complete" ]; then
    rm -rf "$tools" && mkdir -p "$tools"
    for p in $IMAGE_TOOLS; do
        tree=$(pin_deb "$p")
        cp -a "$tree/." "$tools/"
    done
    rm -f "$tools/.complete"
    cat > "$tools/run" <<'EOT'
#!/bin/sh
# run CMD ARGS: CMD from these pinned packages, with their libraries.
d=$(dirname "$0")
for p in usr/bin usr/sbin bin sbin; do
    if [ -x "$d/$p/$1" ]; then
        c=$1; shift
        LD_LIBRARY_PATH=$d/lib/x86_64-linux-gnu:$d/usr/lib/x86_64-linux-gnu exec "$d/$p/$c" "$@"
    fi
done
echo "error: $1 is not among the pinned image tools in $d" >&2
exit 127
EOT
    chmod 755 "$tools/run"
    "$tools/run" mksquashfs -version >/dev/null 2>&1 || die "the pinned mksquashfs does not run on this machine"
    touch "$tools/.complete"
fi

cat > "$BUILD/inputs.env.tmp" <<EOT
KSRC=$ksrc
REGDB=$regdb
TOOLS=$tools
EOT
mv "$BUILD/inputs.env.tmp" "$BUILD/inputs.env"
