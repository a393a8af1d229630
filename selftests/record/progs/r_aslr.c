// SPDX-License-Identifier: GPL-2.0
/* Addresses that ASLR moves: stack, heap, mmap, libc, the program, vDSO. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mman.h>

static int global;

int main(void)
{
	int local;
	void *heap = malloc(64);
	void *map = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *at_random = (unsigned char *)getauxval(AT_RANDOM);

	printf("stack  %p\n", (void *)&local);
	printf("heap   %p\n", heap);
	printf("mmap   %p\n", map);
	printf("libc   %p (printf)\n", (void *)printf);
	printf("main   %p\n", (void *)main);
	printf("global %p\n", (void *)&global);
	printf("vdso   %p\n", (void *)getauxval(AT_SYSINFO_EHDR));
	if (at_random)
		printf("AT_RANDOM %02x%02x%02x%02x\n", at_random[0],
		       at_random[1], at_random[2], at_random[3]);
	free(heap);
	munmap(map, 4096);
	return 0;
}
