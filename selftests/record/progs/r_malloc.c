// SPDX-License-Identifier: GPL-2.0
/* malloc addresses, small and large (mmap), and their low bits. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	static const size_t sizes[] = { 1,    16,    100,    1000,
					4096, 65536, 200000, 4 << 20 };
	void *p[sizeof(sizes) / sizeof(sizes[0])];
	uintptr_t mix = 0;

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p[i] = malloc(sizes[i]);
		printf("malloc(%zu) = %p\n", sizes[i], p[i]);
	}
	for (int i = 0; i < 1000; i++) {
		void *q = malloc(i * 8 + 1);

		mix = mix * 31 + (uintptr_t)q;
		if (i % 3)
			free(q);
	}
	printf("mixed %016llx\n", (unsigned long long)mix);
	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		free(p[i]);
	return 0;
}
