// SPDX-License-Identifier: GPL-2.0
/* Reads from /dev/urandom with read(2) and through stdio. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	unsigned char buf[64];
	unsigned long sum = 0;
	int fd = open("/dev/urandom", O_RDONLY);
	FILE *f;
	ssize_t n;

	if (fd < 0)
		return 1;
	n = read(fd, buf, sizeof(buf));
	printf("read %zd:", n);
	for (ssize_t i = 0; i < n; i++)
		printf("%02x", buf[i]);
	printf("\n");
	for (int i = 0; i < 100; i++) {
		if (read(fd, buf, 1 + i % 50) <= 0)
			return 1;
		sum += buf[0];
	}
	printf("sum of first bytes %lu\n", sum);
	close(fd);
	f = fopen("/dev/urandom", "r");
	if (!f || fread(buf, 1, 8, f) != 8)
		return 1;
	fclose(f);
	printf("stdio %02x%02x%02x%02x%02x%02x%02x%02x\n", buf[0], buf[1],
	       buf[2], buf[3], buf[4], buf[5], buf[6], buf[7]);
	return 0;
}
