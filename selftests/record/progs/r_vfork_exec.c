// SPDX-License-Identifier: GPL-2.0
/* vfork, then exec /bin/echo with a random argument. */
#include <stdio.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	unsigned int r;
	char arg[32];
	int status;
	pid_t pid;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		return 1;
	snprintf(arg, sizeof(arg), "random-%08x", r);
	printf("before vfork\n");
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		execl("/bin/echo", "echo", "echo says", arg, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	printf("child %d exited %d\n", pid, WEXITSTATUS(status));
	return 0;
}
