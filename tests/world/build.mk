# The test bench's world helper: built static like our programs, carried
# into the guest on the testworld share, never installed in the image.
PROGRAMS += worldctl
worldctl_SRCS := tests/world/worldctl.c
worldctl_LIBS := -lnl-genl-3 -lnl-3
