// SPDX-License-Identifier: GPL-2.0
/* rdtsc and rdtscp (with its TSC_AUX) in inline assembly. */
#include <stdint.h>
#include <stdio.h>

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static uint64_t rdtscp(uint32_t *aux)
{
	uint32_t lo, hi;

	asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(*aux));
	return (uint64_t)hi << 32 | lo;
}

int main(void)
{
	uint64_t t0 = rdtsc(), t, sum = 0;
	uint32_t aux;

	printf("tsc %llu\n", (unsigned long long)t0);
	for (int i = 0; i < 6; i++) {
		t = rdtsc();
		printf("rdtsc delta %llu\n", (unsigned long long)(t - t0));
		t0 = t;
	}
	for (int i = 0; i < 4; i++) {
		t = rdtscp(&aux);
		printf("rdtscp %llu aux %u\n", (unsigned long long)t, aux);
	}
	for (int i = 0; i < 1000; i++)
		sum += rdtsc() & 0xff;
	printf("low byte sum %llu\n", (unsigned long long)sum);
	return 0;
}
