// SPDX-License-Identifier: GPL-2.0
/*
 * CRC-32C.  x86-64 machines with SSE4.2 use the crc32 instruction over
 * three interleaved streams (the instruction has a latency of three cycles
 * but a throughput of one, so a single dependency chain would waste two
 * thirds of it), combined with a shift by table; others use slicing-by-8.
 */
#include <pthread.h>
#include <string.h>

#include "crc32c.h"

#define POLY 0x82f63b78u /* reflected Castagnoli polynomial */

static uint32_t tab8[8][256];
/* zeros[k][b]: CRC state after feeding SHIFT_BYTES zero bytes, by byte. */
#define SHIFT_BYTES 4096
static uint32_t zeros[4][256];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int have_sse42;

static uint32_t crc_zeros_slow(uint32_t crc, size_t n)
{
	while (n--)
		crc = (crc >> 8) ^ tab8[0][crc & 0xff];
	return crc;
}

static void crc_init(void)
{
	for (unsigned int i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (POLY & -(c & 1));
		tab8[0][i] = c;
	}
	for (unsigned int i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			tab8[t][i] = (tab8[t - 1][i] >> 8) ^
				     tab8[0][tab8[t - 1][i] & 0xff];
	/* The map crc -> crc after zeros is linear: tabulate it by byte. */
	for (int b = 0; b < 4; b++)
		for (unsigned int i = 0; i < 256; i++)
			zeros[b][i] = crc_zeros_slow((uint32_t)i << (8 * b),
						     SHIFT_BYTES);
#if defined(__x86_64__)
	__builtin_cpu_init();
	have_sse42 = __builtin_cpu_supports("sse4.2");
#endif
}

static uint32_t crc_shift(uint32_t crc)
{
	return zeros[0][crc & 0xff] ^ zeros[1][(crc >> 8) & 0xff] ^
	       zeros[2][(crc >> 16) & 0xff] ^ zeros[3][crc >> 24];
}

static uint32_t crc_sw(uint32_t crc, const uint8_t *p, size_t len)
{
	while (len && ((uintptr_t)p & 7)) {
		crc = (crc >> 8) ^ tab8[0][(crc ^ *p++) & 0xff];
		len--;
	}
	while (len >= 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		v ^= crc;
		crc = tab8[7][v & 0xff] ^ tab8[6][(v >> 8) & 0xff] ^
		      tab8[5][(v >> 16) & 0xff] ^ tab8[4][(v >> 24) & 0xff] ^
		      tab8[3][(v >> 32) & 0xff] ^ tab8[2][(v >> 40) & 0xff] ^
		      tab8[1][(v >> 48) & 0xff] ^ tab8[0][v >> 56];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ tab8[0][(crc ^ *p++) & 0xff];
	return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) static uint32_t
crc_hw(uint32_t crc, const uint8_t *p, size_t len)
{
	uint64_t c0 = crc;

	while (len && ((uintptr_t)p & 7)) {
		c0 = __builtin_ia32_crc32qi((uint32_t)c0, *p++);
		len--;
	}
	while (len >= 3 * SHIFT_BYTES) {
		uint64_t c1 = 0, c2 = 0, v0, v1, v2;

		for (size_t i = 0; i < SHIFT_BYTES; i += 8) {
			memcpy(&v0, p + i, 8);
			memcpy(&v1, p + SHIFT_BYTES + i, 8);
			memcpy(&v2, p + 2 * SHIFT_BYTES + i, 8);
			c0 = __builtin_ia32_crc32di(c0, v0);
			c1 = __builtin_ia32_crc32di(c1, v1);
			c2 = __builtin_ia32_crc32di(c2, v2);
		}
		/* Each stream was started from 0; move earlier ones forward. */
		c0 = crc_shift((uint32_t)c0) ^ c1;
		c0 = crc_shift((uint32_t)c0) ^ c2;
		p += 3 * SHIFT_BYTES;
		len -= 3 * SHIFT_BYTES;
	}
	while (len >= 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		c0 = __builtin_ia32_crc32di(c0, v);
		p += 8;
		len -= 8;
	}
	while (len--)
		c0 = __builtin_ia32_crc32qi((uint32_t)c0, *p++);
	return (uint32_t)c0;
}
#endif

uint32_t crc32c(uint32_t crc, const void *buf, size_t len)
{
	pthread_once(&once, crc_init);
	crc = ~crc;
#if defined(__x86_64__)
	if (have_sse42)
		return ~crc_hw(crc, buf, len);
#endif
	return ~crc_sw(crc, buf, len);
}
