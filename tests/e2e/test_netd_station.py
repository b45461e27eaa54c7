"""netd in station mode on the real image, against the simulated world's
access point (issue 4): association with WPA2-PSK and WPA3-SAE, the host's
lease with the guest as router and the world's DNS servers, NAT to the
world's TCP service, the short lease while the uplink has no DNS, and the
status file and `netd status`."""
import re

import vm
from netd_lib import (HOST_DNS, WORLD_DNS, guest_nice, guest_pid, host_lease, milestones,
                          status, wait_status, world_reachable)


def check_uplink(v, key_mgmt):
    st = wait_status(v, wifi_state="COMPLETED", wifi_connected="1", lease="bound",
                     firewall="ok", forwarding="1", ssid=vm.DEMO_SSID, key_mgmt=key_mgmt,
                     uplink="wlan0", uplink_addr=r"192\.168\.50\.\d+/24",
                     uplink_gateway="192.168.50.1", dns=WORLD_DNS, domain="world.test",
                     dhcp_server="running", dhcp_server_lease_s="")
    assert "milestone.forwarding" in st, st
    return st


def test_wpa2_psk_associates_and_the_host_reaches_the_world():
    with vm.VM("netd-wpa2", config=vm.test_config(), app=vm.station_app_config(),
               world={"mode": "ap"}) as v:
        v.login()
        st = check_uplink(v, "WPA2-PSK")
        lease = host_lease(v)
        assert lease["router"] == "10.0.0.1", lease
        assert lease["dns"] == HOST_DNS, lease
        assert lease["domain"] == "world.test", lease
        assert lease["lease"] == "864000", lease
        assert lease["ip"].startswith("10.0.0."), lease
        assert world_reachable(v), "the host cannot reach the world's service through the guest"
        assert "nameserver 192.168.50.1" in v.sh("cat /etc/resolv.conf")
        # the person at the console sees the same
        out = v.sh("netd status")	# asks netd for fresh counters and signal
        assert "COMPLETED, ssid %s" % vm.DEMO_SSID in out, out
        m = re.search(r"forwarded packets: (\d+)", out)
        assert m and int(m.group(1)) > 0, out
        assert "eth0 up, 10.0.0.1/24" in out, out
        # the boot timeline, in order
        names = [n for n, _ in milestones(st)]
        order = ["netd_start", "dhcp_server", "wifi_iface", "wifi_daemon", "associated", "lease",
                 "forwarding"]
        assert [n for n in names if n in order] == order, names
        assert st["wifi_daemon_pid"] == str(guest_pid(v, "wpa_supplicant")), st
        # the uplink's daemon runs ahead of netd's other work on the vCPU
        assert guest_nice(v, guest_pid(v, "wpa_supplicant")) == -10
        assert guest_nice(v, guest_pid(v, "netd")) == 0
        print("timeline (ms):", " ".join("%s=%d" % kv for kv in milestones(st)))


def test_wpa3_sae_associates():
    with vm.VM("netd-sae", config=vm.test_config(), app=vm.station_app_config(key_mgmt="SAE"),
               world={"mode": "ap", "key_mgmt": "SAE"}) as v:
        v.login()
        check_uplink(v, "SAE")
        lease = host_lease(v)
        assert lease["dns"] == HOST_DNS, lease
        assert world_reachable(v)


def test_short_lease_until_the_uplink_has_dns():
    # No radio for the guest: the uplink never comes, the host link works.
    with vm.VM("netd-short", config=vm.test_config(radios=0), app=vm.station_app_config(),
               world={"mode": "ap"}) as v:
        v.login()
        wait_status(v, dhcp_server="running", dhcp_server_lease_s="60",
                    wifi_daemon_state="waiting-for-interface", wifi_iface="")
        lease = host_lease(v)
        assert lease["lease"] == "60", lease
        assert lease["dns"] == HOST_DNS, lease
        assert lease["router"] == "10.0.0.1", lease
        assert "domain" not in lease, lease
        # Then a radio appears: the uplink's DNS reaches the host at its
        # next renewal, with the long lease.
        v.sh("/mnt/ctl.sh new-radio phylate")
        wait_status(v, lease="bound", dns=WORLD_DNS, dhcp_server_lease_s="", dhcp_server="running")
        lease = host_lease(v, request=lease["ip"])
        assert lease["dns"] == HOST_DNS, lease
        assert lease["lease"] == "864000", lease


def test_no_wifi_config_keeps_the_host_link():
    with vm.VM("netd-noapp", config=vm.test_config(), app=None, world={"mode": "ap"}) as v:
        v.login()
        st = wait_status(v, mode="none", dhcp_server="running", host_addr="10.0.0.1/24")
        assert "neither" in st["last_error"], st
        assert st["last_error_code"] == "NO_WIFI_CONFIG", st
        # the host sees why in the log it is pointed at
        assert re.search(r"netd\[\d+\]: neither /etc/wpa_supplicant/wpa_supplicant.conf nor "
                         r"/etc/hostapd/hostapd.conf exists", v.read_var("log/messages"))
        lease = host_lease(v)
        assert lease["router"] == "10.0.0.1", lease
        assert guest_pid(v, "wpa_supplicant") is None
        assert status(v)["wifi_daemon"] == "none"


def test_power_off_disconnects_and_terminates_the_wifi_daemon():
    with vm.VM("netd-poweroff", config=vm.test_config(), app=vm.station_app_config(),
               world={"mode": "ap"}) as v:
        v.login()
        wait_status(v, wifi_state="COMPLETED", lease="bound")
        v.power_button()
        assert v.wait_exit(timeout=30) == "guest-shutdown"
        st = status(v)
        assert st["state"] == "stopped", st
        log = v.read_var("log/messages")
        # DISCONNECT, then TERMINATE: a clean leave the access point sees
        assert re.search(r"wpa_supplicant\[\d+\]: wlan0: CTRL-EVENT-DISCONNECTED .*locally_generated=1", log), log[-3000:]
        assert re.search(r"wpa_supplicant\[\d+\]: .*CTRL-EVENT-TERMINATING", log) or \
            "stopped: the Wi-Fi daemon and the DHCP helpers are down" in log, log[-3000:]
