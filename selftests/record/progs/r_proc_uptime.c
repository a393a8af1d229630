// SPDX-License-Identifier: GPL-2.0
/* /proc/uptime, read twice around a short busy loop. */
#include <stdio.h>

static int uptime(double *up, double *idle)
{
	FILE *f = fopen("/proc/uptime", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "%lf %lf", up, idle);
	fclose(f);
	return n == 2 ? 0 : -1;
}

int main(void)
{
	double up, idle, up2, idle2;

	if (uptime(&up, &idle))
		return 1;
	printf("uptime %.2f idle %.2f\n", up, idle);
	do {
		if (uptime(&up2, &idle2))
			return 1;
	} while (up2 < up + 0.02);
	printf("uptime %.2f idle %.2f\n", up2, idle2);
	return 0;
}
