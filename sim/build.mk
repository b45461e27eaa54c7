# The simulated world's helper (sim/world): built static like our
# programs, carried into the guest on the testworld share, never installed
# in the image.
PROGRAMS += worldctl
worldctl_SRCS := sim/world/worldctl.c
worldctl_LIBS := -lnl-genl-3 -lnl-3

# The world's IPv6 router (issue 8): the image has no radvd.
PROGRAMS += worldra
worldra_SRCS := sim/world/worldra.c

# The world's mDNS peer (responder, querier, listener, flooder, echoer):
# the e2e tests' observer of the guest's mDNS reflector and responder.
PROGRAMS += worldmdns
worldmdns_SRCS := sim/world/worldmdns.c
