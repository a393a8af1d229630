// SPDX-License-Identifier: GPL-2.0
/* libm and plain double arithmetic on random inputs, printed exactly. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/random.h>

int main(void)
{
	uint32_t r[8];
	double x, acc = 0;
	float f = 1;

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		return 1;
	for (int i = 0; i < 8; i++) {
		x = r[i] / 4294967296.0 * 20 - 10;
		acc += sin(x) * exp(x / 4) + sqrt(fabs(x)) - log1p(fabs(x));
		f = f * 1.1f + (float)x;
		printf("x %a sin %.17g exp %.17g\n", x, sin(x), exp(x));
	}
	printf("acc %a float %a\n", acc, (double)f);
	printf("pow %.17g atan2 %.17g\n", pow(fabs(acc), 0.3), atan2(acc, f));
	return 0;
}
