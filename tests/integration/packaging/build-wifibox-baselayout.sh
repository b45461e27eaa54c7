#!/bin/sh
# APKBUILDs/wifibox-baselayout installs rootfs-overlay/ as guest/mkrootfs.sh
# copies it into the image: the same files, links and modes, /etc/shadow
# readable by root only.
# shellcheck source=tests/integration/packaging/lib.sh
. "$(dirname "$0")/lib.sh"
run_recipe wifibox-baselayout
(cd "$builddir/rootfs-overlay" && find . -type f -printf 'f %m %P\n' && find . -type l -printf 'l %P -> %l\n') |
    sed 's/^f 644 etc\/shadow$/f 600 etc\/shadow/' > "$scratch/want"
grep -q '^f 600 etc/shadow$' "$scratch/want" || fail "rootfs-overlay has no etc/shadow"
expect_listing wifibox-baselayout "$scratch/want"
(cd "$builddir/rootfs-overlay" && find . -type f) | while read -r f; do
    same_content wifibox-baselayout "${f#./}" "$builddir/rootfs-overlay/$f"
done
[ "$(pkginfo wifibox-baselayout arch)" = noarch ] || fail "not noarch"
echo pass
