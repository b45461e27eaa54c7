"""netd recovering on the real image without help, with the status saying
what happened (issue 4): a radio that appears only seconds after boot,
wpa_supplicant killed, the world's access point stopped and started, a
wrong passphrase, and netd itself killed (init restarts it and it picks
up the running state without breaking the host's lease)."""
import time

import vm
from netd_lib import (HOST_DNS, WORLD_DNS, guest_pid, host_lease, milestones, status,
                          wait_status, world_reachable)


def associated(v, **more):
    return wait_status(v, wifi_state="COMPLETED", wifi_connected="1", lease="bound",
                       dns=WORLD_DNS, **more)


def test_late_radio_is_found_and_used():
    with vm.VM("netd-late", config=vm.test_config(radios=0), app=vm.station_app_config(),
               world={"mode": "ap"}) as v:
        v.login()
        wait_status(v, wifi_daemon_state="waiting-for-interface", dhcp_server="running")
        time.sleep(6)	# the radio comes several seconds after boot
        v.sh("/mnt/ctl.sh new-radio phylate")
        st = associated(v)
        found, done = int(st["milestone.wifi_iface"]), int(st["milestone.associated"])
        assert found - int(st["milestone.netd_start"]) > 5000, st
        assert st["wifi_daemon_restarts"] == "0", st
        lease = host_lease(v)
        assert lease["dns"] == HOST_DNS, lease
        assert world_reachable(v)
        print("late radio: appearance to COMPLETED %d ms" % (done - found))


def test_wpa_supplicant_killed_is_restarted():
    with vm.VM("netd-kill-wpa", config=vm.test_config(), app=vm.station_app_config(),
               world={"mode": "ap"}) as v:
        v.login()
        st = associated(v)
        old = guest_pid(v, "wpa_supplicant")
        assert st["wifi_daemon_pid"] == str(old), st
        v.sh("kill -9 %d" % old)
        st = wait_status(v, wifi_daemon_restarts="1", wifi_daemon_state="running",
                         wifi_state="COMPLETED", wifi_connected="1")
        new = guest_pid(v, "wpa_supplicant")
        assert new and new != old and st["wifi_daemon_pid"] == str(new), (old, new, st)
        assert st["wifi_daemon_crash_loop"] == "0", st
        host_lease(v)
        assert world_reachable(v), "no way to the world after the restart"
        print("after SIGKILL: wpa_supplicant restart to COMPLETED %d ms"
              % (int(st["wifi_connected_ms"]) - int(st["wifi_daemon_started_ms"])))


def test_world_access_point_stopped_and_started_again():
    with vm.VM("netd-apbounce", config=vm.test_config(), app=vm.station_app_config(),
               world={"mode": "ap"}) as v:
        v.login()
        associated(v)
        host_lease(v)
        assert world_reachable(v)
        v.sh("/mnt/ctl.sh ap-stop")
        wait_status(v, wifi_connected="0")
        v.sh("/mnt/ctl.sh ap-start")
        st = associated(v)
        assert st["wifi_daemon_restarts"] == "0", st
        # udhcpc was asked to renew at the new association
        assert "asking for the lease again" in v.read_var("log/messages")
        assert world_reachable(v), "no way to the world after the access point came back"


def test_wrong_passphrase_is_reported_and_the_host_link_stays():
    with vm.VM("netd-wrongkey", config=vm.test_config(),
               app=vm.station_app_config(passphrase="not the passphrase"),
               world={"mode": "ap"}) as v:
        v.login()
        st = wait_status(v, wifi_problem=r"wrong passphrase for network '%s'" % vm.DEMO_SSID,
                         wifi_connected="0", lease="none")
        assert "wrong passphrase" in st["last_error"], st
        assert st["last_error_code"] == "WRONG_KEY", st
        lease = host_lease(v)
        assert lease["router"] == "10.0.0.1" and lease["lease"] == "60", lease
        out = v.sh("netd status")
        assert "wrong passphrase" in out, out


def test_netd_killed_is_restarted_by_init_and_adopts_what_runs():
    with vm.VM("netd-kill-netd", config=vm.test_config(), app=vm.station_app_config(),
               world={"mode": "ap"}) as v:
        v.login()
        associated(v)
        first = host_lease(v)
        assert world_reachable(v)
        before = {p: guest_pid(v, p) for p in ("netd", "wpa_supplicant", "udhcpd", "udhcpc")}
        v.sh("kill -9 %d" % before["netd"])
        st = wait_status(v, netd_starts="2", wifi_daemon_state="running", wifi_state="COMPLETED",
                         lease="bound", dhcp_server="running", dhcp_client="running",
                         firewall="ok")
        after = {p: guest_pid(v, p) for p in ("netd", "wpa_supplicant", "udhcpd", "udhcpc")}
        assert after["netd"] != before["netd"], (before, after)
        for p in ("wpa_supplicant", "udhcpd", "udhcpc"):
            assert after[p] == before[p], "%s was restarted, not adopted: %s -> %s" % (p, before, after)
        assert st["netd_pid"] == str(after["netd"]), st
        assert st["dns"] == WORLD_DNS, st
        assert world_reachable(v), "the host lost its way out"
        renewed = host_lease(v, request=first["ip"])
        assert renewed["ip"] == first["ip"], (first, renewed)
        assert "adopted udhcpd" in v.read_var("log/messages")
