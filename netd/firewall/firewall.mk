# netd's firewall (issue 5): netd's iptables chains through libiptc, port
# forwards, the user's iptables file and sysctl settings. netd/build.mk
# includes this after setting netd_SRCS and netd_LIBS.

FW_SRCS := netd/firewall/firewall.c netd/firewall/fw-ip4tc.c netd/firewall/fw-ip6tc.c netd/firewall/fw-rules.c netd/firewall/fw-format.c netd/firewall/fw-encode.c \
	netd/firewall/user-rules.c netd/firewall/forwards.c netd/config/sysctl.c
netd_SRCS += $(FW_SRCS)
# Static libraries from the third-party build; ip6tc for the IPv6 side.
netd_LIBS += -lip4tc -lip6tc

# Unit tests: the pure parts, with no libiptc (host gcc, sanitizers).
FW_UNIT_TESTS := test-fw-rules test-fw-encode test-fw-forwards test-fw-sysctl test-fw-user
UNIT_TESTS += $(FW_UNIT_TESTS)
test-fw-rules_SRCS := tests/unit/test-fw-rules.c netd/firewall/fw-rules.c netd/firewall/fw-format.c lib/log.c
test-fw-encode_SRCS := tests/unit/test-fw-encode.c netd/firewall/fw-encode.c netd/firewall/fw-rules.c lib/log.c lib/ipv4.c
test-fw-forwards_SRCS := tests/unit/test-fw-forwards.c netd/firewall/forwards.c lib/conf.c lib/log.c lib/ipv4.c
test-fw-sysctl_SRCS := tests/unit/test-fw-sysctl.c netd/config/sysctl.c lib/conf.c lib/log.c
test-fw-user_SRCS := tests/unit/test-fw-user.c netd/firewall/user-rules.c lib/fsutil.c lib/log.c

# The integration tests' driver: the real libiptc code, static musl like
# netd, run in throw-away network namespaces (tests/integration/firewall/).
# Object paths are spelled out: this file is read before programs.mk
# defines its helper functions.
FW_TEST_TOOL := $(BUILD)/musl/tests/fw-apply
FW_TEST_TOOL_SRCS := tests/integration/firewall/fw-apply.c $(FW_SRCS) lib/log.c lib/conf.c lib/fsutil.c lib/ipv4.c

$(FW_TEST_TOOL): $(patsubst %.c,$(BUILD)/musl/obj/%.o,$(FW_TEST_TOOL_SRCS)) $(BUILD)/thirdparty.env
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(MUSL_LDFLAGS) -o $@ $(filter %.o,$^) -lip4tc -lip6tc

.PHONY: fw-test-tool
fw-test-tool: $(FW_TEST_TOOL)
