/* Boot milestones with their monotonic time (ms since the kernel started),
 * logged and appended to /run/init/milestones ("<name> <ms>" per line) for
 * netd's status and the boot benchmark. */
#ifndef INIT_MILESTONES_H
#define INIT_MILESTONES_H

#define MILESTONES_FILE "/run/init/milestones"

void milestone(const char *name);

#endif
