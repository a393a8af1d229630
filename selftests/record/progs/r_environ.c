// SPDX-License-Identifier: GPL-2.0
/*
 * The environment: how many variables, where they live (on the random
 * stack), and a variable set to a random value, read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

extern char **environ;

int main(void)
{
	unsigned int r;
	char val[16];
	int n = 0;
	const char *path = getenv("PATH");

	for (char **e = environ; *e; e++)
		n++;
	printf("%d variables, environ %p, first string %p\n", n,
	       (void *)environ, n ? (void *)environ[0] : NULL);
	printf("PATH %s\n", path ? "set" : "unset");
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		return 1;
	snprintf(val, sizeof(val), "%08x", r);
	setenv("R_ENV_TEST", val, 1);
	printf("R_ENV_TEST=%s\n", getenv("R_ENV_TEST"));
	unsetenv("R_ENV_TEST");
	printf("after unsetenv %s\n", getenv("R_ENV_TEST") ? "set" : "unset");
	return 0;
}
