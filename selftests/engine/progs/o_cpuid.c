// SPDX-License-Identifier: GPL-2.0
/*
 * cpuid, rdtsc, rdtscp and xgetbv in a loop.  Only facts stable across
 * runs are printed; the values feed no branch, so the instruction count
 * does not depend on them.
 */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	unsigned int a, b, c, d, max;
	uint64_t t0, t1, later = 0;

	__cpuid(0, max, b, c, d);
	for (unsigned int i = 0; i < 200; i++) {
		unsigned int lo, hi, aux;

		__cpuid_count(i % 8 < max ? i % 8 : 0, 0, a, b, c, d);
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		t0 = (uint64_t)hi << 32 | lo;
		__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
		t1 = (uint64_t)hi << 32 | lo;
		later += (t1 >= t0);
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	}
	printf("max leaf >= 7: %d, rdtscp not before rdtsc: %llu/200\n",
	       max >= 7, (unsigned long long)later);
	return 0;
}
