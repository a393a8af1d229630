// SPDX-License-Identifier: GPL-2.0
/*
 * Write random bytes to a fresh temporary file, mmap it and read it
 * back through the mapping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#define SIZE 20000

int main(void)
{
	char name[] = "/tmp/r_mmap_file.XXXXXX";
	static unsigned char buf[SIZE];
	unsigned long sum = 0;
	unsigned char *m;
	int fd = mkstemp(name);

	if (fd < 0)
		return 1;
	unlink(name);
	if (getrandom(buf, SIZE, 0) != SIZE || write(fd, buf, SIZE) != SIZE)
		return 1;
	m = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return 1;
	for (int i = 0; i < SIZE; i++)
		sum = sum * 131 + m[i];
	printf("file %s mapped at %p\n", name, (void *)m);
	printf("first %02x%02x%02x%02x last %02x checksum %016lx\n", m[0], m[1],
	       m[2], m[3], m[SIZE - 1], sum);
	munmap(m, SIZE);
	close(fd);
	return 0;
}
