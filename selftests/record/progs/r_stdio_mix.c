// SPDX-License-Identifier: GPL-2.0
/*
 * stdout and stderr interleaved: stdio with different buffering and raw
 * write(2), a random number of lines on each.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

int main(void)
{
	unsigned char r[32];
	char buf[64];
	int n;

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < 8 + r[0] % 16; i++) {
		if (r[i % 32] & 1)
			printf("out %d %02x\n", i, r[(i + 1) % 32]);
		else
			fprintf(stderr, "err %d %02x\n", i, r[(i + 1) % 32]);
		if (r[(i + 2) % 32] & 1) {
			n = snprintf(buf, sizeof(buf), "raw %d to %s\n", i,
				     i & 1 ? "stderr" : "stdout");
			if (write(i & 1 ? 2 : 1, buf, n) != n)
				return 1;
		}
	}
	fputs("no newline at the end of stderr", stderr);
	printf("done\n");
	return 0;
}
