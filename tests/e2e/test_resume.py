"""Fast return after resume (issue 18), on the real image: the last
uplink that gave a lease is remembered on the var share
(lib/netd/last-uplink); the next boot's first scan covers its channel
only, and the DHCP client asks for its address again. A hint that no
longer fits costs a scan, never the connection: when that channel holds
no configured network, netd has every channel scanned at once.

The user's wpa_supplicant.conf here has no scan_freq (the other tests pin
the channel to save time): the guest searches like a user's would."""
import re

import vm
from netd_lib import LAST_UPLINK as HINT, wait_status


def station(name, hint):
    return vm.VM(name, config=vm.test_config(), var={HINT: hint},
                 app=vm.station_app_config(scan_freq=False), world={"mode": "ap"})


def uplink_ip(st):
    return st["uplink_addr"].split("/")[0]


def test_the_last_uplink_is_tried_first_and_a_wrong_hint_costs_only_a_scan():
    # the network moved to another channel since: the first scan misses it
    wrong = "ssid=%s\nbssid=02:00:00:00:09:00\nfreq_mhz=2462\nip=\n" % vm.DEMO_SSID
    with station("resume-moved", wrong) as v:
        v.login()
        st = wait_status(v, timeout=150, ssid=vm.DEMO_SSID, lease="bound")
        log = v.read_var("log/messages")
        assert "first scan on 2462 MHz, where '%s' was last" % vm.DEMO_SSID in log, log[-3000:]
        learned = v.read_var(HINT)
        assert re.search(r"^freq_mhz=2412$", learned, re.M), learned
        assert re.search(r"^ip=%s$" % re.escape(uplink_ip(st)), learned, re.M), learned
        print("after a wrong hint: associated at %s ms" % st.get("milestone.associated"))
    # the next boot: the channel it learned, and an address of the
    # network's pool that its DHCP server gives only when asked for it
    asked = re.sub(r"(?m)^ip=.*$", "ip=192.168.50.199", learned)
    with station("resume-same", asked) as v:
        v.login()
        st = wait_status(v, timeout=150, ssid=vm.DEMO_SSID, lease="bound")
        log = v.read_var("log/messages")
        assert "first scan on 2412 MHz, where '%s' was last" % vm.DEMO_SSID in log, log[-3000:]
        assert uplink_ip(st) == "192.168.50.199", st["uplink_addr"]
        print("with the right hint: associated at %s ms" % st.get("milestone.associated"))


def test_a_channel_that_holds_nothing_is_followed_at_once_by_every_channel():
    # A resume (the network up before the guest's init, as the bench boots
    # it) where the network is on another channel than the hint's: the
    # first scan finds nothing, and netd asks for the full scan then, not
    # after wpa_supplicant's 5 s scan interval.
    wrong = "ssid=%s\nbssid=02:00:00:00:09:00\nfreq_mhz=2462\nip=\n" % vm.DEMO_SSID
    with vm.VM("resume-widen", config=vm.test_config(radios=0), var={HINT: wrong},
               app=vm.station_app_config(scan_freq=False),
               world={"mode": "ap", "start_before_init": True}) as v:
        st = wait_status(v, timeout=150, ssid=vm.DEMO_SSID, lease="bound")
        log = v.read_var("log/messages")
        widened = "wpa_supplicant on wlan0: no network on 2462 MHz, where the last uplink was: " \
                  "scanning every channel now"
        assert widened in log, log[-3000:]
        assert not re.search(r"wpa_supplicant on wlan0: SCAN[^\n]*: ", log), log[-3000:]
        print("a hint for another channel: wpa_supplicant started at %s ms, associated at %s ms"
              % (st.get("milestone.wifi_daemon"), st.get("milestone.associated")))
