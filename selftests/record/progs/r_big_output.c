// SPDX-License-Identifier: GPL-2.0
/* 1 MiB of random bytes, hex-encoded: 2 MiB of output plus newlines. */
#include <stdio.h>
#include <sys/random.h>

int main(void)
{
	static const char hex[] = "0123456789abcdef";
	static unsigned char buf[4096];
	char line[2 * 64 + 1];

	line[128] = '\n';
	for (int block = 0; block < 256; block++) {
		for (size_t got = 0; got < sizeof(buf);) {
			ssize_t n = getrandom(buf + got, sizeof(buf) - got, 0);

			if (n <= 0)
				return 1;
			got += n;
		}
		for (int l = 0; l < 64; l++) {
			for (int i = 0; i < 64; i++) {
				line[2 * i] = hex[buf[l * 64 + i] >> 4];
				line[2 * i + 1] = hex[buf[l * 64 + i] & 15];
			}
			fwrite(line, 1, sizeof(line), stdout);
		}
	}
	return 0;
}
