# wifibox-guest. The two doors: `make run` boots the image with a simulated
# Wi-Fi network; `make test` runs every test. Both install what they need.
#
#   make          build out/: esp.img, root.img, vmlinuz, disk.img, grub.cfg
#   make run      boot it in QEMU with the demo world, console attached
#   make test     unit, fuzz, integration and end-to-end tests
#   make fuzz     every parser fuzzed for minutes (before a release)
#   make size     size budgets        make bench   benchmarks
#   make deps     install build and test dependencies (Debian 12, root)
#   make update-lock [PKGS=...]  list newer Debian versions of the pinned inputs, or bump them
#
# Variables: FIRMWARE=iwlwifi,ath11k,...|all (default none), CACHE=dir for
# the cached third-party and kernel builds (default /var/cache/wifibox-guest).

CACHE ?= /var/cache/wifibox-guest
# Absolute, so that every object has one name for make (the .d files name
# them as they were built): a relative and an absolute spelling of the same
# object let a header change go unseen.
BUILD ?= $(CURDIR)/build
OUT ?= $(CURDIR)/out
FIRMWARE ?=
export CACHE BUILD OUT FIRMWARE

.DEFAULT_GOAL := all
include mk/programs.mk

.PHONY: all deps image programs unit-tests run test fuzz size bench clean update-lock

all: image

deps:
	@scripts/deps.sh

image: deps
	@guest/build.sh

# Our programs for the image; guest/build.sh calls this after the
# third-party build wrote $(BUILD)/thirdparty.env.
programs: $(PROGRAM_BINS)

unit-tests: $(UNIT_TEST_BINS)

run: image
	@guest/run.py

# Builds what the tests need (cached: seconds when nothing changed), then
# runs unit, fuzz, integration and end-to-end tests.
test: image
	@tests/run

# Before a release: each fuzz target for FUZZ_TIME seconds (default 300,
# about 85 minutes for the 17 targets; `make test` gives each 20 s).
fuzz: deps
	@FUZZ_TIME=$(or $(FUZZ_TIME),300) tests/run fuzz

size:
	@guest/size.sh --flavours

bench: image
	@tests/bench/run

# The pinned inputs: what the mirror has now, and the bump of chosen ones
# (PKGS='linux-source-6.12 wpa=2:2.10-12+deb12u4'). See README, "Pinned inputs".
update-lock:
	@guest/thirdparty/update-lock $(PKGS)

clean:
	rm -rf $(BUILD) $(OUT)
