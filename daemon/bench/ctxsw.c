// SPDX-License-Identifier: GPL-2.0
/*
 * Context-switch cost: two processes on one CPU pass a byte back and
 * forth through two pipes, so every hop is a switch.  Prints nanoseconds
 * per switch.  With -s the process stops itself first (SIGSTOP) so that
 * a tracer can attach before the partner is forked.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long rounds = 200000, i;
	struct timespec a, b;
	int p1[2], p2[2];
	cpu_set_t set;
	char c = 0;
	pid_t pid;
	int arg = 1;

	if (argc > arg && !strcmp(argv[arg], "-s")) {
		raise(SIGSTOP);
		arg++;
	}
	if (argc > arg)
		rounds = atol(argv[arg]);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set) || pipe(p1) || pipe(p2))
		return 1;
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < rounds; i++)
			if (read(p1[0], &c, 1) != 1 || write(p2[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < rounds; i++)
		if (write(p1[1], &c, 1) != 1 || read(p2[0], &c, 1) != 1)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	waitpid(pid, NULL, 0);
	printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) /
			 (2.0 * rounds));
	return 0;
}
