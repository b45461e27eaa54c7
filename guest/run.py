#!/usr/bin/env python3
"""`make run`: boots the image in QEMU as bhyve would, with the simulated
Wi-Fi world, the serial console on this terminal. See README.md."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sim"))
import vm  # noqa: E402

NETNS = "wifibox-demo"


def host_side(v):
    """The FreeBSD host's part: a DHCP client on the tap, as wifibox-core's
    host runs one, kept in the background for renewals. Its script is the
    simulator's (sim/host-udhcpc.sh), the tests' too."""
    script = os.path.join(vm.TOP, "sim", "host-udhcpc.sh")
    env = dict(os.environ, HOST_LEASE_ENV=os.path.join(v.dir, "host-lease.env"))
    subprocess.Popen(["ip", "netns", "exec", v.netns, "busybox", "udhcpc", "-i", "tap0", "-b",
                      "-s", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def main():
    subprocess.run(["ip", "netns", "del", NETNS], stderr=subprocess.DEVNULL)
    v = vm.VM("demo", config=vm.test_config(), app=vm.station_app_config(key_mgmt="SAE WPA-PSK"),
              world={"mode": "ap", "key_mgmt": "WPA-PSK SAE"}, time_limit=10 ** 9)
    v.netns = NETNS
    print("""wifibox-guest demo: QEMU (TCG) standing in for bhyve.
  Wi-Fi network: SSID "%s", passphrase "%s" (WPA2/WPA3), served by a
  simulated access point in the guest's test world (192.168.50.0/24).
  Log in as root (no password). Try: netd status, wpa_cli status, ip addr.
  The host's side of the link: ip netns exec %s sh   (tap0, 10.0.0.0/24)
  Quit: type poweroff in the guest, or press Ctrl-A then X.
""" % (vm.DEMO_SSID, vm.DEMO_PASSPHRASE, NETNS))
    try:
        return v.interactive(on_started=host_side)
    finally:
        # The host's DHCP client lives in the namespace: end it with it.
        subprocess.run(["ip", "netns", "pids", NETNS], stdout=subprocess.PIPE)
        subprocess.run("ip netns pids %s | xargs -r kill" % NETNS, shell=True)
        v.close()


if __name__ == "__main__":
    sys.exit(main())
