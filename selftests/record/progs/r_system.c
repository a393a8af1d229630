// SPDX-License-Identifier: GPL-2.0
/* system() running a shell that prints $RANDOM and its pid. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

int main(void)
{
	int status;

	printf("before\n");
	fflush(stdout);
	status = system("echo random $RANDOM $RANDOM; echo pid $$");
	printf("system returned %d\n", WEXITSTATUS(status));
	status = system("exit $((RANDOM % 5))");
	printf("second returned %d\n", WEXITSTATUS(status));
	return 0;
}
