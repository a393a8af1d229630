// SPDX-License-Identifier: GPL-2.0
/*
 * Children write lines to stdout and stderr at the same time with
 * write(2); how the lines of different children interleave varies from
 * run to run, and replay must show them as they came out.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define NCHILD 4
#define NLINES 100

static void child(int id)
{
	char buf[64];
	int n;

	for (int i = 0; i < NLINES; i++) {
		n = snprintf(buf, sizeof(buf), "child %d pid %d line %d\n", id,
			     getpid(), i);
		if (write(i % 8 ? 1 : 2, buf, n) != n)
			_exit(1);
	}
	_exit(0);
}

int main(void)
{
	int status, failed = 0;
	pid_t pid;

	for (int i = 0; i < NCHILD; i++) {
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0)
			child(i);
	}
	while ((pid = wait(&status)) > 0)
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	printf("children done, %d failed\n", failed);
	return 0;
}
