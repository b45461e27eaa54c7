/* What went wrong, as a code a program can match (the status file's
 * last_error_code=), next to last_error= for a person. A code names the
 * kind of fault, not the file: the text says which file and line.
 * Append new codes at the end; the names are the interface. */
#ifndef NETD_ERRCODE_H
#define NETD_ERRCODE_H

#define NETD_ERRCODES(X)                                                        \
	X(NONE)			/* nothing has gone wrong */                    \
	X(NO_WIFI_CONFIG)	/* neither wpa_supplicant.conf nor hostapd.conf */ \
	X(CONFIG_UNREADABLE)	/* a config file exists but cannot be read */   \
	X(CONFIG_SYNTAX)	/* lines of a config file were rejected */      \
	X(CONFIG_TOO_LARGE)	/* a config file, or what it gives, is too big */ \
	X(CONFIG_MISMATCH)	/* two files disagree (network= and eth0) */    \
	X(WRITE_FAILED)		/* a file or directory netd writes */           \
	X(SOCKET_FAILED)	/* a socket netd needs could not be opened */   \
	X(ADDRESS_CONFLICT)	/* the uplink's network overlaps the host link */ \
	X(INVALID_ADDRESS)	/* an address that cannot be used */            \
	X(KERNEL_REFUSED)	/* an address, route or setting was refused */  \
	X(NO_RTNETLINK)		/* netd cannot talk to the kernel at all */     \
	X(FIREWALL_FAILED)	/* the rules could not be programmed */         \
	X(HELPER_FAILED)	/* udhcpd, or a program for the user's files */ \
	X(WIFI_DAEMON_FAILED)	/* wpa_supplicant or hostapd would not run */   \
	X(WRONG_KEY)		/* the passphrase was refused */                \
	X(NO_NETWORK)		/* no configured network is in range */         \
	X(NETWORK_PAUSED)	/* the daemon paused a network after failures */ \
	X(ASSOC_REJECTED)	/* the access point refused the association */ \
	X(EAP_FAILED)		/* 802.1X authentication failed: its method, its reason */

#define NETD_ERR_ENUM(name) ERR_##name,
enum netd_err { NETD_ERRCODES(NETD_ERR_ENUM) NETD_ERR_COUNT };
#undef NETD_ERR_ENUM

/* "CONFIG_SYNTAX"; "" for ERR_NONE. */
const char *netd_err_name(enum netd_err code);

#endif
