// SPDX-License-Identifier: GPL-2.0
/*
 * glibc's string functions on large buffers at many alignments and
 * lengths.  glibc picks their SSE2, AVX2 or EVEX (AVX-512) variants from
 * cpuid; GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F,... forces the others.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SZ (1 << 20)

static uint64_t h = 1469598103934665603ULL;

static void mix(uint64_t v)
{
	h = (h ^ v) * 1099511628211ULL;
}

/* Where p is in buf, independent of where buf is. */
static uint64_t off(const char *buf, const void *p)
{
	return p ? (uint64_t)((const char *)p - buf) : ~0ULL;
}

int main(void)
{
	char *a = malloc(SZ + 256), *b = malloc(SZ + 256);
	uint32_t x = 12345;

	if (!a || !b)
		return 1;
	for (size_t i = 0; i < SZ + 256; i++) {
		x = x * 1103515245 + 12345;
		a[i] = (char)(x >> 16 | 1); /* no NUL */
	}
	for (size_t len = 1; len < SZ; len = len * 3 + 7) {
		for (int al = 0; al < 64; al += 13) {
			memcpy(b + al, a + (63 - al), len);
			b[al + len] = 0;
			mix(strlen(b + al));
			mix(memcmp(a + (63 - al), b + al, len) > 0);
			mix(off(b, memchr(b + al, b[al + len / 2], len)));
			mix(strcmp(b + al, b + al) == 0);
			memmove(b + al + 1, b + al, len);
			mix((unsigned char)b[al + len]);
			memset(b + al, 'x', len / 2);
			mix(off(b, strchr(b + al, b[al + len - 1])));
			mix(off(b, memrchr(b + al, 'x', len)));
			mix(strncmp(a, b + al, len) > 0);
		}
	}
	printf("%016llx\n", (unsigned long long)h);
	free(a);
	free(b);
	return 0;
}
