# Builds our own C programs two ways:
#  - for the image: static, musl-gcc, -Os, against the third-party build
#    ($(BUILD)/thirdparty.env, written by guest/thirdparty/build.sh);
#  - for tests: host gcc with AddressSanitizer and UBSan.
# Each program folder has a build.mk that adds to PROGRAMS and UNIT_TESTS:
#   PROGRAMS += netd
#   netd_SRCS := netd/main.c ...      (lib/ is always linked)
#   netd_LIBS := -lnl-genl-3 ...      (image build only)
#   UNIT_TESTS += test-backoff
#   test-backoff_SRCS := tests/unit/test-backoff.c lib/backoff.c

-include $(BUILD)/thirdparty.env

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wundef -Wpointer-arith -Wcast-qual -Wvla -Wswitch-enum -Wno-switch-default
# The seams' real and fake sides see the same headers: lib/ and each folder.
# netd's folders include each other's headers by name: they are all on the
# path (each header name is unique within netd/).
NETD_INCLUDES := -Inetd $(patsubst %/,-I%,$(sort $(dir $(wildcard netd/*/*.h))))
COMMON_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Ilib $(NETD_INCLUDES) -MMD -MP

MUSL_CC := musl-gcc
MUSL_CFLAGS := $(COMMON_CFLAGS) -Os -ffunction-sections -fdata-sections \
	-I$(KHDR)/include -I$(LIBNL)/include/libnl3 -I$(IPTABLES)/include -I$(WPA)/include
MUSL_LDFLAGS := -static -Wl,--gc-sections -s \
	-L$(LIBNL)/lib -L$(IPTABLES)/lib -L$(WPA)/lib

HOST_CC ?= gcc
SANITIZE ?= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
HOST_CFLAGS := $(COMMON_CFLAGS) -O1 -g $(SANITIZE) -Itests/unit
HOST_LDFLAGS := $(SANITIZE)

PROGRAMS :=
UNIT_TESTS :=
include lib/build.mk
include $(filter-out lib/build.mk,$(wildcard */build.mk tests/*/build.mk))

musl_obj = $(patsubst %.c,$(BUILD)/musl/obj/%.o,$(1))
host_obj = $(patsubst %.c,$(BUILD)/host/obj/%.o,$(1))

$(BUILD)/musl/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(MUSL_CFLAGS) -c -o $@ $<

$(BUILD)/host/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -c -o $@ $<

define program_rules
$(BUILD)/musl/bin/$(1): $$(call musl_obj,$$($(1)_SRCS) $$(LIB_SRCS)) $(BUILD)/thirdparty.env
	@mkdir -p $$(dir $$@)
	$$(MUSL_CC) $$(MUSL_LDFLAGS) -o $$@ $$(filter %.o,$$^) $$($(1)_LIBS)
endef

define unit_test_rules
$(BUILD)/host/tests/$(1): $$(call host_obj,$$($(1)_SRCS))
	@mkdir -p $$(dir $$@)
	$$(HOST_CC) $$(HOST_LDFLAGS) -o $$@ $$^ $$($(1)_HOSTLIBS)
endef

$(foreach p,$(PROGRAMS),$(eval $(call program_rules,$(p))))
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rules,$(t))))

PROGRAM_BINS := $(addprefix $(BUILD)/musl/bin/,$(PROGRAMS))
UNIT_TEST_BINS := $(addprefix $(BUILD)/host/tests/,$(UNIT_TESTS))

-include $(shell find $(BUILD)/musl/obj $(BUILD)/host/obj -name '*.d' 2>/dev/null)

# `make build/musl/bin/netd` (as recipes and scripts spell it) names the one
# real target under $(BUILD); the alias has no recipe of its own.
ifneq ($(BUILD),build)
build/%: $(BUILD)/% ;
endif
