#!/usr/bin/env python3
"""`make run`: boots the image in QEMU as bhyve would, with the simulated
Wi-Fi world, the serial console on this terminal. See README.md."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lib"))
import vm  # noqa: E402

NETNS = "wifibox-demo"


def host_side(v):
    """The FreeBSD host's part: ask the guest for a lease on the tap, as
    wifibox-core's host does, in the background."""
    subprocess.Popen(["ip", "netns", "exec", v.netns, "busybox", "udhcpc", "-i", "tap0", "-b", "-q",
                      "-s", "/bin/true"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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
        v.close()


if __name__ == "__main__":
    sys.exit(main())
