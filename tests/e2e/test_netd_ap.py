"""netd in access-point mode on the real image (issue 4): hostapd on the
guest's radio, eth0 10.0.0.2/24 towards the host, udhcpd serving the
wireless side; a station in the simulated world associates and gets an
address. hostapd killed is restarted and the station comes back."""
import re

import vm
from netd_lib import guest_nice, guest_pid, wait_status

HOSTAPD_CONF = "\n".join([
    "interface=wlan0", "driver=nl80211", "ctrl_interface=/var/run/hostapd",
    "ssid=" + vm.DEMO_SSID, "hw_mode=g", "channel=1", "wpa=2", "wpa_key_mgmt=WPA-PSK",
    "rsn_pairwise=CCMP", "wpa_passphrase=" + vm.DEMO_PASSPHRASE, "country_code=DE", ""])


def world_station_lease(v, timeout=90):
    """The world station's lease from the guest's udhcpd ("ip=..." lines)."""
    import time
    deadline = time.monotonic() + timeout
    out = ""
    while time.monotonic() < deadline:
        out = v.sh("/mnt/ctl.sh lease", check=False)
        if re.search(r"192\.168\.0\.\d+", out):
            return out
        time.sleep(1)
    raise AssertionError("the world's station got no lease from the guest: %r" % out)


def test_access_point_serves_a_world_station():
    with vm.VM("netd-ap", config=vm.test_config(), app={"hostapd.conf": HOSTAPD_CONF},
               world={"mode": "station"}) as v:
        v.login()
        st = wait_status(v, mode="ap", wifi_daemon="hostapd", wifi_daemon_state="running",
                         wifi_state="ENABLED", host_addr="10.0.0.2/24", host_gateway="10.0.0.1",
                         uplink="eth0", dhcp_server="running", country="DE")
        world_station_lease(v)
        st = wait_status(v, stations="1")
        assert "192.168.0.1/24" in v.sh("ip -4 addr show dev wlan0")
        conf = v.sh("cat /run/netd/udhcpd.conf")
        assert conf.startswith("interface wlan0\nstart 192.168.0.2\nend 192.168.0.254\n"), conf
        assert "milestone.associated" in st, st


def test_hostapd_killed_is_restarted_and_the_station_returns():
    with vm.VM("netd-ap-kill", config=vm.test_config(), app={"hostapd.conf": HOSTAPD_CONF},
               world={"mode": "station"}) as v:
        v.login()
        wait_status(v, wifi_state="ENABLED", stations="1")
        old = guest_pid(v, "hostapd")
        v.sh("kill -9 %d" % old)
        st = wait_status(v, wifi_daemon_restarts="1", wifi_state="ENABLED", stations="1")
        assert st["wifi_daemon_pid"] != str(old), st
        assert guest_nice(v, int(st["wifi_daemon_pid"])) == -10	# a restart keeps its place
