// SPDX-License-Identifier: GPL-2.0
/*
 * Helper of sidefx.sh: mmap FILE, print its size, a checksum and its
 * contents, all read through the mapping.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long sum = 14695981039346656037UL;
	const unsigned char *m;
	struct stat st;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: s_mapcat FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) || st.st_size == 0) {
		perror(argv[1]);
		return 1;
	}
	m = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	close(fd);
	for (off_t i = 0; i < st.st_size; i++)
		sum = (sum ^ m[i]) * 1099511628211UL;
	printf("size %lld fnv %016lx\n", (long long)st.st_size, sum);
	fwrite(m, 1, st.st_size, stdout);
	return 0;
}
