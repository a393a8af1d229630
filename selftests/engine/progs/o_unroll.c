// SPDX-License-Identifier: GPL-2.0
/*
 * Loops the translator unrolls and jumps it follows, whose counts must
 * stay exact: tight loops left after every number of turns (so at every
 * copy of an unrolled body), loops with a branch inside the body, a loop
 * whose back-edge is a jmp, jumps to code further on, and a loop that
 * faults in the middle of a turn, at a different copy each time.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static sigjmp_buf env;

static void on_segv(int sig)
{
	siglongjmp(env, 1);
}

/* Sum of p[0..n): a four-instruction loop. */
static __attribute__((noinline)) uint64_t tight(const uint64_t *p, uint64_t n)
{
	uint64_t s = 0, i = 0;

	__asm__ volatile("test %[n], %[n]\n\t"
			 "jz 2f\n"
			 "1:\n\t"
			 "add (%[p],%[i],8), %[s]\n\t"
			 "inc %[i]\n\t"
			 "cmp %[n], %[i]\n\t"
			 "jb 1b\n"
			 "2:"
			 : [s] "+r"(s), [i] "+r"(i)
			 : [p] "r"(p), [n] "r"(n)
			 : "cc", "memory");
	return s;
}

/* Odd elements added, even ones xored: a side exit inside the body. */
static __attribute__((noinline)) uint64_t branchy(const uint64_t *p, uint64_t n)
{
	uint64_t s = 0, i = 0;

	__asm__ volatile("test %[n], %[n]\n\t"
			 "jz 3f\n"
			 "1:\n\t"
			 "testb $1, (%[p],%[i],8)\n\t"
			 "jz 2f\n\t"
			 "add (%[p],%[i],8), %[s]\n\t"
			 "jmp 4f\n"
			 "2:\n\t"
			 "xor %[i], %[s]\n"
			 "4:\n\t"
			 "inc %[i]\n\t"
			 "cmp %[n], %[i]\n\t"
			 "jb 1b\n"
			 "3:"
			 : [s] "+r"(s), [i] "+r"(i)
			 : [p] "r"(p), [n] "r"(n)
			 : "cc", "memory");
	return s;
}

/* A loop whose exit test is at the top and whose back-edge is a jmp. */
static __attribute__((noinline)) uint64_t top_tested(const uint64_t *p,
						     uint64_t n)
{
	uint64_t s = 0, i = 0;

	__asm__ volatile("1:\n\t"
			 "cmp %[n], %[i]\n\t"
			 "jae 2f\n\t"
			 "sub (%[p],%[i],8), %[s]\n\t"
			 "lea 1(%[i]), %[i]\n\t"
			 "jmp 1b\n"
			 "2:"
			 : [s] "+r"(s), [i] "+r"(i)
			 : [p] "r"(p), [n] "r"(n)
			 : "cc", "memory");
	return s;
}

/* Length of a string: faults when it runs into an unmapped page. */
static __attribute__((noinline)) uint64_t scan(const char *p)
{
	uint64_t n = 0;

	__asm__ volatile("1:\n\t"
			 "movzbl (%[p],%[n]), %%eax\n\t"
			 "inc %[n]\n\t"
			 "test %%eax, %%eax\n\t"
			 "jnz 1b"
			 : [n] "+r"(n)
			 : [p] "r"(p)
			 : "rax", "cc", "memory");
	return n;
}

int main(void)
{
	static uint64_t a[64];
	uint64_t t = 0;
	char *m;

	for (int i = 0; i < 64; i++)
		a[i] = (uint64_t)i * 2654435761u;
	for (uint64_t n = 0; n < 40; n++)
		t += tight(a, n) ^ branchy(a, n) ^ top_tested(a, n);
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || mprotect(m + 4096, 4096, PROT_NONE))
		return 1;
	memset(m, 'x', 4096);
	signal(SIGSEGV, on_segv);
	for (int k = 1; k < 12; k++) {
		if (!sigsetjmp(env, 1))
			t += scan(m + 4096 - k);
		else
			t += (uint64_t)k << 20;
	}
	printf("%llu\n", (unsigned long long)t);
	return 0;
}
