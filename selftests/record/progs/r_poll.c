// SPDX-License-Identifier: GPL-2.0
/*
 * poll() with a 1 ms timeout on a pipe a child writes to at random
 * times: how often poll timed out before each message.
 */
#include <poll.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct pollfd pfd;
	int p[2], timeouts = 0, msgs = 0;
	char buf[32];
	pid_t pid;

	if (pipe(p))
		return 1;
	pid = fork();
	if (pid == 0) {
		unsigned short d[6];

		close(p[0]);
		if (getrandom(d, sizeof(d), 0) != sizeof(d))
			_exit(1);
		for (int i = 0; i < 6; i++) {
			usleep(d[i] % 5000);
			if (write(p[1], "m", 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		int n = poll(&pfd, 1, 1);

		if (n == 0) {
			timeouts++;
			continue;
		}
		if (n < 0 || read(p[0], buf, sizeof(buf)) <= 0)
			break;
		printf("message %d after %d timeouts (revents %#x)\n", msgs++,
		       timeouts, pfd.revents);
		timeouts = 0;
	}
	printf("eof, revents %#x\n", pfd.revents);
	waitpid(pid, NULL, 0);
	return 0;
}
