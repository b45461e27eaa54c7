PROGRAMS += init
init_SRCS := init/main.c init/console.c init/ctl.c init/drivers.c init/hostname.c \
	init/kmsglog.c init/milestones.c init/modconf.c init/mounts.c init/pcidetach.c \
	init/power.c init/services.c init/shutdown.c

UNIT_TESTS += test-init-supervisor test-init-modconf test-init-hostname test-init-pcidetach test-init-kmsg \
	test-init-drivers test-init-power
test-init-supervisor_SRCS := tests/unit/test-init-supervisor.c lib/supervisor.c lib/backoff.c lib/log.c
test-init-modconf_SRCS := tests/unit/test-init-modconf.c init/modconf.c lib/conf.c lib/log.c
test-init-hostname_SRCS := tests/unit/test-init-hostname.c init/hostname.c lib/conf.c lib/log.c
test-init-pcidetach_SRCS := tests/unit/test-init-pcidetach.c init/pcidetach.c lib/fsutil.c lib/log.c
test-init-kmsg_SRCS := tests/unit/test-init-kmsg.c init/kmsglog.c lib/log.c lib/loop.c
test-init-drivers_SRCS := tests/unit/test-init-drivers.c init/drivers.c init/modconf.c lib/conf.c lib/fsutil.c lib/log.c
test-init-power_SRCS := tests/unit/test-init-power.c init/power.c lib/loop.c lib/log.c
