#!/bin/sh
# Waits for init to load mac80211_hwsim (from modules.conf on the config
# share), creates the world's radio without an interface (so netd never
# sees it), and moves it into a network namespace of its own where
# world.sh builds the outside world. With WORLD_GUEST_RADIO=after-ap
# (the bench: a resume, where the access point is already up), the
# guest's radio (phyguest, with an interface) is created only once the
# world's access point is up; modules.conf then loads radios=0.
W=/mnt
. "$W/world.env"
# Test tooling, not a daemon: a short poll is fine here.
until [ "$(cat /sys/module/mac80211_hwsim/initstate 2>/dev/null)" = live ]; do usleep 20000; done
mkdir -p /run/world
exec >>/run/world/agent.log 2>&1
echo "agent: mac80211_hwsim is live"
[ "$WORLD_MODE" = none ] && exit 0
"$W/worldctl" new-radio phyworld novif || exit 1
unshare -n "$W/world.sh" &
pid=$!
echo "$pid" > /run/world/pid
"$W/worldctl" netns phyworld "$pid" && echo "agent: phyworld moved to the world ($pid)"
[ "$WORLD_GUEST_RADIO" = after-ap ] || exit 0
# net.sh writes the network's number once hostapd is up (or world.sh gave up)
while [ ! -e /run/world/network ] && kill -0 "$pid" 2>/dev/null; do usleep 20000; done
"$W/worldctl" new-radio phyguest && echo "agent: the guest's radio after the access point"
