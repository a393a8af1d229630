// SPDX-License-Identifier: GPL-2.0
/* brk and sbrk: the randomized program break, grown and shrunk. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char *start = sbrk(0), *p;

	printf("initial break %p\n", (void *)start);
	p = sbrk(100000);
	if (p == (void *)-1)
		return 1;
	memset(p, 0x5a, 100000);
	printf("after sbrk(100000) %p, old %p\n", sbrk(0), (void *)p);
	if (brk(start + 4096))
		return 1;
	printf("after brk(start + 4096) %p, offset %ld\n", sbrk(0),
	       (long)((char *)sbrk(0) - start));
	printf("page offset of start %ld\n",
	       (long)((unsigned long)start & 4095));
	return 0;
}
