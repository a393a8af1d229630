// SPDX-License-Identifier: GPL-2.0
/* getrandom(2) with and without flags, and getentropy(3). */
#include <stdio.h>
#include <sys/random.h>
#include <unistd.h>

static void hex(const char *what, const unsigned char *p, size_t n)
{
	printf("%s", what);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

int main(void)
{
	unsigned char buf[256];
	ssize_t n;

	n = getrandom(buf, 16, 0);
	printf("getrandom returned %zd\n", n);
	hex("flags 0:        ", buf, 16);
	n = getrandom(buf, 32, GRND_NONBLOCK);
	printf("getrandom returned %zd\n", n);
	hex("GRND_NONBLOCK:  ", buf, 32);
	if (getentropy(buf, 24) == 0)
		hex("getentropy:     ", buf, 24);
	n = getrandom(buf, sizeof(buf), 0);
	printf("getrandom returned %zd, first %02x last %02x\n", n, buf[0],
	       buf[sizeof(buf) - 1]);
	return 0;
}
