#include "mounts.h"
#include "console.h"
#include "fsutil.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define P9_OPTS "trans=virtio,version=9p2000.L,msize=131072"
/* The shares hold configuration and logs, never programs or devices: what
 * the host (or anyone who can write there) puts in them runs nothing. */
#define SHARE_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)
#define APP_STAGING "/run/app_config"

struct mount_spec {
	const char *source, *target, *type;
	unsigned long flags;
	const char *data;
};

static const struct mount_spec early[] = {
	{ "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755" },
	{ "devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "mode=0620,ptmxmode=0666" },
	{ "tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=10%" },
	{ "tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=" TMP_SIZE },
};

static int do_mount(const struct mount_spec *m)
{
	mkdir(m->target, 0755);
	if (mount(m->source, m->target, m->type, m->flags, m->data) == 0 || errno == EBUSY)
		return 0;
	return -errno;
}

void mount_early(void)
{
	for (size_t i = 0; i < sizeof(early) / sizeof(early[0]); i++) {
		int rc = do_mount(&early[i]);

		if (rc < 0)
			log_err("cannot mount %s on %s: %s", early[i].type, early[i].target, strerror(-rc));
	}
}

static int mount_9p(const char *tag, const char *target, unsigned long flags)
{
	mkdir(target, 0755);
	if (mount(tag, target, "9p", flags, P9_OPTS) == 0)
		return 0;
	return -errno;
}

static void share_missing(const char *tag, const char *what, int err)
{
	announce("share '%s' is missing (%s): %s", tag, strerror(-err), what);
}

static int file_exists(const char *dir, const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

const char *app_dir_for(int has_wpa_supplicant_conf, int has_hostapd_conf)
{
	if (has_hostapd_conf && !has_wpa_supplicant_conf)
		return APP_DIR_AP;
	return APP_DIR_STATION;
}

/* app_config is mounted aside first, then moved to /etc/wpa_supplicant or
 * /etc/hostapd according to the file it holds. */
static void mount_app_config(struct shares *sh)
{
	int rc = mount_9p("app_config", APP_STAGING, SHARE_FLAGS | MS_NOATIME);
	int wpa, ap;

	if (rc < 0) {
		share_missing("app_config", "no wpa_supplicant.conf or hostapd.conf; Wi-Fi stays off", rc);
		return;
	}
	wpa = file_exists(APP_STAGING, "wpa_supplicant.conf");
	ap = file_exists(APP_STAGING, "hostapd.conf");
	sh->app_dir = app_dir_for(wpa, ap);
	if (wpa && ap)
		announce("app_config holds both wpa_supplicant.conf and hostapd.conf: using station mode");
	else if (!wpa && !ap)
		announce("app_config holds neither wpa_supplicant.conf nor hostapd.conf: Wi-Fi stays off");
	if (mount(APP_STAGING, sh->app_dir, NULL, MS_MOVE, NULL) < 0) {
		log_err("cannot move app_config to %s: %s", sh->app_dir, strerror(errno));
		umount2(APP_STAGING, MNT_DETACH);
		sh->app_dir = NULL;
		return;
	}
	rmdir(APP_STAGING);
	sh->app = 1;
}

/* /var/run and /var/lock must lead to the guest's /run so that control
 * sockets (ctrl_interface=/var/run/wpa_supplicant) stay off 9P. */
static void link_into_run(const char *path, const char *target)
{
	struct stat st;
	char cur[64];
	ssize_t n;

	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (mount(target, path, NULL, MS_BIND, NULL) < 0)
			log_err("cannot bind %s onto %s: %s", target, path, strerror(errno));
		return;
	}
	n = readlink(path, cur, sizeof(cur) - 1);
	if (n > 0) {
		cur[n] = '\0';
		if (strcmp(cur, target) == 0)
			return;
	}
	unlink(path);
	if (symlink(target, path) < 0)
		log_err("cannot link %s to %s: %s", path, target, strerror(errno));
}

static void var_skeleton(void)
{
	mkdir_p("/run/lock", 0755);
	if (mkdir_p("/var/log", 0755) < 0 || mkdir_p("/var/lib/misc", 0755) < 0)
		log_err("cannot create /var/log and /var/lib/misc: %s", strerror(errno));
	link_into_run("/var/run", "/run");
	link_into_run("/var/lock", "/run/lock");
}

void mount_shares(struct shares *sh)
{
	int rc;

	memset(sh, 0, sizeof(*sh));
	rc = mount_9p("config", CONFIG_DIR, SHARE_FLAGS | MS_RDONLY | MS_NOATIME);
	sh->config = rc == 0;
	if (rc < 0)
		share_missing("config", "booting with the default configuration", rc);
	rc = mount_9p("var", "/var", SHARE_FLAGS);
	sh->var = rc == 0;
	if (rc < 0) {
		share_missing("var", "logs stay in RAM", rc);
		if (mount("tmpfs", "/var", "tmpfs", SHARE_FLAGS, "mode=0755,size=10%") < 0)
			log_err("cannot mount a tmpfs on /var: %s", strerror(errno));
	}
	var_skeleton();
	mount_app_config(sh);
}

/* Reverse order of mounting; lazily if something still holds it. */
void unmount_all(void)
{
	static const char *const targets[] = {
		APP_DIR_AP, APP_DIR_STATION, "/var/run", "/var/lock", "/var", CONFIG_DIR,
		"/tmp", "/dev/pts",
	};

	sync();
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (umount2(targets[i], 0) < 0 && errno == EBUSY)
			umount2(targets[i], MNT_DETACH);
	sync();
}
