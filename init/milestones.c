#include "milestones.h"
#include "fsutil.h"
#include "log.h"
#include "loop.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

void milestone(const char *name)
{
	milestone_at(name, loop_now_ms());
}

void milestone_at(const char *name, uint64_t at)
{
	unsigned long long ms = (unsigned long long)at;
	char line[96];
	int fd, n;

	log_info("milestone %s at %llu ms", name, ms);
	n = snprintf(line, sizeof(line), "%s %llu\n", name, ms);
	mkdir_p("/run/init", 0755);
	fd = open(MILESTONES_FILE, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) != n)
		log_warn("cannot record milestone %s in %s", name, MILESTONES_FILE);
	close(fd);
}
