// SPDX-License-Identifier: GPL-2.0
/* A long loop with no system calls: tight inner loops, calls, branches. */
#include <stdint.h>
#include <stdio.h>

static __attribute__((noinline)) uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

int main(void)
{
	uint64_t h = 0, x = 1;
	volatile uint32_t spin = 0;

	for (int i = 0; i < 5000; i++) {
		x = mix(x + i);
		if (x & 1)
			h += x;
		else
			h ^= x << 3;
	}
	/* A one-instruction-body loop: the counter's worst case. */
	for (uint32_t i = 0; i < 20000; i++)
		spin += i;
	printf("%016llx %u\n", (unsigned long long)h, spin);
	return 0;
}
