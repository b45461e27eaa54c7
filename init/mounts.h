/* Filesystems: the early ones (proc, sys, dev, run, tmp) and the host's
 * 9P shares, with the contract's tags and mount points. */
#ifndef INIT_MOUNTS_H
#define INIT_MOUNTS_H

#define CONFIG_DIR "/media/etc"
#define APP_DIR_STATION "/etc/wpa_supplicant"
#define APP_DIR_AP "/etc/hostapd"
/* /tmp: a tmpfs capped at a quarter of the RAM (32 MiB with bhyve's
 * default 128 MiB); it only uses what is stored in it. */
#define TMP_SIZE "25%"

struct shares {
	int config, var, app;	/* mounted? */
	const char *app_dir;	/* where app_config went, or NULL */
};

void mount_early(void);
/* Mounts the shares; says on the console and in the log which are missing. */
void mount_shares(struct shares *sh);
/* Picks the app_config mount point from the files the share holds. */
const char *app_dir_for(int has_wpa_supplicant_conf, int has_hostapd_conf);
void unmount_all(void);

#endif
