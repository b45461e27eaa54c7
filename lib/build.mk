# The shared library every program of ours links.
LIB_SRCS := lib/log.c lib/loop.c lib/backoff.c lib/conf.c lib/fsutil.c lib/shconf.c

UNIT_TESTS += test-backoff test-conf
test-backoff_SRCS := tests/unit/test-backoff.c lib/backoff.c
test-conf_SRCS := tests/unit/test-conf.c lib/conf.c lib/log.c
