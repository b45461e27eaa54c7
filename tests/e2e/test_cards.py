"""What real cards need, on the booted image (issue 13): firmware from the
config share found before the image's own, ath11k's MSI parameters for
bhyve, iw at the console, and the vCPUs bhyve gives.

There is no real card under QEMU. The firmware search order is shown with
the kernel's firmware loader self-test module (test_firmware), which asks
for a file by name exactly as a driver does."""
import re

import vm

TRIGGER = "/sys/devices/virtual/misc/test_firmware"


def request_firmware(v, name):
    """Asks the kernel's firmware loader for name, as a driver does (one
    batched request: the only kind whose content test_firmware lets us read
    back), and returns the size it loaded."""
    v.sh("modprobe test_firmware")
    v.sh("cd %s && printf %%s %s > config_name && echo 1 > config_num_requests"
         " && echo 1 > trigger_batched_requests && echo 0 > config_read_fw_idx" % (TRIGGER, name))
    log = v.sh("dmesg | grep test_firmware")
    m = re.findall(r"#0: batched sync loaded (\d+)", log)
    assert m, "the firmware loader found no %s:\n%s" % (name, log)
    return int(m[-1])


def test_firmware_on_the_config_share_is_found_before_the_images():
    files = {"firmware/regulatory.db": "host copy\n"}
    with vm.VM("cards-hostfw", config=vm.test_config(radios=0, **files)) as v:
        v.login()
        assert request_firmware(v, "regulatory.db") == len("host copy\n")
        got = v.sh("head -c 16 %s/read_firmware | xxd -p" % TRIGGER)
        assert got == "host copy\n".encode().hex(), got
        dmesg = v.read_var("log/dmesg")
        assert "firmware: /media/etc/firmware is searched before /lib/firmware" in dmesg, dmesg[-2000:]


def test_without_the_folder_the_images_own_firmware_is_used():
    # The control: the same request reaches the image's regulatory.db.
    with vm.VM("cards-ownfw", config=vm.test_config(radios=0)) as v:
        v.login()
        own = int(v.sh("stat -c %s /lib/firmware/regulatory.db"))
        assert own > 1000, own
        assert request_firmware(v, "regulatory.db") == own
        assert "is searched before /lib/firmware" not in v.read_var("log/dmesg")


def test_ath11k_takes_the_msi_vector_of_the_host():
    conf = vm.test_config(radios=0, **{
        "modules.conf": "load mac80211_hwsim radios=0\n"
                        "options ath11k_pci host_msi_vector_addr=0xfee00000 host_msi_vector_data=0x21\n"})
    with vm.VM("cards-ath11k", config=conf) as v:
        v.login()
        parms = v.sh("modinfo -F parm ath11k_pci")
        assert "host_msi_vector_addr:" in parms and "host_msi_vector_data:" in parms, parms
        v.sh("modprobe ath11k_pci")
        p = "/sys/module/ath11k_pci/parameters/"
        assert v.sh("cat %shost_msi_vector_addr" % p) == str(0xfee00000)
        assert v.sh("cat %shost_msi_vector_data" % p) == str(0x21)


def test_iw_shows_the_radio_and_the_regulatory_domain():
    with vm.VM("cards-iw", config=vm.test_config(radios=1)) as v:
        v.login()
        v.sh("for i in $(seq 50); do [ -e /sys/class/net/wlan0 ] && break; sleep 0.2; done")
        assert "Wiphy phy0" in v.sh("iw list"), "iw list shows no radio"
        assert "country" in v.sh("iw reg get")
        assert "Interface wlan0" in v.sh("iw dev")


def test_the_kernel_uses_the_vcpus_bhyve_gives():
    for cpus in (1, 2):
        with vm.VM("cards-smp%d" % cpus, config=vm.test_config(radios=0), cpus=cpus) as v:
            v.login()
            assert v.sh("grep -c ^processor /proc/cpuinfo") == str(cpus)
