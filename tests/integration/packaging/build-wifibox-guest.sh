#!/bin/sh
# APKBUILDs/wifibox-guest builds the image with `make image` (without its
# `make deps`), runs its checks, and installs the files wifibox-core boots
# (esp.img, root.img; vmlinuz, disk.img, grub.cfg) and the manifest under
# /usr/share/wifibox, with the commented samples; wifibox-guest(5) and the
# README in the -doc.
# shellcheck source=tests/integration/packaging/lib.sh
. "$(dirname "$0")/lib.sh"
run_recipe wifibox-guest
out=$builddir/out
{
    for f in esp.img root.img vmlinuz disk.img grub.cfg manifest.txt; do echo "f 644 usr/share/wifibox/$f"; done
    (cd "$builddir/samples" && find . -type f -printf 'f 644 usr/share/wifibox/samples/%P\n')
} > "$scratch/want"
expect_listing wifibox-guest "$scratch/want"
for f in esp.img root.img vmlinuz disk.img grub.cfg manifest.txt; do
    same_content wifibox-guest "usr/share/wifibox/$f" "$out/$f"
done
# The packaged images are those the manifest vouches for.
(cd "$pkgs/wifibox-guest/usr/share/wifibox" && sed -n '/^# outputs/,$p' manifest.txt | grep -v '^#' | sha256sum -c --quiet) ||
    fail "the packaged images do not match manifest.txt"
grep -q '^linux (host)/usr/local/share/wifibox/vmlinuz ' "$pkgs/wifibox-guest/usr/share/wifibox/grub.cfg" ||
    fail "grub.cfg does not boot the host's /usr/local/share/wifibox/vmlinuz"
grep -q '^9 ELF programs checked\|ELF programs checked' "$scratch/wifibox-guest.log" || fail "check() did not check the programs"
grep -q 'pages clean' "$scratch/wifibox-guest.log" || fail "check() did not check the manual"
printf 'f 644 usr/share/doc/wifibox-guest/README.md\nf 644 usr/share/man/man5/wifibox-guest.5.gz\n' > "$scratch/want-doc"
expect_listing wifibox-guest-doc "$scratch/want-doc"
same_content wifibox-guest-doc usr/share/man/man5/wifibox-guest.5.gz "$builddir/guest/wifibox-guest.5"
echo pass
