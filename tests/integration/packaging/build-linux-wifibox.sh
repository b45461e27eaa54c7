#!/bin/sh
# APKBUILDs/linux-wifibox installs the kernel stage's output, as the image
# has it: the kernel as /boot/vmlinuz-wifibox (the image's vmlinuz and
# bootx64.efi), its config, and every module with its indexes.
# shellcheck source=tests/integration/packaging/lib.sh
. "$(dirname "$0")/lib.sh"
run_recipe linux-wifibox
. "$builddir/build/kernel.env"
rel=$(cat "$KERNEL/release")
{
    echo "f 644 boot/vmlinuz-wifibox"
    echo "f 644 boot/config-wifibox"
    (cd "$KERNEL/modules" && find lib/modules/"$rel" -type f -printf 'f %m %p\n' && find lib/modules/"$rel" -type l -printf 'l %p -> %l\n')
} > "$scratch/want"
expect_listing linux-wifibox "$scratch/want"
same_content linux-wifibox boot/vmlinuz-wifibox "$KERNEL/bzImage"
same_content linux-wifibox boot/config-wifibox "$KERNEL/config"
n=0
for m in $(cd "$KERNEL/modules" && find lib/modules -name '*.ko'); do
    same_content linux-wifibox "$m" "$KERNEL/modules/$m"
    n=$((n + 1))
done
[ "$n" -gt 10 ] || fail "only $n modules"
echo "$n modules identical to the kernel stage's"
echo pass
