// SPDX-License-Identifier: GPL-2.0
/* mremap growing a mapping, with and without moving it; data follows. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>

int main(void)
{
	size_t size = 4096;
	unsigned char *m = mmap(NULL, size, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char key[16];

	if (m == MAP_FAILED || getrandom(key, sizeof(key), 0) != sizeof(key))
		return 1;
	memcpy(m, key, sizeof(key));
	printf("initial %p\n", (void *)m);
	for (int i = 0; i < 5; i++) {
		unsigned char *n = mremap(m, size, size * 4, MREMAP_MAYMOVE);

		if (n == MAP_FAILED)
			return 1;
		printf("grew %zu -> %zu: %p%s, key %s\n", size, size * 4,
		       (void *)n, n == m ? " (in place)" : "",
		       memcmp(n, key, sizeof(key)) ? "lost" : "kept");
		m = n;
		size *= 4;
		m[size - 1] = key[i];
	}
	printf("key %02x%02x%02x%02x\n", key[0], key[1], key[2], key[3]);
	munmap(m, size);
	return 0;
}
