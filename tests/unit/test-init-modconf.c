#include "check.h"
#include "conf.h"
#include "../../init/modconf.h"

static void parse(const char *text, struct modconf *mc)
{
	struct conf_reader r;

	memset(mc, 0, sizeof(*mc));
	conf_open_mem(&r, "modules.conf", text, strlen(text));
	modconf_parse(&r, mc);
	conf_close(&r);
}

TEST(load_options_blacklist)
{
	struct modconf mc;

	parse("# test radios\nload mac80211_hwsim radios=2\n"
	      "options ath11k_pci disable_msi=1\nblacklist iwlwifi\n", &mc);
	CHECK_INT(mc.errors, 0);
	CHECK_INT(mc.n, 3);
	CHECK_INT(mc.entry[0].kind, MODCONF_LOAD);
	CHECK_STR(mc.entry[0].module, "mac80211_hwsim");
	CHECK_STR(mc.entry[0].params, "radios=2");
	CHECK_INT(mc.entry[0].line, 2);
	CHECK_INT(mc.entry[1].kind, MODCONF_OPTIONS);
	CHECK_INT(mc.entry[2].kind, MODCONF_BLACKLIST);
}

TEST(load_without_params)
{
	struct modconf mc;

	parse("load mt7921e\n", &mc);
	CHECK_INT(mc.n, 1);
	CHECK_STR(mc.entry[0].params, "");
}

TEST(bad_lines_are_skipped_and_counted)
{
	struct modconf mc;

	parse("lod mac80211_hwsim\n"		/* typo */
	      "load bad;name\n"			/* not a module name */
	      "options iwlwifi\n"		/* no parameter */
	      "load iwlwifi power_save\n"	/* not name=value */
	      "blacklist a b\n"			/* too many words */
	      "options x y=\"q\"\n"		/* quotes */
	      "load ok_module a=1\n", &mc);
	CHECK_INT(mc.errors, 6);
	CHECK_INT(mc.n, 1);
	CHECK_STR(mc.entry[0].module, "ok_module");
	CHECK_INT(mc.entry[0].line, 7);
}

TEST(garbage_never_crashes)
{
	struct modconf mc;
	char junk[3000];

	for (size_t i = 0; i < sizeof(junk) - 1; i++)
		junk[i] = (char)(1 + (i * 7919) % 254);
	junk[sizeof(junk) - 1] = '\0';
	parse(junk, &mc);
	CHECK(mc.errors > 0);
	CHECK_INT(mc.n, 0);
}

TEST(render_modprobe_d)
{
	struct modconf mc;
	char buf[512];

	parse("load a x=1\noptions b y=2 z=3\nblacklist c\n", &mc);
	CHECK(modconf_render_modprobe(&mc, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "options b y=2 z=3\nblacklist c\n");
	CHECK_INT(modconf_render_modprobe(&mc, buf, 8), -1);
}

TEST(missing_file_is_fine)
{
	struct modconf mc = { 0 };

	CHECK_INT(modconf_load("/nonexistent/modules.conf", &mc), 0);
	CHECK_INT(mc.n, 0);
}
