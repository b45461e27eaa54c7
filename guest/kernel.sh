#!/bin/sh
# kernel.sh: builds our kernel from Debian's linux-source-6.12 (pinned) and the
# fragments in kernel-config/, or takes it from the cache when nothing that
# goes into it changed. Writes $BUILD/kernel.env (KERNEL=dir with bzImage,
# config, modules/lib/modules/<release>/ and firmware-facts/).
set -eu
. "$(dirname "$0")/lib.sh"
. "$TOP/guest/pins.sh"
FRAGMENTS=$(ls "$TOP"/kernel-config/*.config | sort)

need_tool gcc build-essential
need_tool bc bc
need_tool flex flex
need_tool bison bison
[ -f "$BUILD/inputs.env" ] || die "$BUILD/inputs.env is missing: guest/inputs.sh runs first (make does it)"
. "$BUILD/inputs.env"
src=$KSRC

# The source tree's name holds the pinned .deb's sha256 and our patches'
# key (guest/inputs.sh); depmod, which
# writes the module indexes, is one of the pinned image tools.
# shellcheck disable=SC2086
key=$(cache_key "$TOP/guest/kernel.sh" "$TOP/kernel-config/check-config.sh" \
    "$TOP/kernel-config/firmware-facts.sh" $FRAGMENTS -- \
    "${KSRC##*/}" "$(lock_lines kmod)" "$(compiler_id gcc)")
out=$CACHE/kernel-$key
mkdir -p "$BUILD"
if [ -f "$out/.complete" ]; then
    note "kernel: cached ($key)"
    echo "KERNEL=$out" > "$BUILD/kernel.env"
    exit 0
fi
note "kernel: building ($key)"

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
"$TOOLS/run" depmod -b "$stage/modules" "$release" || die "depmod failed for $release"
# busybox modprobe reads the text indexes; the binary ones only take space.
rm -f "$stage/modules/lib/modules/$release"/*.bin "$stage/modules/lib/modules/$release/modules.builtin.modinfo"
cp "$kb/arch/x86/boot/bzImage" "$stage/bzImage"
cp "$kb/.config" "$stage/config"
# What the drivers accept and ask for beyond modinfo, for guest/firmware.sh.
"$TOP/kernel-config/firmware-facts.sh" "$src" "$stage/firmware-facts" \
    || die "cannot read the Wi-Fi drivers' firmware facts from $src"
echo "$release" > "$stage/release"
touch "$stage/.complete"
rm -rf "$out"; mv "$stage" "$out"
echo "KERNEL=$out" > "$BUILD/kernel.env"
