#!/bin/sh
# APKBUILDs/uds-passthru builds with abuild's variables set, runs the
# bridge's unit tests, and installs what the image has of it; its manual
# and README in the -doc.
# shellcheck source=tests/integration/packaging/lib.sh
. "$(dirname "$0")/lib.sh"
run_recipe uds-passthru
expected_program uds-passthru uds-passthru > "$scratch/want"
[ -s "$scratch/want" ] || fail "guest/programs.list has no uds-passthru"
expect_listing uds-passthru "$scratch/want"
same_content uds-passthru usr/sbin/uds-passthru "$builddir/build/musl/bin/uds-passthru"
grep -q '^ok ' "$scratch/uds-passthru.log" || fail "check() ran no unit test"
printf 'f 644 usr/share/doc/uds-passthru/README.md\nf 644 usr/share/man/man8/uds-passthru.8.gz\n' > "$scratch/want-doc"
expect_listing uds-passthru-doc "$scratch/want-doc"
same_content uds-passthru-doc usr/share/man/man8/uds-passthru.8.gz "$builddir/uds-passthru/uds-passthru.8"
echo pass
