// SPDX-License-Identifier: GPL-2.0
/*
 * execve of /proc/self/exe with a random argument; the new image prints
 * it, its own pid (the same) and a fresh stack address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	char arg[32], pid[16];
	unsigned int r;
	int local;

	if (argc == 3) {
		printf("second image: arg %s, pid %d (was %s), stack %p\n",
		       argv[1], getpid(), argv[2], (void *)&local);
		return 0;
	}
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		return 1;
	snprintf(arg, sizeof(arg), "%08x", r);
	snprintf(pid, sizeof(pid), "%d", getpid());
	printf("first image: pid %s, stack %p\n", pid, (void *)&local);
	fflush(stdout);
	execve("/proc/self/exe", (char *[]){ argv[0], arg, pid, NULL },
	       environ);
	perror("execve");
	return 1;
}
