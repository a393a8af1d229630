// SPDX-License-Identifier: GPL-2.0
/*
 * Three recorded processes: the first forks a child that computes and
 * exits, then a child that execs this program again, which computes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) static int child_work(int k)
{
	int s = 0; /* WORK */

	for (int i = 0; i < 1000; i++)
		s += i * k;
	return s;
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		printf("exec'd %d\n", child_work(atoi(argv[1])));
		return 3;
	}
	for (int k = 1; k <= 2; k++) {
		pid_t p = fork();
		int st;

		if (p == 0 && k == 2)
			execl("/proc/self/exe", argv[0], "7", (char *)NULL);
		if (p == 0) {
			printf("child %d\n", child_work(k));
			exit(k);
		}
		waitpid(p, &st, 0);
		printf("status %d\n", WEXITSTATUS(st));
	}
	return 0;
}
