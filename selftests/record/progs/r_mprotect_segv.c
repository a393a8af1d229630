// SPDX-License-Identifier: GPL-2.0
/*
 * Pages start PROT_NONE; a SIGSEGV handler makes each one accessible on
 * first touch.  The faulting addresses and the touch order are random.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>

#define NPAGES 8

static unsigned char *area;
static int faults;
static uintptr_t fault_off[NPAGES * 2];

static void handler(int sig, siginfo_t *si, void *uc)
{
	uintptr_t page = (uintptr_t)si->si_addr & ~(uintptr_t)4095;

	(void)sig;
	(void)uc;
	if (faults < NPAGES * 2)
		fault_off[faults] = (uintptr_t)si->si_addr - (uintptr_t)area;
	faults++;
	mprotect((void *)page, 4096, PROT_READ | PROT_WRITE);
}

int main(void)
{
	struct sigaction sa;
	unsigned short r[NPAGES];
	unsigned long sum = 0;

	area = mmap(NULL, NPAGES * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (area == MAP_FAILED || getrandom(r, sizeof(r), 0) != sizeof(r))
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	for (int i = 0; i < NPAGES; i++) {
		int page = r[i] % NPAGES, off = r[i] >> 4 & 4095;

		area[page * 4096 + off] += r[i];
	}
	for (int i = 0; i < NPAGES * 4096; i += 64)
		sum += area[i];
	printf("area %p, %d faults\n", (void *)area, faults);
	for (int i = 0; i < faults && i < NPAGES * 2; i++)
		printf("fault at +%#lx\n", (unsigned long)fault_off[i]);
	printf("sum %lu\n", sum);
	return 0;
}
