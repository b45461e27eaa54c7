#include "drivers.h"
#include "fsutil.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ALIASES 64

void drivers_write_modprobe_conf(const struct modconf *mc)
{
	char buf[MODCONF_MAX_ENTRIES * (MODCONF_NAME_MAX + MODCONF_PARAMS_MAX + 16)];
	int len = modconf_render_modprobe(mc, buf, sizeof(buf));

	if (len < 0 || write_file_atomic(MODPROBE_CONF, buf, (size_t)len, 0644) < 0)
		log_err("cannot write %s", MODPROBE_CONF);
}

int drivers_use_host_firmware(const char *dir, const char *param)
{
	struct stat st;
	int rc;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	rc = write_kernel_value(param, dir);
	if (rc < 0) {
		log_err("firmware in %s will not be found: cannot set %s: %s", dir, param, strerror(-rc));
		return rc;
	}
	log_info("firmware: %s is searched before /lib/firmware", dir);
	return 1;
}

static int run_modprobe(char *const *argv)
{
	int wstatus;
	pid_t pid = fork();

	if (pid == 0) {
		execv("/sbin/modprobe", argv);
		_exit(111);
	}
	if (pid < 0 || waitpid(pid, &wstatus, 0) < 0)
		return -1;
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

static int read_modaliases(char *store, size_t size, char **aliases, int max)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	size_t used = 0;
	int n = 0;

	if (!d)
		return 0;
	/* a full store would cut an alias short: modprobe would get a wrong one */
	while ((e = readdir(d)) && n < max && size - used > 1) {
		char path[300];
		ssize_t len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/modalias", e->d_name);
		len = read_small_file(path, store + used, size - used);
		if (len <= 0)
			continue;
		store[used + strcspn(store + used, "\n")] = '\0';
		aliases[n++] = store + used;
		used += strlen(store + used) + 1;
	}
	closedir(d);
	return n;
}

static void coldplug(void)
{
	static char store[MAX_ALIASES * 80];
	char *argv[MAX_ALIASES + 5] = { "modprobe", "-b", "-q", "-a" };
	int n = read_modaliases(store, sizeof(store), argv + 4, MAX_ALIASES);

	if (n == 0)
		return;
	argv[4 + n] = NULL;
	/* Built-in drivers (virtio, e1000) have no module: misses are normal. */
	run_modprobe(argv);
}

static int load_one(const struct modconf_entry *e)
{
	char params[MODCONF_PARAMS_MAX], module[MODCONF_NAME_MAX];
	char *argv[MODCONF_MAX_PARAMS + 3] = { "modprobe", module };
	int n = 2, rc;

	snprintf(module, sizeof(module), "%s", e->module);
	snprintf(params, sizeof(params), "%s", e->params);
	for (char *tok = strtok(params, " "); tok && n < MODCONF_MAX_PARAMS + 2; tok = strtok(NULL, " "))
		argv[n++] = tok;
	argv[n] = NULL;
	rc = run_modprobe(argv);
	if (rc != 0)
		log_err("modules.conf:%u: loading %s %s failed (modprobe exit %d; the kernel log says why)",
			e->line, e->module, e->params, rc);
	else
		log_info("loaded %s %s", e->module, e->params);
	return rc != 0;
}

static void loader(const struct modconf *mc)
{
	int failures = 0;
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	coldplug();
	for (size_t i = 0; i < mc->n; i++)
		if (mc->entry[i].kind == MODCONF_LOAD)
			failures += load_one(&mc->entry[i]);
	_exit(failures > 99 ? 99 : failures);
}

pid_t drivers_spawn_loader(const struct modconf *mc)
{
	pid_t pid = fork();

	if (pid == 0)
		loader(mc);
	return pid;
}
