#!/bin/sh
# APKBUILDs/netd builds with abuild's variables set, runs netd's unit
# tests, and installs what the image has of netd (guest/programs.list,
# netd/install.list), its manual and README in netd-doc.
# shellcheck source=tests/integration/packaging/lib.sh
. "$(dirname "$0")/lib.sh"
run_recipe netd
expected_program netd netd > "$scratch/want-netd"
[ -s "$scratch/want-netd" ] || fail "guest/programs.list has no netd"
expect_listing netd "$scratch/want-netd"
same_content netd usr/sbin/netd "$builddir/build/musl/bin/netd"
grep -q '^ok ' "$scratch/netd.log" || fail "check() ran no unit test"
printf 'f 644 usr/share/doc/netd/README.md\nf 644 usr/share/man/man8/netd.8.gz\n' > "$scratch/want-doc"
expect_listing netd-doc "$scratch/want-doc"
same_content netd-doc usr/share/man/man8/netd.8.gz "$builddir/netd/netd.8"
[ "$(pkginfo netd-doc arch)" = noarch ] || fail "netd-doc is not noarch"
echo pass
