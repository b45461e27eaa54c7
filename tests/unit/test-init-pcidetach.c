#include "check.h"
#include "fsutil.h"
#include "../../init/pcidetach.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fake /sys/bus/pci/devices: "remove" is a plain file we can read back. */
static char root[64];

static void device(const char *name, const char *pci_class, int wiphy)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", root, name);
	mkdir_p(p, 0755);
	snprintf(p, sizeof(p), "%s/%s/class", root, name);
	write_file_atomic(p, pci_class, strlen(pci_class), 0644);
	snprintf(p, sizeof(p), "%s/%s/remove", root, name);
	write_file_atomic(p, "", 0, 0644);
	if (wiphy) {
		snprintf(p, sizeof(p), "%s/%s/ieee80211/phy0", root, name);
		mkdir_p(p, 0755);
	}
}

static int removed(const char *name)
{
	char p[256], buf[8];

	snprintf(p, sizeof(p), "%s/%s/remove", root, name);
	return read_small_file(p, buf, sizeof(buf)) == 1 && buf[0] == '1';
}

TEST(wifi_class_is_recognized)
{
	CHECK(pci_class_is_wifi(0x028000));
	CHECK(pci_class_is_wifi(0x0d1100));
	CHECK(!pci_class_is_wifi(0x020000));	/* Ethernet: the host link */
	CHECK(!pci_class_is_wifi(0x010000));
}

TEST(detaches_only_wifi_devices)
{
	char cmd[128];

	snprintf(root, sizeof(root), "/tmp/test-pci.%d", (int)getpid());
	device("0000:00:04.0", "0x010000\n", 0);	/* virtio-blk */
	device("0000:00:05.0", "0x020000\n", 0);	/* e1000, host link */
	device("0000:00:06.0", "0x028000\n", 0);	/* Wi-Fi card */
	device("0000:00:07.0", "0x020000\n", 1);	/* Wi-Fi reporting Ethernet */
	CHECK_INT(pci_detach_wifi(root), 2);
	CHECK(!removed("0000:00:04.0"));
	CHECK(!removed("0000:00:05.0"));
	CHECK(removed("0000:00:06.0"));
	CHECK(removed("0000:00:07.0"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CHECK_INT(system(cmd), 0);
}

TEST(missing_directory_detaches_nothing)
{
	CHECK_INT(pci_detach_wifi("/nonexistent/pci"), 0);
}
