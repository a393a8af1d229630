// SPDX-License-Identifier: GPL-2.0
/*
 * cpuid leaves as the program sees them, the APIC id of the CPU it ran
 * on, and how many cycles each cpuid took (it traps in a VM).
 */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

int main(void)
{
	unsigned int a, b, c, d, max;
	char vendor[13];
	uint64_t t;

	__cpuid(0, max, b, c, d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = 0;
	printf("vendor %s max leaf %u\n", vendor, max);
	for (unsigned int leaf = 1; leaf <= max && leaf <= 7; leaf++) {
		__cpuid_count(leaf, 0, a, b, c, d);
		printf("leaf %u: %08x %08x %08x %08x\n", leaf, a, b, c, d);
	}
	__cpuid(1, a, b, c, d);
	printf("apic id %u\n", b >> 24);
	for (int i = 0; i < 5; i++) {
		t = rdtsc();
		__cpuid(0, a, b, c, d);
		printf("cpuid took %llu cycles\n",
		       (unsigned long long)(rdtsc() - t));
	}
	return 0;
}
