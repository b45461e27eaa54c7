# The shared library every program of ours links.
LIB_SRCS := lib/log.c lib/loop.c lib/backoff.c lib/conf.c lib/fsutil.c lib/shconf.c lib/supervisor.c lib/ipv4.c lib/udspconf.c lib/rate.c lib/hostaddr.c

UNIT_TESTS += test-backoff test-conf test-fsutil test-log test-loop test-ipv4 test-rate
test-backoff_SRCS := tests/unit/test-backoff.c lib/backoff.c
test-conf_SRCS := tests/unit/test-conf.c lib/conf.c lib/log.c
test-fsutil_SRCS := tests/unit/test-fsutil.c lib/fsutil.c
test-log_SRCS := tests/unit/test-log.c lib/log.c
test-loop_SRCS := tests/unit/test-loop.c lib/loop.c lib/log.c
test-ipv4_SRCS := tests/unit/test-ipv4.c lib/ipv4.c
test-rate_SRCS := tests/unit/test-rate.c lib/rate.c
