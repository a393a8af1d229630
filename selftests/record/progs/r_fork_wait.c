// SPDX-License-Identifier: GPL-2.0
/* fork children that print their pids; the parent reaps them as they end. */
#include <stdio.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	unsigned char r[4];
	int status;
	pid_t pid;

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		return 1;
	printf("parent %d\n", getpid());
	fflush(stdout);
	for (int i = 0; i < 4; i++) {
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			usleep(r[i] * 20);
			printf("child %d: pid %d ppid %d\n", i, getpid(),
			       getppid());
			fflush(stdout);
			_exit(10 + i);
		}
	}
	while ((pid = wait(&status)) > 0)
		printf("reaped %d status %d\n", pid, WEXITSTATUS(status));
	return 0;
}
