// SPDX-License-Identifier: GPL-2.0
/*
 * uname(2), then sysinfo(2): uname rarely changes, but free memory and
 * the uptime in sysinfo do, and so does the time it took.
 */
#include <stdio.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>

int main(void)
{
	struct timespec a, b;
	struct utsname u;
	struct sysinfo si;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (uname(&u) || sysinfo(&si))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%s %s %s %s\n", u.sysname, u.nodename, u.release, u.machine);
	printf("version %s\n", u.version);
	printf("uptime %ld procs %u\n", si.uptime, si.procs);
	printf("loads %lu %lu %lu\n", si.loads[0], si.loads[1], si.loads[2]);
	printf("freeram %lu bufferram %lu unit %u\n", si.freeram, si.bufferram,
	       si.mem_unit);
	printf("took %ld ns\n", (long)((b.tv_sec - a.tv_sec) * 1000000000L +
				       b.tv_nsec - a.tv_nsec));
	return 0;
}
