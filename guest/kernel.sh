#!/bin/sh
# kernel.sh: builds our kernel from Debian's linux-source-6.12 and the
# fragments in kernel-config/, or takes it from the cache when nothing that
# goes into it changed. Writes $BUILD/kernel.env (KERNEL=dir with bzImage,
# config and modules/lib/modules/<release>/).
set -eu
. "$(dirname "$0")/lib.sh"
LOCK=$TOP/guest/thirdparty/sources.lock
FRAGMENTS=$(ls "$TOP"/kernel-config/*.config | sort)
TARBALL=/usr/src/linux-source-6.12.tar.xz

need_tool gcc build-essential
need_tool bc bc
need_tool flex flex
need_tool bison bison
need_tool depmod kmod
[ -f "$TARBALL" ] || die "$TARBALL is missing: run 'make deps' (package linux-source-6.12)"

want=$(awk '$1 == "linux-source-6.12" { print $4 }' "$LOCK")
# shellcheck disable=SC2086
key=$(cache_key "$TOP/guest/kernel.sh" "$TOP/kernel-config/check-config.sh" $FRAGMENTS -- "$want" "$(compiler_id gcc)")
out=$CACHE/kernel-$key
mkdir -p "$BUILD"
if [ -f "$out/.complete" ]; then
    note "kernel: cached ($key)"
    echo "KERNEL=$out" > "$BUILD/kernel.env"
    exit 0
fi
note "kernel: building ($key)"

# The source, unpacked once per tarball.
src=$CACHE/linux-$(echo "$want" | cut -c1-16)
if [ ! -f "$src/.complete" ]; then
    got=$(sha256sum < "$TARBALL" | cut -d' ' -f1)
    [ "$got" = "$want" ] || die "$TARBALL has sha256 $got, guest/thirdparty/sources.lock expects $want: Debian updated linux-source-6.12; check the new version and update the lock"
    rm -rf "$src"; mkdir -p "$src"
    tar -xf "$TARBALL" -C "$src" --strip-components=1
    touch "$src/.complete"
fi

# One build directory, reused so that a config change rebuilds only what it
# touches. Reproducible: fixed build identity and version counter.
kb=$CACHE/kbuild
mkdir -p "$kb"
export KBUILD_BUILD_TIMESTAMP="@$SOURCE_DATE_EPOCH" KBUILD_BUILD_USER=wifibox \
    KBUILD_BUILD_HOST=wifibox KBUILD_BUILD_VERSION=1
kmake() { make -C "$src" O="$kb" ARCH=x86_64 "$@"; }

log=$kb/build.log
: > "$log"
{
    kmake tinyconfig
    "$src/scripts/kconfig/merge_config.sh" -m -O "$kb" "$kb/.config" $FRAGMENTS
    kmake olddefconfig
} >> "$log" 2>&1 || { tail -n 20 "$log" >&2; die "kernel configuration failed; log: $log"; }
"$TOP/kernel-config/check-config.sh" "$kb/.config" $FRAGMENTS \
    || die "the kernel config lost options asked for by kernel-config/ (listed above): fix their dependencies"

kmake -j"$JOBS" bzImage modules >> "$log" 2>&1 || { tail -n 30 "$log" >&2; die "kernel build failed; log: $log"; }

stage=$CACHE/kernel-$key.tmp
rm -rf "$stage"; mkdir -p "$stage/modules"
kmake INSTALL_MOD_PATH="$stage/modules" INSTALL_MOD_STRIP=1 DEPMOD=/bin/true modules_install >> "$log" 2>&1 \
    || die "modules_install failed; log: $log"
release=$(cat "$kb/include/config/kernel.release")
rm -f "$stage/modules/lib/modules/$release/build" "$stage/modules/lib/modules/$release/source"
depmod -b "$stage/modules" "$release" || die "depmod failed for $release"
# busybox modprobe reads the text indexes; the binary ones only take space.
rm -f "$stage/modules/lib/modules/$release"/*.bin "$stage/modules/lib/modules/$release/modules.builtin.modinfo"
cp "$kb/arch/x86/boot/bzImage" "$stage/bzImage"
cp "$kb/.config" "$stage/config"
echo "$release" > "$stage/release"
touch "$stage/.complete"
rm -rf "$out"; mv "$stage" "$out"
echo "KERNEL=$out" > "$BUILD/kernel.env"
