#include "check.h"
#include "fsutil.h"
#include "../../init/drivers.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fake config share and a fake firmware_class "path" parameter. */
static char root[64], share_fw[128], param[128];

static void setup(void)
{
	char p[160];

	snprintf(root, sizeof(root), "/tmp/test-init-drivers.XXXXXX");
	if (!mkdtemp(root))
		abort();
	snprintf(share_fw, sizeof(share_fw), "%s/etc/firmware", root);
	snprintf(param, sizeof(param), "%s/path", root);
	snprintf(p, sizeof(p), "%s/etc", root);
	mkdir_p(p, 0755);
	write_file_atomic(param, "\n", 1, 0644);
}

static void teardown(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CHECK_INT(system(cmd), 0);
}

static const char *param_value(void)
{
	static char buf[256];

	return read_small_file(param, buf, sizeof(buf)) < 0 ? "(unreadable)" : buf;
}

TEST(firmware_folder_on_the_share_is_searched_first)
{
	setup();
	mkdir_p(share_fw, 0755);
	CHECK_INT(drivers_use_host_firmware(share_fw, param), 1);
	CHECK_STR(param_value(), share_fw);
	teardown();
}

TEST(no_firmware_folder_leaves_the_kernel_alone)
{
	setup();
	CHECK_INT(drivers_use_host_firmware(share_fw, param), 0);
	CHECK_STR(param_value(), "\n");
	teardown();
}

TEST(a_file_named_firmware_is_not_a_folder)
{
	setup();
	write_file_atomic(share_fw, "x", 1, 0644);
	CHECK_INT(drivers_use_host_firmware(share_fw, param), 0);
	CHECK_STR(param_value(), "\n");
	teardown();
}

TEST(a_kernel_without_the_parameter_is_an_error)
{
	char missing[160];

	setup();
	mkdir_p(share_fw, 0755);
	snprintf(missing, sizeof(missing), "%s/no/such/param", root);
	CHECK(drivers_use_host_firmware(share_fw, missing) < 0);
	teardown();
}
