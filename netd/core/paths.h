/* Every file and program netd touches, in one place, so that the whole
 * file-system contract with init and the host can be read at a glance.
 * The defaults are the image's paths; unit tests point them elsewhere. */
#ifndef NETD_PATHS_H
#define NETD_PATHS_H

struct netd_paths {
	/* config share (read-only, may be missing or empty) */
	const char *interfaces_conf;
	const char *udhcpd_template;
	const char *hostname;
	const char *config_dir;		/* sysctl.conf, sysctl.d/ */
	const char *port_forwards;
	const char *uds_passthru_conf;	/* the bridge's ports */
	const char *forwarding_conf;	/* UDP relays (socat lines) */
	const char *mdns_services_conf;	/* services announced on the Wi-Fi */
	const char *iptables_user;	/* the user's iptables-restore files */
	const char *ip6tables_user;
	/* app config share: which file exists decides the mode */
	const char *wpa_conf;
	const char *hostapd_conf;
	/* netd's own runtime directory (tmpfs): socket, pid files, lease */
	const char *run_dir;
	const char *socket;
	const char *udhcpd_conf;
	const char *lease;
	const char *dns6;		/* the uplink's IPv6 DNS servers, for a restart */
	const char *dns_upstream;	/* dnsmasq's servers: the uplink's */
	const char *wpa_extra_conf;
	const char *iptables_stamp;	/* loaded once per boot */
	const char *ip6tables_stamp;
	/* what others read */
	const char *uplink_hint;		/* var share: the last uplink (hint.h) */
	const char *bridged_host;	/* for uds-passthru (lib/hostaddr.h) */
	const char *status;		/* var share: the host's health signal */
	const char *resolv_conf;	/* /etc/resolv.conf links here */
	const char *milestones;		/* written by init */
	const char *udhcpd_leases;	/* var share */
	const char *boot_id;
	/* programs */
	const char *wpa_supplicant;
	const char *hostapd;
	const char *udhcpd;
	const char *udhcpc;
	const char *dnsmasq;
	const char *udhcpc_script;	/* a link to netd itself */
	const char *iptables_restore;
	const char *ip6tables_restore;
};

extern struct netd_paths paths;

#endif
