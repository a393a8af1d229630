// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/loadavg: the averages, running/total tasks and the last pid the
 * system handed out, which moves with every process created anywhere.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	double l1, l5, l15;
	int running, total, last;
	FILE *f = fopen("/proc/loadavg", "r");

	if (!f || fscanf(f, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running,
			 &total, &last) != 6)
		return 1;
	fclose(f);
	printf("load %.2f %.2f %.2f\n", l1, l5, l15);
	printf("tasks %d/%d\n", running, total);
	printf("last pid %d, mine %d\n", last, getpid());
	return 0;
}
