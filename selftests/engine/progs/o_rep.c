// SPDX-License-Identifier: GPL-2.0
/*
 * rep movsb/stosb/movsq/cmpsb/scasb in both directions: every rep string
 * instruction counts once however many iterations it makes.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t src[8192], dst[8192];

static void movsb_fwd(void *d, const void *s, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

/* Backwards: rsi/rdi point at the last byte, DF set and cleared. */
static void movsb_back(void *d, const void *s, size_t n)
{
	d = (char *)d + n - 1;
	s = (const char *)s + n - 1;
	__asm__ volatile("std\n\trep movsb\n\tcld"
			 : "+D"(d), "+S"(s), "+c"(n)
			 :
			 : "memory");
}

static void movsq_fwd(void *d, const void *s, size_t n)
{
	__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

static void movsq_back(void *d, const void *s, size_t n)
{
	d = (uint64_t *)d + n - 1;
	s = (const uint64_t *)s + n - 1;
	__asm__ volatile("std\n\trep movsq\n\tcld"
			 : "+D"(d), "+S"(s), "+c"(n)
			 :
			 : "memory");
}

static void stosb_fwd(void *d, int c, size_t n)
{
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
}

static void stosb_back(void *d, int c, size_t n)
{
	d = (char *)d + n - 1;
	__asm__ volatile("std\n\trep stosb\n\tcld"
			 : "+D"(d), "+c"(n)
			 : "a"(c)
			 : "memory");
}

/* repe cmpsb stops at the first difference: rcx tells where. */
static size_t cmpsb(const void *a, const void *b, size_t n)
{
	__asm__ volatile("repe cmpsb"
			 : "+D"(a), "+S"(b), "+c"(n)
			 :
			 : "memory", "cc");
	return n;
}

static size_t scasb(const void *a, int c, size_t n)
{
	__asm__ volatile("repne scasb"
			 : "+D"(a), "+c"(n)
			 : "a"(c)
			 : "memory", "cc");
	return n;
}

static uint64_t sum(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

int main(void)
{
	uint64_t h = 0;
	size_t left = 0;

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 3);
	for (int round = 0; round < 12; round++) {
		size_t n = 50 + round * 60;

		movsb_fwd(dst, src, n);
		h += sum(dst, 256);
		movsb_back(dst + 1, src, n);
		h += sum(dst, 256);
		movsq_fwd(dst, src + 8, n / 8);
		movsq_back(dst, src, n / 8);
		stosb_fwd(dst + round, round, n / 2);
		stosb_back(dst + 64, 0x55, n / 3);
		h += sum(dst, 512);
		movsb_fwd(dst, src, 0); /* rcx == 0: no iteration */
		dst[n / 2] ^= 1;
		left += cmpsb(dst, dst + 4096, n);
		left += scasb(src, src[n], n + 1);
	}
	printf("hash %016llx left %zu\n", (unsigned long long)h, left);
	return 0;
}
