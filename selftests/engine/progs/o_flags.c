// SPDX-License-Identifier: GPL-2.0
/*
 * Flags that live across a whole block.  The translator may count a
 * block with no point inside where the flags are dead with an add that
 * overwrites them, where the code after the block overwrites them before
 * reading any.  Here blocks that set no flag pass a carry from the block
 * before them to code after a far jump and at a call's target that reads
 * it first, so that a wrong look ahead shows up as a wrong sum; another
 * such block jumps to code that does overwrite the flags first.
 */
#include <stdint.h>
#include <stdio.h>

static __attribute__((noinline)) uint64_t carry(uint64_t x, uint64_t i)
{
	uint64_t t;

	__asm__ volatile(
		/* the calls stay clear of the red zone */
		"lea -128(%%rsp), %%rsp\n\t"
		/* a block that starts at a return address, sets no flag and
		 * jumps too far to be followed, to code that reads CF */
		"call 8f\n\t"
		"lea 1(%[x]), %[x]\n\t"
		"jmp 9f\n"
		"8:\n\t"
		"bt $0, %[i]\n\t"
		"ret\n\t"
		".skip 2300, 0xcc\n"
		"9:\n\t"
		"adc $0, %[x]\n\t"
		/* the same, calling code that reads CF */
		"call 10f\n\t"
		"lea 3(%[x]), %[x]\n\t"
		"call 11f\n\t"
		"jmp 12f\n"
		"10:\n\t"
		"bt $1, %[i]\n\t"
		"ret\n"
		"11:\n\t"
		"adc %[i], %[x]\n\t"
		"ret\n"
		/* the same, jumping to code that overwrites the flags
		 * first: the block counts with an add there */
		"12:\n\t"
		"call 13f\n\t"
		"lea 5(%[x]), %[x]\n\t"
		"jmp 14f\n"
		"13:\n\t"
		"bt $2, %[i]\n\t"
		"ret\n\t"
		".skip 2300, 0xcc\n"
		"14:\n\t"
		"mov %[x], %[t]\n\t"
		"xor %[i], %[t]\n\t"
		"adc %[t], %[x]\n\t"
		"lea 128(%%rsp), %%rsp\n\t"
		: [x] "+r"(x), [t] "=&r"(t)
		: [i] "r"(i)
		: "cc", "memory");
	return x;
}

int main(void)
{
	uint64_t x = 1;

	for (uint64_t i = 0; i < 3000; i++)
		x = carry(x, i) * 0x9e3779b97f4a7c15ULL;
	printf("%016llx\n", (unsigned long long)x);
	return 0;
}
