# uds-passthru: the control-socket bridge (guest and host modes).
UDSP_SRCS := uds-passthru/main.c uds-passthru/frame.c \
	uds-passthru/queue.c uds-passthru/evloop.c uds-passthru/sock.c \
	uds-passthru/stats.c uds-passthru/guest.c uds-passthru/conn.c \
	uds-passthru/mon.c uds-passthru/target.c uds-passthru/host.c \
	uds-passthru/relay.c \
	uds-passthru/sys_linux.c uds-passthru/sys_portable.c

PROGRAMS += uds-passthru
uds-passthru_SRCS := $(UDSP_SRCS)

UNIT_TESTS += test-shconf test-uds-config test-uds-frame test-uds-queue test-uds-evloop \
	test-uds-relay
test-shconf_SRCS := tests/unit/test-shconf.c lib/shconf.c lib/conf.c lib/log.c
test-uds-config_SRCS := tests/unit/test-uds-config.c lib/udspconf.c lib/ipv4.c lib/shconf.c \
	lib/conf.c lib/log.c
test-uds-frame_SRCS := tests/unit/test-uds-frame.c uds-passthru/frame.c
test-uds-queue_SRCS := tests/unit/test-uds-queue.c uds-passthru/queue.c
test-uds-evloop_SRCS := tests/unit/test-uds-evloop.c uds-passthru/evloop.c
test-uds-relay_SRCS := tests/unit/test-uds-relay.c uds-passthru/relay.c uds-passthru/evloop.c \
	uds-passthru/queue.c uds-passthru/frame.c
