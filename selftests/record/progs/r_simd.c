// SPDX-License-Identifier: GPL-2.0
/* SSE2 and, where the CPU has it, AVX2 on random vectors. */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/random.h>

static uint32_t data[64];

static void sse(void)
{
	__m128i acc = _mm_setzero_si128();
	__m128 facc = _mm_set1_ps(1.0f);
	uint32_t out[4];
	float fo[4];

	for (int i = 0; i < 64; i += 4) {
		__m128i v = _mm_loadu_si128((const __m128i *)&data[i]);

		acc = _mm_xor_si128(_mm_add_epi32(acc, v),
				    _mm_slli_epi32(v, 3));
		facc = _mm_add_ps(_mm_mul_ps(facc, _mm_set1_ps(0.5f)),
				  _mm_cvtepi32_ps(_mm_srli_epi32(v, 8)));
	}
	_mm_storeu_si128((__m128i *)out, acc);
	_mm_storeu_ps(fo, facc);
	printf("sse  %08x %08x %08x %08x\n", out[0], out[1], out[2], out[3]);
	printf("ssef %a %a\n", (double)fo[0], (double)fo[3]);
}

__attribute__((target("avx2"))) static void avx2(void)
{
	__m256i acc = _mm256_setzero_si256();
	uint32_t out[8];

	for (int i = 0; i < 64; i += 8) {
		__m256i v = _mm256_loadu_si256((const __m256i *)&data[i]);

		acc = _mm256_add_epi32(_mm256_mullo_epi32(acc, v),
				       _mm256_shuffle_epi32(v, 0x1b));
	}
	_mm256_storeu_si256((__m256i *)out, acc);
	printf("avx2");
	for (int i = 0; i < 8; i++)
		printf(" %08x", out[i]);
	printf("\n");
}

int main(void)
{
	if (getrandom(data, sizeof(data), 0) != sizeof(data))
		return 1;
	sse();
	if (__builtin_cpu_supports("avx2"))
		avx2();
	else
		printf("no avx2\n");
	return 0;
}
