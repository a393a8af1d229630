// SPDX-License-Identifier: GPL-2.0
/*
 * Block shapes that precise mode's budget checks must stop inside
 * exactly: superblocks left through a side exit before and after their
 * check, a block that opens with a branch on flags set by the block
 * before it, a block whose first flags-dead point comes too late to
 * check there, blocks with none at all, and indirect calls.
 */
#include <stdint.h>
#include <stdio.h>

static __attribute__((noinline)) uint64_t shapes(uint64_t x, uint64_t i)
{
	uint64_t t;

	__asm__ volatile(
		"test $3, %[i]\n\t"
		"jmp 1f\n"
		/* opens with a side exit on the previous block's flags */
		"1:\n\t"
		"jz 2f\n\t"
		"mov %[x], %[t]\n\t"
		"jnp 3f\n\t"
		"lea 1(%[t]), %[t]\n\t"
		"mov %[t], %[x]\n\t"
		"add %[i], %[x]\n\t" /* the check */
		"test $4, %[x]\n\t"
		"jnz 2f\n\t"
		"xor $0x55, %[x]\n\t"
		"2:\n\t"
		"rol $5, %[x]\n"
		"3:\n\t"
		"jmp 4f\n"
		/* the first flags-dead point after 18 instructions */
		"4:\n\t"
		".rept 18\n\t"
		"lea 3(%[x],%[i],2), %[x]\n\t"
		".endr\n\t"
		"xor %[i], %[x]\n\t"
		"test $8, %[x]\n\t"
		"jz 5f\n\t"
		"not %[x]\n"
		"5:\n\t"
		"jmp 6f\n"
		/* no flags-dead point at all */
		"6:\n\t"
		"mov %[x], %[t]\n\t"
		"lea 7(%[t]), %[x]\n\t"
		"bswap %[x]\n\t"
		"jmp 7f\n"
		"7:\n\t"
		: [x] "+r"(x), [t] "=&r"(t)
		: [i] "r"(i)
		: "cc");
	return x;
}

static __attribute__((noinline)) uint64_t twist(uint64_t x, uint64_t i)
{
	return (x << 7 | x >> 57) + i;
}

static uint64_t (*const fns[2])(uint64_t, uint64_t) = { shapes, twist };

int main(void)
{
	uint64_t x = 1;

	for (uint64_t i = 0; i < 2000; i++) {
		uint64_t (*volatile f)(uint64_t, uint64_t) = fns[i % 3 == 0];

		x = f(x, i);
		if (x & 2)
			x = shapes(x, i);
	}
	printf("%016llx\n", (unsigned long long)x);
	return 0;
}
