/* Before power-off, detach the Wi-Fi PCI devices (write 1 to their sysfs
 * `remove`) so that their drivers shut the cards down and the next start
 * finds them clean. A Wi-Fi device is one that registered a wiphy, or whose
 * class is "network controller: other" (0x0280, how Wi-Fi cards report
 * themselves) or "wireless controller" (0x0d). */
#ifndef INIT_PCIDETACH_H
#define INIT_PCIDETACH_H

#define PCI_DEVICES_DIR "/sys/bus/pci/devices"

/* Returns how many devices were detached; logs each one, or that none was found. */
int pci_detach_wifi(const char *devices_dir);
int pci_class_is_wifi(unsigned long pci_class);

#endif
