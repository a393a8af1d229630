// SPDX-License-Identifier: GPL-2.0
/* rdrand and rdseed, each only if cpuid says the CPU has it. */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>

static int rdrand(uint64_t *v)
{
	unsigned char ok;

	asm volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
	return ok;
}

static int rdseed(uint64_t *v)
{
	unsigned char ok;

	asm volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
	return ok;
}

int main(void)
{
	unsigned int a, b, c, d;
	int has_rdrand = 0, has_rdseed = 0, tries;
	uint64_t v;

	if (__get_cpuid(1, &a, &b, &c, &d))
		has_rdrand = !!(c & bit_RDRND);
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d))
		has_rdseed = !!(b & bit_RDSEED);
	if (!has_rdrand)
		printf("no rdrand\n");
	for (int i = 0; has_rdrand && i < 4; i++) {
		for (tries = 1; !rdrand(&v) && tries < 100; tries++)
			;
		printf("rdrand %016llx (%d tries)\n", (unsigned long long)v,
		       tries);
	}
	if (!has_rdseed)
		printf("no rdseed\n");
	for (int i = 0; has_rdseed && i < 4; i++) {
		for (tries = 1; !rdseed(&v) && tries < 1000; tries++)
			asm volatile("pause");
		printf("rdseed %016llx (%d tries)\n", (unsigned long long)v,
		       tries);
	}
	if (!has_rdrand && !has_rdseed) {
		/* Still differ from run to run: the time stamp counter. */
		uint32_t lo, hi;

		asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
		printf("tsc %llu\n", (unsigned long long)hi << 32 | lo);
	}
	return 0;
}
