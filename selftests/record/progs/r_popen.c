// SPDX-License-Identifier: GPL-2.0
/* popen: read a command's random output, and write to another's stdin. */
#include <stdio.h>

int main(void)
{
	char line[256];
	FILE *p;

	p = popen("od -An -N8 -tx8 /dev/urandom; date +%N", "r");
	if (!p)
		return 1;
	while (fgets(line, sizeof(line), p))
		printf("got:%s", line);
	printf("pclose %d\n", pclose(p));
	fflush(stdout);
	p = popen("wc -c; echo $$", "w");
	if (!p)
		return 1;
	fprintf(p, "%p\n", (void *)line);
	printf("pclose %d\n", pclose(p));
	return 0;
}
