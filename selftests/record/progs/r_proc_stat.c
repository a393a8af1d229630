// SPDX-License-Identifier: GPL-2.0
/* /proc/self/stat: pid, times, start time, stack and code addresses. */
#include <stdio.h>
#include <string.h>

int main(void)
{
	char buf[1024], *p, *field[64];
	int n = 0;
	FILE *f = fopen("/proc/self/stat", "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		return 1;
	fclose(f);
	printf("pid %s\n", strtok(buf, " "));
	p = strrchr(buf + strlen(buf) + 1, ')');
	if (!p)
		return 1;
	for (p = strtok(p + 2, " \n"); p && n < 64; p = strtok(NULL, " \n"))
		field[n++] = p;
	if (n < 45)
		return 1;
	/* field[0] is field 3 (state) of proc(5). */
	printf("state %s ppid %s pgrp %s\n", field[0], field[1], field[2]);
	printf("minflt %s utime %s stime %s\n", field[7], field[11], field[12]);
	printf("num_threads %s starttime %s\n", field[17], field[19]);
	printf("vsize %s rss %s\n", field[20], field[21]);
	printf("startcode %s startstack %s\n", field[23], field[25]);
	printf("processor %s\n", field[36]);
	return 0;
}
