/* Boot milestones with their monotonic time (ms since the kernel started),
 * logged and appended to /run/init/milestones ("<name> <ms>" per line) for
 * netd's status and the boot benchmark. */
#ifndef INIT_MILESTONES_H
#define INIT_MILESTONES_H

#define MILESTONES_FILE "/run/init/milestones"

#include <stdint.h>

void milestone(const char *name);
/* A milestone reached earlier, at MS, recorded now (once /run exists). */
void milestone_at(const char *name, uint64_t ms);

#endif
