#include "pcidetach.h"
#include "fsutil.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pci_class_is_wifi(unsigned long pci_class)
{
	return (pci_class >> 8) == 0x0280 || (pci_class >> 16) == 0x0d;
}

#define DEV_PATH_MAX 512
#define ATTR_PATH_MAX (DEV_PATH_MAX + 32)

static unsigned long read_class(const char *dev)
{
	char path[ATTR_PATH_MAX], buf[32];

	snprintf(path, sizeof(path), "%s/class", dev);
	if (read_small_file(path, buf, sizeof(buf)) <= 0)
		return 0;
	return strtoul(buf, NULL, 16);
}

static int has_wiphy(const char *dev)
{
	char path[ATTR_PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/ieee80211", dev);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void driver_name(const char *dev, char *out, size_t size)
{
	char path[ATTR_PATH_MAX], target[256];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/driver", dev);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0) {
		snprintf(out, size, "none");
		return;
	}
	target[n] = '\0';
	base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
	if (snprintf(out, size, "%s", base) >= (int)size)
		out[size - 1] = '\0';
}

static int detach_one(const char *dev, const char *name, unsigned long pci_class)
{
	char path[ATTR_PATH_MAX], driver[64];
	int fd;

	driver_name(dev, driver, sizeof(driver));
	log_notice("detaching Wi-Fi PCI device %s (class 0x%06lx, driver %s)", name, pci_class, driver);
	snprintf(path, sizeof(path), "%s/remove", dev);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "1", 1) != 1) {
		log_err("cannot detach PCI device %s: %s: %s", name, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	return 1;
}

int pci_detach_wifi(const char *devices_dir)
{
	DIR *d = opendir(devices_dir);
	struct dirent *e;
	char dev[DEV_PATH_MAX];
	int detached = 0;

	if (!d) {
		log_err("cannot list PCI devices in %s: %s", devices_dir, strerror(errno));
		return 0;
	}
	while ((e = readdir(d))) {
		unsigned long pci_class;

		if (e->d_name[0] == '.')
			continue;
		if (snprintf(dev, sizeof(dev), "%s/%s", devices_dir, e->d_name) >= (int)sizeof(dev))
			continue;
		pci_class = read_class(dev);
		if (pci_class_is_wifi(pci_class) || has_wiphy(dev))
			detached += detach_one(dev, e->d_name, pci_class);
	}
	closedir(d);
	if (detached == 0)
		log_notice("no Wi-Fi PCI device to detach");
	return detached;
}
