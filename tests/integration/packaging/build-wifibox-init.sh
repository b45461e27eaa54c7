#!/bin/sh
# APKBUILDs/wifibox-init builds with abuild's variables set, runs init's
# unit tests, and installs what the image has of init (guest/programs.list:
# /sbin/init and its reboot, poweroff, halt links); init(8) in the -doc.
# shellcheck source=tests/integration/packaging/lib.sh
. "$(dirname "$0")/lib.sh"
run_recipe wifibox-init
expected_program init init > "$scratch/want-init"
[ -s "$scratch/want-init" ] || fail "guest/programs.list has no init"
expect_listing wifibox-init "$scratch/want-init"
same_content wifibox-init sbin/init "$builddir/build/musl/bin/init"
grep -q '^ok ' "$scratch/wifibox-init.log" || fail "check() ran no unit test"
printf 'f 644 usr/share/man/man8/init.8.gz\n' > "$scratch/want-doc"
expect_listing wifibox-init-doc "$scratch/want-doc"
same_content wifibox-init-doc usr/share/man/man8/init.8.gz "$builddir/init/init.8"
echo pass
