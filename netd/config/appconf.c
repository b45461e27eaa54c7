#include "appconf.h"

#include <ctype.h>
#include <string.h>

#include "log.h"

/* "ctrl_interface=/var/run/wpa_supplicant" or the long form
 * "ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=wheel". */
static void take_ctrl_dir(struct conf_reader *r, const char *v, struct appconf *out)
{
	size_t len;

	if (!strncmp(v, "DIR=", 4))
		v += 4;
	len = strcspn(v, " \t");
	if (len == 0 || v[0] != '/') {
		conf_error(r, "ctrl_interface '%s' is not an absolute directory (expected e.g. /var/run/wpa_supplicant)", v);
		return;
	}
	if (len >= sizeof(out->ctrl_dir)) {
		conf_error(r, "ctrl_interface is longer than %zu characters: ignored", sizeof(out->ctrl_dir) - 1);
		return;
	}
	memcpy(out->ctrl_dir, v, len);
	out->ctrl_dir[len] = '\0';
}

static void take_country(struct conf_reader *r, const char *key, const char *v, struct appconf *out)
{
	if (strlen(v) != 2 || !isalpha((unsigned char)v[0]) || !isalpha((unsigned char)v[1])) {
		conf_error(r, "%s '%s' is not a two-letter country code (expected e.g. %s=DE)", key, v, key);
		return;
	}
	out->country[0] = (char)toupper((unsigned char)v[0]);
	out->country[1] = (char)toupper((unsigned char)v[1]);
	out->country[2] = '\0';
}

/* scan_ssid=1 in the network={} block with this id. */
static void take_scan_ssid(const char *v, int id, struct appconf *out)
{
	if (strcmp(v, "1") || out->n_hidden == APPCONF_HIDDEN_MAX ||
	    (out->n_hidden && out->hidden[out->n_hidden - 1] == id))
		return;
	out->hidden[out->n_hidden++] = id;
}

unsigned appconf_parse(struct conf_reader *r, enum netd_mode mode, struct appconf *out)
{
	const char *country_key = mode == MODE_AP ? "country_code" : "country";
	int in_block = 0, networks = 0, network_id = -1;
	size_t len;
	char *line, *eq;

	memset(out, 0, sizeof(*out));
	while ((line = conf_next(r))) {
		/* network={ ... } and cred={ ... } hold no global settings */
		len = strlen(line);
		if (len >= 2 && !strcmp(line + len - 2, "={")) {
			in_block = 1;
			network_id = !strcmp(line, "network={") ? networks++ : -1;
			continue;
		}
		if (!strcmp(line, "}")) {
			in_block = 0;
			continue;
		}
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		if (in_block) {
			if (network_id >= 0 && !strcmp(line, "scan_ssid"))
				take_scan_ssid(eq + 1, network_id, out);
		} else if (!strcmp(line, "ctrl_interface"))
			take_ctrl_dir(r, eq + 1, out);
		else if (!strcmp(line, country_key))
			take_country(r, country_key, eq + 1, out);
	}
	return r->errors;
}
