// SPDX-License-Identifier: GPL-2.0
/*
 * Context-switch cost: two processes on one CPU pass a byte back and
 * forth through two pipes, so every hop is a switch.  Prints nanoseconds
 * per switch: the CPU time both processes used (the switch, and a hook
 * in it, is charged to one of them), so that other load on the machine
 * competing for the CPU does not count.  With -s the process stops
 * itself first (SIGSTOP) so that a tracer can attach before the partner
 * is forked.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double ns(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1e9 + (b->tv_nsec - a->tv_nsec);
}

int main(int argc, char **argv)
{
	double child_ns;
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
		double t;

		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
		for (i = 0; i < rounds; i++)
			if (read(p1[0], &c, 1) != 1 || write(p2[1], &c, 1) != 1)
				_exit(1);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
		t = ns(&a, &b);
		_exit(write(p2[1], &t, sizeof(t)) != sizeof(t));
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	for (i = 0; i < rounds; i++)
		if (write(p1[1], &c, 1) != 1 || read(p2[0], &c, 1) != 1)
			return 1;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	if (read(p2[0], &child_ns, sizeof(child_ns)) != sizeof(child_ns))
		return 1;
	waitpid(pid, NULL, 0);
	printf("%.1f\n", (ns(&a, &b) + child_ns) / (2.0 * rounds));
	return 0;
}
