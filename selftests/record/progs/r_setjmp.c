// SPDX-License-Identifier: GPL-2.0
/*
 * setjmp/longjmp out of a recursion of random depth, several times; the
 * depth and the stack addresses seen at the bottom are printed.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/random.h>

static jmp_buf env;
static void *deepest;

static void recurse(int depth, int target)
{
	volatile char pad[64];

	pad[0] = depth;
	if (depth == target) {
		deepest = (void *)pad;
		longjmp(env, depth + 1);
	}
	if (depth < 1000)
		recurse(depth + 1, target);
	pad[1] = pad[0];
}

int main(void)
{
	unsigned char r[5];
	int top;

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		return 1;
	for (int i = 0; i < 5; i++) {
		int v = setjmp(env);

		if (v) {
			printf("longjmp %d returned %d, %ld bytes below %p\n",
			       i, v, (long)((char *)&top - (char *)deepest),
			       (void *)&top);
			continue;
		}
		recurse(0, r[i]);
	}
	return 0;
}
