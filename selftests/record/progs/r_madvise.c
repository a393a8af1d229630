// SPDX-License-Identifier: GPL-2.0
/* Random data in private anonymous pages, MADV_DONTNEED, then zeros. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/random.h>

#define SIZE (16 * 4096)

static unsigned long checksum(const unsigned char *p, int n)
{
	unsigned long s = 0;

	for (int i = 0; i < n; i++)
		s = s * 33 + p[i];
	return s;
}

int main(void)
{
	unsigned char *m = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int zero = 1;

	if (m == MAP_FAILED || getrandom(m, SIZE, 0) != SIZE)
		return 1;
	printf("mapping %p checksum %016lx\n", (void *)m, checksum(m, SIZE));
	if (madvise(m + 4096, SIZE - 8192, MADV_DONTNEED))
		return 1;
	for (int i = 4096; i < SIZE - 4096; i++)
		zero &= m[i] == 0;
	printf("middle zero %d, first page %016lx, last page %016lx\n", zero,
	       checksum(m, 4096), checksum(m + SIZE - 4096, 4096));
	munmap(m, SIZE);
	return 0;
}
